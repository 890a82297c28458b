package io.github.wecomcallback.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.github.wecomcallback.testing.SetA;
import io.github.wecomcallback.testing.TestTls;
import io.github.wecomcallback.testing.UrlCheckHttpsServer;

/** WeCom refuses an HTTPS callback URL whose certificate it cannot trust; so does verify-url, and says why. */
class VerifyUrlHttpsTest {
    @TempDir
    Path dir;

    @Test
    void selfSignedCertificate_isNamedAsUntrusted() throws Exception {
        Path keystore = TestTls.keystore(dir, "CN=localhost", "dns:localhost,ip:127.0.0.1", 30);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext(keystore)));
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

    @Test
    void aPrivateCa_givenWithTrust_isTrusted() throws Exception {
        Path ca = TestTls.certificateAuthority(dir);
        try (UrlCheckHttpsServer server = new UrlCheckHttpsServer(TestTls.issue(ca, dir, "ip:127.0.0.1", null, 30))) {
            String untrusted = verifyUrl(1, server.url());
            assertTrue(untrusted.contains("the certificate chain is not trusted") && untrusted.contains("--trust"),
                    untrusted);
            String pem = verifyUrl(0, server.url(), "--trust", TestTls.caPem(ca).toString());
            assertTrue(pem.contains("OK: WeCom would accept this URL"), pem);
            String store = verifyUrl(0, server.url(), "--trust", ca.toString(), "--trust-password", TestTls.PASSWORD);
            assertTrue(store.contains("OK: WeCom would accept this URL"), store);
        }
    }

    @Test
    void anExpiredCertificate_andOneForAnotherHost_areNamedFromTheCauseChain() throws Exception {
        Path ca = TestTls.certificateAuthority(dir);
        String trust = TestTls.caPem(ca).toString();
        try (UrlCheckHttpsServer expired = new UrlCheckHttpsServer(TestTls.issue(ca, dir, "ip:127.0.0.1", "-10d", 2))) {
            String out = verifyUrl(1, expired.url(), "--trust", trust);
            assertTrue(out.contains("FAIL: HTTPS handshake failed: a certificate of the chain has expired"), out);
        }
        try (UrlCheckHttpsServer other = new UrlCheckHttpsServer(TestTls.issue(ca, dir, "dns:other.example", null, 30))) {
            String out = verifyUrl(1, other.url(), "--trust", trust);
            assertTrue(out.contains("FAIL: HTTPS handshake failed: the certificate does not name this host"), out);
        }
    }

    @Test
    void aTrustFileThatCannotBeUsed_isNamed_beforeAnyRequest() throws Exception {
        Path ca = TestTls.certificateAuthority(dir);
        String url = "https://127.0.0.1:9/callback";
        assertContains(verifyUrl(1, url, "--trust", dir.resolve("missing.pem").toString()),
                "missing.pem: no such readable file");
        Path empty = java.nio.file.Files.writeString(dir.resolve("empty.pem"), "");
        assertContains(verifyUrl(1, url, "--trust", empty.toString()), "empty.pem is empty: it holds no certificate");
        assertContains(verifyUrl(1, url, "--trust", ca.toString(), "--trust-password", "wrong"),
                "wrong --trust-password");
    }

    private static void assertContains(String text, String expected) {
        assertTrue(text.contains(expected), text);
    }

    /** Runs verify-url with Set A's credentials; returns standard output and error together. */
    private static String verifyUrl(int expectedExit, String url, String... trust) {
        StringWriter out = new StringWriter();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("verify-url", url, "--token",
                SetA.TOKEN, "--encoding-aes-key", SetA.ENCODING_AES_KEY, "--corp-id", SetA.CORP_ID));
        args.addAll(java.util.List.of(trust));
        PrintWriter writer = new PrintWriter(out, true);
        int exit = WeComTool.run(writer, writer, args.toArray(String[]::new));
        assertEquals(expectedExit, exit, out.toString());
        return out.toString();
    }
}
