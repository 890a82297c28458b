package io.github.wecomcallback.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.wecomcallback.testing.SetA;
import io.github.wecomcallback.testing.TestTls;
import io.github.wecomcallback.testing.UrlCheckHttpsServer;

/**
 * The tool jar against HTTPS endpoints whose certificate it trusts (through a trust store given to its JVM)
 * but that WeCom would still refuse: a certificate for another host, one about to expire.
 */
class ToolHttpsIT {
    @TempDir
    Path dir;

    @Test
    void certificateForAnotherHost_isNamed() throws Exception {
        Path store = TestTls.keystore(dir, "CN=localhost", "dns:localhost", 365);
        String out = verifyUrlAgainst(store, 1);
        assertTrue(out.contains("FAIL: HTTPS handshake failed: the certificate does not name this host"), out);
    }

    @Test
    void certificateExpiringSoon_isNamed_evenWhenTheAnswerIsRight() throws Exception {
        Path store = TestTls.keystore(dir, "CN=127.0.0.1", "ip:127.0.0.1", 3);
        String out = verifyUrlAgainst(store, 1);
        assertTrue(out.contains("answered 200"), out);
        assertTrue(out.matches("(?s).*FAIL: the certificate expires in [0-3] days.*"), out);
    }

    /** Serves a correct URL check over HTTPS with this key store, runs the tool trusting it, returns its output. */
    private String verifyUrlAgainst(Path store, int expectedExit) throws Exception {
        try (UrlCheckHttpsServer server = new UrlCheckHttpsServer(store)) {
            Process tool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djavax.net.ssl.trustStore=" + store, "-Djavax.net.ssl.trustStorePassword=" + TestTls.PASSWORD,
                    "-Djavax.net.ssl.trustStoreType=PKCS12", "-jar", "target/wecom-callback-tool.jar", "verify-url",
                    server.url(), "--token", SetA.TOKEN, "--encoding-aes-key", SetA.ENCODING_AES_KEY,
                    "--corp-id", SetA.CORP_ID)
                    .redirectErrorStream(true).start();
            String out = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(tool.waitFor(60, TimeUnit.SECONDS));
            assertEquals(expectedExit, tool.exitValue(), out);
            return out;
        }
    }
}
