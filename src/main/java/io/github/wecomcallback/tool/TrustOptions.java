package io.github.wecomcallback.tool;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import picocli.CommandLine.Option;

/**
 * {@code --trust}: which certificate authorities to trust for an HTTPS URL, for a deployment whose certificate
 * comes from a private or test CA (WeCom itself trusts only public CAs: the real console still needs one). Without
 * it the JDK's default trust store is used.
 */
final class TrustOptions {
    @Option(names = "--trust", paramLabel = "FILE",
            description = {"trust these CA certificates for https:// (a PEM file of one or more certificates, or a",
                "PKCS#12/JKS trust store) instead of the JDK's trusted public CAs, which are the default"})
    Path trust;

    @Option(names = "--trust-password", paramLabel = "PASSWORD", defaultValue = "${env:WECOM_TRUST_PASSWORD}",
            description = "the --trust store's password (default: $WECOM_TRUST_PASSWORD; PEM files need none)")
    String password;

    private SSLContext context; // read from --trust once, however many clients are built

    /** An HTTP client builder that verifies servers against {@code --trust}, or the JDK's default CAs. */
    HttpClient.Builder clientBuilder() throws IOException, GeneralSecurityException {
        if (context == null && trust != null) {
            context = sslContext();
        }
        HttpClient.Builder builder = HttpClient.newBuilder();
        return context == null ? builder : builder.sslContext(context);
    }

    private SSLContext sslContext() throws IOException, GeneralSecurityException {
        if (trust == null) {
            return null;
        }
        if (!Files.isRegularFile(trust) || !Files.isReadable(trust)) {
            throw new IllegalArgumentException("--trust " + trust + ": no such readable file");
        }
        if (Files.size(trust) == 0) {
            throw new IllegalArgumentException("--trust " + trust + " is empty: it holds no certificate");
        }
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        int count = 0;
        for (Certificate certificate : certificates()) {
            anchors.setCertificateEntry("ca-" + count++, certificate);
        }
        if (count == 0) {
            throw new IllegalArgumentException("--trust " + trust + " holds no certificate"
                    + (password == null && !isPem() ? " (a trust store whose certificates need its password? give"
                            + " --trust-password or $WECOM_TRUST_PASSWORD)" : ""));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private boolean isPem() throws IOException {
        byte[] head = new byte[10];
        try (InputStream in = Files.newInputStream(trust)) {
            int n = in.readNBytes(head, 0, head.length);
            return new String(head, 0, n, StandardCharsets.US_ASCII).startsWith("-----BEGIN");
        }
    }

    private Collection<? extends Certificate> certificates() throws IOException, GeneralSecurityException {
        if (isPem()) {
            try (InputStream pem = Files.newInputStream(trust)) {
                return CertificateFactory.getInstance("X.509").generateCertificates(pem);
            } catch (java.security.cert.CertificateException e) {
                throw new IllegalArgumentException("--trust " + trust + " is not a file of PEM certificates: "
                        + e.getMessage(), e);
            }
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance(trust.toFile(), password == null ? null : password.toCharArray());
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalArgumentException("--trust " + trust + ": wrong --trust-password", e);
            }
            throw new IllegalArgumentException("--trust " + trust + " is neither PEM certificates nor a trust store"
                    + " (PKCS#12, JKS): " + e.getMessage(), e);
        } catch (KeyStoreException e) {
            throw new IllegalArgumentException("--trust " + trust + " is neither PEM certificates nor a trust store"
                    + " (PKCS#12, JKS)", e);
        }
        List<Certificate> certificates = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            Certificate certificate = store.getCertificate(alias);
            if (certificate != null) {
                certificates.add(certificate);
            }
        }
        return certificates;
    }
}
