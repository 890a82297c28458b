package io.github.wecomcallback.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.servlet.WeComCallbackFilter;
import io.github.wecomcallback.testing.EmbeddedTomcat;
import io.github.wecomcallback.testing.Platform;
import io.github.wecomcallback.testing.RawHttp;

/**
 * The gateway in a real Tomcat, in front of a real backend process in Node that verifies every forwarded
 * request with the npm {@code standardwebhooks} library: plaintext byte for byte, signature, relayed and
 * encrypted replies, the same {@code webhook-id} on retries, and a backend that fails, is slow or is down.
 */
class ForwardServletTest {
    private static final Path NODE = Path.of("src/test/node");
    private static final String TOKEN = "GatewayToken1";
    private static final String KEY = "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa9876543";
    private static final String CORP = "ww9a8b7c6d5e4f3a2b";
    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static Process backend;
    private static EmbeddedTomcat tomcat;
    private final Platform wecom = new Platform(TOKEN, KEY, CORP);

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isDirectory(NODE.resolve("node_modules/standardwebhooks")),
                "the npm package standardwebhooks is not installed (cd src/test/node && npm install): .ci/run"
                        + " installs it; without it this test of the gateway against an independent verifier skips");
        byte[] secretBytes = new byte[32];
        new SecureRandom().nextBytes(secretBytes);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(secretBytes);
        backend = new ProcessBuilder("node", "backend.mjs", secret).directory(NODE.toFile()).redirectErrorStream(true)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(backend.getInputStream(), UTF_8));
        int port = CompletableFuture.supplyAsync(() -> {
            try {
                String line = out.readLine();
                if (line == null || !line.startsWith("PORT ")) {
                    throw new IllegalStateException("the backend did not start: " + line);
                }
                return Integer.parseInt(line.substring(5).trim());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    received.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the backend stopped
            }
        });
        reader.setDaemon(true);
        reader.start();
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
            backend.destroyForcibly();
        }
    }

    @BeforeEach
    void reset() {
        received.clear();
    }

    private static String message(String content) {
        return "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><FromUserName><![CDATA[zhangsan]]>"
                + "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>"
                + "<![CDATA[" + content + "]]></Content><MsgId>" + System.nanoTime() + "</MsgId>"
                + "<AgentID>1000002</AgentID></xml>";
    }

    private RawHttp.Response post(String path, String plaintext) throws Exception {
        return RawHttp.post(tomcat.port(), path, wecom.post(plaintext));
    }

    private static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[a-z0-9]+)")
                .matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(2) != null ? m.group(2).replace("\\n", "\n").replace("\\\"", "\"") : m.group(1);
    }

    private static void awaitReceived(int count) throws InterruptedException {
        for (int i = 0; i < 200 && received.size() < count; i++) {
            Thread.sleep(10);
        }
        assertEquals(count, received.size(), received.toString());
    }

    @Test
    void plaintextForwardedByteForByte_signatureVerifiedByTheLibrary_replyRelayedAndEncrypted() throws Exception {
        String plaintext = message("你好 gateway");
        RawHttp.Response r = post("/callback", plaintext);
        assertEquals("<xml><Content><![CDATA[node got: 你好 gateway]]></Content></xml>",
                wecom.decryptXmlReply(r.bodyText()));
        awaitReceived(1);
        String line = received.get(0);
        assertEquals("true", field(line, "verified"), line);
        assertEquals(plaintext, field(line, "body"));
        assertEquals(WeComCallbackFilter.XML_CONTENT_TYPE, field(line, "contentType"));
        assertEquals(CORP, field(line, "receiveId"));
        assertEquals("1000002", field(line, "agentId"));
        assertTrue(field(line, "id").startsWith("msg_"), line);
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
        awaitReceived(2);
        assertEquals(field(received.get(0), "id"), field(received.get(1), "id"));
        assertEquals("2", field(received.get(1), "attempt"));
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
        awaitReceived(1);
        assertEquals("false", field(received.get(0), "verified"), received.get(0));
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
