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
}
