package io.github.wecomcallback.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Certificates made with the JDK's keytool, for HTTPS endpoints in tests: self-signed, or a private CA and leaf
 * certificates it issues (as a real deployment has them). Password: changeit.
 */
public final class TestTls {
    public static final String PASSWORD = "changeit";

    private TestTls() {
    }

    /** A PKCS#12 key store with one self-signed RSA certificate. */
    public static Path keystore(Path dir, String dname, String subjectAlternativeNames, int validityDays)
            throws Exception {
        Path file = dir.resolve("cert-" + System.nanoTime() + ".p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", dname,
                "-validity", Integer.toString(validityDays), "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-ext", "SAN=" + subjectAlternativeNames);
        return file;
    }

    /** A private certificate authority: a PKCS#12 store with its key (alias {@code ca}). */
    public static Path certificateAuthority(Path dir) throws Exception {
        Path file = dir.resolve("ca-" + System.nanoTime() + ".p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Test Private CA",
                "-validity", "30", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD,
                "-ext", "bc:c");
        return file;
    }

    /** The CA's certificate as a PEM file: what a client is told to trust. */
    public static Path caPem(Path ca) throws Exception {
        Path pem = ca.resolveSibling(ca.getFileName() + ".crt");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        return pem;
    }

    /**
     * A PKCS#12 store (alias {@code server}) with a key and its chain: a leaf certificate issued by the CA, valid
     * from {@code startDate} (keytool's syntax, e.g. {@code -10d}; null for now) for {@code validityDays}.
     */
    public static Path issue(Path ca, Path dir, String subjectAlternativeNames, String startDate, int validityDays)
            throws Exception {
        Path file = dir.resolve("leaf-" + System.nanoTime() + ".p12");
        Path request = dir.resolve(file.getFileName() + ".csr");
        Path certificate = dir.resolve(file.getFileName() + ".crt");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=leaf",
                "-validity", "1", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD);
        keytool("-certreq", "-alias", "server", "-keystore", file.toString(), "-storepass", PASSWORD,
                "-file", request.toString());
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(),
                "-storepass", PASSWORD, "-infile", request.toString(), "-outfile", certificate.toString(),
                "-validity", Integer.toString(validityDays), "-ext", "SAN=" + subjectAlternativeNames));
        if (startDate != null) {
            gencert.addAll(List.of("-startdate", startDate));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", file.toString(), "-storepass", PASSWORD,
                "-file", caPem(ca).toString());
        keytool("-importcert", "-alias", "server", "-keystore", file.toString(), "-storepass", PASSWORD,
                "-file", certificate.toString());
        return file;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue(), String.join(" ", command) + "\n" + out);
    }

    /** A server-side TLS context presenting the key store's certificate. */
    public static SSLContext serverContext(Path keystore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        return tls;
    }
}
