package io.github.wecomcallback.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.github.wecomcallback.testing.SetA;

/** WeCom refuses an HTTPS callback URL whose certificate it cannot trust; so does verify-url, and says why. */
class VerifyUrlHttpsTest {
    @TempDir
    Path dir;

    @Test
    void selfSignedCertificate_isNamedAsUntrusted() throws Exception {
        Path keystore = dir.resolve("self-signed.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                "-validity", "30", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, keytool.exitValue());

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/callback", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            StringWriter out = new StringWriter();
            int exit = WeComTool.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                    "verify-url", "https://127.0.0.1:" + server.getAddress().getPort() + "/callback",
                    "--token", SetA.TOKEN, "--encoding-aes-key", SetA.ENCODING_AES_KEY, "--corp-id", SetA.CORP_ID);
            assertEquals(1, exit, out.toString());
            assertTrue(out.toString().contains("FAIL: HTTPS handshake failed: the certificate chain is not trusted"),
                    out.toString());
            assertTrue(out.toString().contains(UrlCheck.CONSOLE_URL_FAILED), out.toString());
        } finally {
            server.stop(0);
        }
    }
}
