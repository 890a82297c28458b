package io.github.wecomcallback.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.servlet.WeComCallbackFilter;
import io.github.wecomcallback.testing.EmbeddedTomcat;
import io.github.wecomcallback.testing.NodeBackend;
import io.github.wecomcallback.testing.Platform;
import io.github.wecomcallback.testing.RawHttp;

/**
 * The gateway in a real Tomcat, in front of a real backend process in Node that verifies every forwarded
 * request with the npm {@code standardwebhooks} library: plaintext byte for byte, signature, relayed and
 * encrypted replies, the same {@code webhook-id} on retries, and a backend that fails, is slow or is down.
 */
class ForwardServletTest {
    private static final String TOKEN = "GatewayToken1";
    private static final String KEY = "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa9876543";
    private static final String CORP = "ww9a8b7c6d5e4f3a2b";
    private static NodeBackend backend;
    private static EmbeddedTomcat tomcat;
    private final Platform wecom = new Platform(TOKEN, KEY, CORP);

    @BeforeAll
    static void start() throws Exception {
        byte[] secretBytes = new byte[32];
        new SecureRandom().nextBytes(secretBytes);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(secretBytes);
        backend = new NodeBackend(secret, 0);
        int port = backend.port();
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> filter = Map.of("token", TOKEN, "encodingAesKey", KEY, "corpId", CORP);
        tomcat = new EmbeddedTomcat()
                .filter("wecom", new WeComCallbackFilter(), filter, "/callback")
                .servlet("gateway", new ForwardServlet(), "/callback", Map.of("forwardUrl",
                        "http://127.0.0.1:" + port + "/hook", "forwardSecret", secret, "forwardTimeoutMillis", "1500"))
                .filter("impostor", new WeComCallbackFilter(), filter, "/impostor")
                .servlet("gatewayImpostor", new ForwardServlet(), "/impostor", Map.of("forwardUrl",
                        "http://127.0.0.1:" + port + "/hook", "forwardSecret",
                        "whsec_" + Base64.getEncoder().encodeToString(new byte[32])))
                .filter("down", new WeComCallbackFilter(), filter, "/down")
                .servlet("gatewayDown", new ForwardServlet(), "/down", Map.of("forwardUrl",
                        "http://127.0.0.1:" + closedPort + "/hook", "forwardSecret", secret))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @BeforeEach
    void reset() {
        backend.received().clear();
    }

    private static String message(String content) {
        return Platform.textMessage(CORP, content);
    }

    private RawHttp.Response post(String path, String plaintext) throws Exception {
        return RawHttp.post(tomcat.port(), path, wecom.post(plaintext));
    }

    @Test
    void plaintextForwardedByteForByte_signatureVerifiedByTheLibrary_replyRelayedAndEncrypted() throws Exception {
        String plaintext = message("你好 gateway");
        RawHttp.Response r = post("/callback", plaintext);
        assertEquals("<xml><Content><![CDATA[node got: 你好 gateway]]></Content></xml>",
                wecom.decryptXmlReply(r.bodyText()));
        backend.awaitReceived(1);
        String line = backend.received().get(0);
        assertEquals("true", NodeBackend.field(line, "verified"), line);
        assertEquals(plaintext, NodeBackend.field(line, "body"));
        assertEquals(WeComCallbackFilter.XML_CONTENT_TYPE, NodeBackend.field(line, "contentType"));
        assertEquals(CORP, NodeBackend.field(line, "receiveId"));
        assertEquals("1000002", NodeBackend.field(line, "agentId"));
        assertTrue(NodeBackend.field(line, "id").startsWith("msg_"), line);
    }

    @Test
    void emptyAnswer_staysAnEmpty200_andSuccessAsIs() throws Exception {
        RawHttp.Response empty = post("/callback", message("empty"));
        assertEquals(200, empty.status());
        assertEquals(0, empty.body().length);
        RawHttp.Response success = post("/callback", message("success"));
        assertEquals("success", success.bodyText());
    }

    @Test
    void backendFailure_isABare502_andWeComsRetryIsForwardedAgainWithTheSameWebhookId() throws Exception {
        String plaintext = message("fail-once");
        RawHttp.Response first = post("/callback", plaintext);
        assertEquals(502, first.status());
        assertEquals(0, first.body().length);
        assertFalse(first.rawText().contains("SECRET-BACKEND-ERROR"), first.rawText());
        RawHttp.Response retry = post("/callback", plaintext); // WeCom's retry, encrypted afresh
        assertEquals("<xml><Content><![CDATA[node got: fail-once]]></Content></xml>",
                wecom.decryptXmlReply(retry.bodyText()));
        backend.awaitReceived(2);
        assertEquals(NodeBackend.field(backend.received().get(0), "id"), NodeBackend.field(backend.received().get(1), "id"));
        assertEquals("2", NodeBackend.field(backend.received().get(1), "attempt"));
    }

    @Test
    void slowBackend_isCutOffAtTheTimeout_withA504SoThatWeComRetries() throws Exception {
        long start = System.nanoTime();
        RawHttp.Response r = post("/callback", message("slow"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, r.status());
        assertEquals(0, r.body().length);
        assertTrue(millis >= 1400 && millis < 3000, "answered after " + millis + " ms");
    }

    @Test
    void aBackendThatStallsMidAnswer_isCutOffAtTheTimeoutToo() throws Exception {
        long start = System.nanoTime();
        RawHttp.Response r = post("/callback", message("hang"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(504, r.status());
        assertTrue(millis >= 1400 && millis < 3000, "answered after " + millis + " ms");
    }

    @Test
    void aHugeAnswer_isNotRelayed() throws Exception {
        RawHttp.Response r = post("/callback", message("huge"));
        assertEquals(502, r.status());
        assertEquals(0, r.body().length);
    }

    @Test
    void aGatewayWithAnotherSecret_isRejectedByTheBackendsLibrary() throws Exception {
        RawHttp.Response r = post("/impostor", message("hello"));
        assertEquals(502, r.status());
        backend.awaitReceived(1);
        assertEquals("false", NodeBackend.field(backend.received().get(0), "verified"), backend.received().get(0));
    }

    @Test
    void backendDown_isABare502_atOnce() throws Exception {
        long start = System.nanoTime();
        RawHttp.Response r = post("/down", message("anyone there"));
        assertEquals(502, r.status());
        assertEquals(0, r.body().length);
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2500);
    }
}
