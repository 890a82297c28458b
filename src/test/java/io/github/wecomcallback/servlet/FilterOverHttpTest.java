package io.github.wecomcallback.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.message.WeComMessage;
import io.github.wecomcallback.testing.EmbeddedTomcat;
import io.github.wecomcallback.testing.Platform;
import io.github.wecomcallback.testing.RawHttp;
import io.github.wecomcallback.testing.SetA;

/** The filter in a real (embedded) Tomcat, over real HTTP, with exact bytes asserted on the wire. */
class FilterOverHttpTest {
    private static final String BOT_TOKEN = "BotToken2026";
    private static final String BOT_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

    private static final RecordingServlet app = new RecordingServlet();
    private static final RecordingServlet bot = new RecordingServlet();
    private static EmbeddedTomcat tomcat;
    private static int port;

    private final Platform wecom = new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);
    private final Platform botPlatform = new Platform(BOT_TOKEN, BOT_KEY, "");

    @BeforeAll
    static void start() throws Exception {
        // Two filter declarations side by side: an application and a smart bot with its own credentials.
        tomcat = new EmbeddedTomcat()
                .filter("app", new WeComCallbackFilter(), SetA.replayParams("maxBodyBytes", "4096"), "/callback")
                .servlet("app", app, "/callback")
                .filter("bot", new WeComCallbackFilter(), Map.of("token", BOT_TOKEN, "encodingAesKey", BOT_KEY,
                        "corpId", SetA.CORP_ID, "receiveId", ""), "/bot")
                .servlet("bot", bot, "/bot")
                .start();
        port = tomcat.port();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    @BeforeEach
    void reset() {
        app.invocations.set(0);
        app.behaviour = (request, response) -> { };
        bot.invocations.set(0);
    }

    @Test
    void get_officialVector_answersThePlaintextAndNothingElse() throws Exception {
        RawHttp.Response r = RawHttp.get(port, "/callback?msg_signature=" + SetA.GET_MSG_SIGNATURE + "&timestamp="
                + SetA.GET_TIMESTAMP + "&nonce=" + SetA.GET_NONCE + "&echostr=" + SetA.GET_ECHOSTR_ON_THE_WIRE);
        assertEquals(200, r.status());
        assertArrayEquals(SetA.GET_PLAINTEXT.getBytes(UTF_8), r.body(), "no BOM, no quotes, no newline");
        assertEquals("text/plain;charset=UTF-8", r.header("Content-Type"));
        assertEquals("19", r.header("Content-Length"));
        assertNull(r.header("Transfer-Encoding"));
        assertEquals(0, app.invocations.get(), "the application never runs on the URL check");
    }

    @Test
    void get_randomEchostr_fromTheIndependentPeer_isAnsweredByteForByte() throws Exception {
        String plaintext = "8736250394857123948";
        RawHttp.Response r = RawHttp.get(port, "/callback?" + wecom.verifyUrlQuery(plaintext));
        assertEquals(200, r.status());
        assertEquals(plaintext, r.bodyText());
    }

    @Test
    void get_plusSignsDecodedToSpacesByAProxy_isStillAccepted() throws Exception {
        String doubleDecoded = SetA.GET_ECHOSTR.replace("/", "%2F").replace("=", "%3D"); // '+' left raw: a space
        RawHttp.Response r = RawHttp.get(port, "/callback?msg_signature=" + SetA.GET_MSG_SIGNATURE + "&timestamp="
                + SetA.GET_TIMESTAMP + "&nonce=" + SetA.GET_NONCE + "&echostr=" + doubleDecoded);
        assertEquals(200, r.status());
        assertEquals(SetA.GET_PLAINTEXT, r.bodyText());
    }

    @Test
    void post_officialVector_applicationSeesExactlyThePlaintext() throws Exception {
        RawHttp.Response r = post("/callback?msg_signature=" + SetA.POST_MSG_SIGNATURE + "&timestamp="
                + SetA.POST_TIMESTAMP + "&nonce=" + SetA.POST_NONCE, SetA.POST_BODY);
        assertEquals(200, r.status());
        assertEquals(0, r.body().length, "an empty application answer stays an empty 200");
        assertEquals(1, app.invocations.get());
        assertArrayEquals(SetA.POST_PLAINTEXT.getBytes(UTF_8), app.body);
        assertEquals("text/xml;charset=UTF-8", app.contentType);
        assertEquals("text/xml;charset=UTF-8", app.headerContentType);
        assertEquals(284, app.contentLength);
        assertEquals(SetA.POST_PLAINTEXT, app.plaintext);
        assertEquals(SetA.CORP_ID, app.receiveId);
        assertEquals("218", app.agentId);
        assertEquals("hello", ((WeComMessage) app.message).content());
    }

    @Test
    void post_replyWrittenWithWriter_isEncryptedAndWxJavaDecryptsIt() throws Exception {
        String reply = "<xml><Content><![CDATA[你好 😀 <&>]]></Content></xml>";
        app.behaviour = (request, response) -> response.getWriter().print(reply);
        assertReplyRoundTrips(reply);
    }

    @Test
    void post_replyWrittenToStreamWithFlushes_isEncryptedWhole() throws Exception {
        String reply = "<xml><Content><![CDATA[part one, part two]]></Content></xml>";
        app.behaviour = (request, response) -> {
            byte[] bytes = reply.getBytes(UTF_8);
            response.getOutputStream().write(bytes, 0, 20);
            response.getOutputStream().flush();
            response.flushBuffer();
            response.getOutputStream().write(bytes, 20, bytes.length - 20);
        };
        assertReplyRoundTrips(reply);
    }

    @Test
    void post_writerFlushedAndLengthSetByTheApplication_stillEncrypted() throws Exception {
        String reply = "<xml><Content>flushed</Content></xml>";
        app.behaviour = (request, response) -> {
            response.setContentType("text/plain;charset=ISO-8859-1");
            response.setContentLength(3);
            response.getWriter().write(reply);
            response.getWriter().flush();
        };
        assertReplyRoundTrips(reply);
    }

    @Test
    void post_bodyHeadersSetDirectlyByTheApplication_doNotLeakOntoTheEnvelope() throws Exception {
        String reply = "<xml><Content>headers</Content></xml>";
        app.behaviour = (request, response) -> {
            response.setHeader("Content-Type", "text/html");
            response.setIntHeader("Content-Length", 7);
            response.setHeader("X-App", "kept");
            response.getWriter().write(reply);
        };
        Platform.Callback callback = wecom.post(uniqueMessage());
        RawHttp.Response r = post("/callback?" + callback.query(), callback.body());
        assertEquals("kept", r.header("X-App"));
        assertEquals(reply, wecom.decryptXmlReply(r.bodyText()));
        assertEquals("text/xml;charset=UTF-8", r.header("Content-Type"));
    }

    private void assertReplyRoundTrips(String reply) throws Exception {
        Platform.Callback callback = wecom.post(uniqueMessage());
        RawHttp.Response r = post("/callback?" + callback.query(), callback.body());
        assertEquals(200, r.status());
        assertEquals("text/xml;charset=UTF-8", r.header("Content-Type"));
        assertEquals(Integer.toString(r.body().length), r.header("Content-Length"));
        String envelope = r.bodyText();
        assertTrue(envelope.startsWith("<xml><Encrypt><![CDATA["), envelope);
        assertFalse(envelope.contains("Content"), "no plaintext on the wire");
        assertEquals(reply, wecom.decryptXmlReply(envelope));
        long timeStamp = Long.parseLong(Platform.field(envelope, "TimeStamp"));
        assertTrue(Math.abs(timeStamp - System.currentTimeMillis() / 1000) < 60, "TimeStamp is in seconds");
    }

    @Test
    void post_literalSuccess_isSentAsIsForSuiteCommandCallbacks() throws Exception {
        app.behaviour = (request, response) -> response.getWriter().write("success");
        Platform.Callback callback = wecom.post("<xml><SuiteId><![CDATA[ww4asffe9xxx4c0f4c]]></SuiteId>"
                + "<InfoType><![CDATA[suite_ticket]]></InfoType><TimeStamp>" + System.nanoTime() + "</TimeStamp>"
                + "<SuiteTicket><![CDATA[asdfasfdasdfasdf]]></SuiteTicket></xml>");
        RawHttp.Response r = post("/callback?" + callback.query(), callback.body());
        assertEquals(200, r.status());
        assertEquals("success", r.bodyText());
    }

    @Test
    void post_applicationSendsError_statusPassesWithoutItsPlaintextPage() throws Exception {
        app.behaviour = (request, response) -> response.sendError(503, "secret plaintext detail");
        Platform.Callback callback = wecom.post(uniqueMessage());
        RawHttp.Response r = post("/callback?" + callback.query(), callback.body());
        assertEquals(503, r.status());
        assertEquals(0, r.body().length);
    }

    @Test
    void post_jsonBotCallback_getsJsonBodyAndJsonReplyWithTheRequestNonce() throws Exception {
        String plaintext = "{\"msgtype\":\"text\",\"text\":{\"content\":\"hi 你好\"}}";
        String reply = "{\"msgtype\":\"text\",\"text\":{\"content\":\"hello\"}}";
        bot.behaviour = (request, response) -> response.getWriter().write(reply);
        Platform.Callback callback = botPlatform.postJson(plaintext);
        RawHttp.Response r = post("/bot?" + callback.query(), callback.body());
        assertEquals(200, r.status());
        assertEquals("application/json;charset=UTF-8", r.header("Content-Type"));
        assertArrayEquals(plaintext.getBytes(UTF_8), bot.body);
        assertEquals("application/json;charset=UTF-8", bot.contentType);
        assertEquals("", bot.receiveId);
        assertNull(bot.message);
        String json = r.bodyText();
        assertTrue(json.matches("\\{\"encrypt\":\"[A-Za-z0-9+/=]+\",\"msgsignature\":\"[0-9a-f]{40}\","
                + "\"timestamp\":[0-9]{10},\"nonce\":\"" + callback.nonce() + "\"}"), json);
        String encrypt = json.replaceAll(".*\"encrypt\":\"([^\"]+)\".*", "$1");
        String signature = json.replaceAll(".*\"msgsignature\":\"([^\"]+)\".*", "$1");
        String timestamp = json.replaceAll(".*\"timestamp\":([0-9]+).*", "$1");
        assertEquals(reply, botPlatform.decryptReply(signature, timestamp, callback.nonce(), encrypt));
        assertEquals(0, app.invocations.get(), "the other filter's application is untouched");
    }

    @Test
    void twoFilters_eachRefusesTheOthersCallbacks() throws Exception {
        Platform.Callback forApp = wecom.post(uniqueMessage());
        RawHttp.Response r = post("/bot?" + forApp.query(), forApp.body());
        assertEquals(403, r.status());
        assertEquals("-40001", r.bodyText());
        assertEquals(0, bot.invocations.get());
    }

    // ---- refusals: status, the official code alone, the application never runs ----

    @Test
    void get_withoutParameters_refused400() throws Exception {
        assertRefused(RawHttp.get(port, "/callback"), 400, "-40001");
    }

    @Test
    void get_wrongSignature_refused403() throws Exception {
        assertRefused(RawHttp.get(port, "/callback?msg_signature=" + "0".repeat(40) + "&timestamp="
                + SetA.GET_TIMESTAMP + "&nonce=" + SetA.GET_NONCE + "&echostr=" + SetA.GET_ECHOSTR_ON_THE_WIRE),
                403, "-40001");
    }

    @Test
    void get_malformedPercentEscape_refused400() throws Exception {
        assertRefused(RawHttp.get(port, "/callback?msg_signature=%zz&timestamp=1&nonce=2&echostr=3"), 400, "-40001");
    }

    @Test
    void post_wrongSignature_refused403() throws Exception {
        assertRefused(post("/callback?msg_signature=" + "0".repeat(40) + "&timestamp=" + SetA.POST_TIMESTAMP
                + "&nonce=" + SetA.POST_NONCE, SetA.POST_BODY), 403, "-40001");
    }

    @Test
    void post_otherCorp_refused403With40005() throws Exception {
        Platform otherCorp = new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, "ww_other_corp");
        Platform.Callback callback = otherCorp.post("<xml/>");
        assertRefused(post("/callback?" + callback.query(), callback.body()), 403, "-40005");
    }

    @Test
    void post_wrongKey_refused400With40008() throws Exception {
        Platform otherKey = new Platform(SetA.TOKEN, BOT_KEY, SetA.CORP_ID);
        Platform.Callback callback = otherKey.post("<xml/>");
        RawHttp.Response r = post("/callback?" + callback.query(), callback.body());
        assertEquals(400, r.status());
        // With the wrong key the padding is garbage: a valid one by chance and then a length field that fits
        // has odds of about one in two billion.
        assertEquals("-40008", r.bodyText());
        assertEquals(0, app.invocations.get());
    }

    @Test
    void post_notAnEnvelope_refused400With40002() throws Exception {
        assertRefused(post("/callback?" + wellFormedQuery(), "<html>hi</html>"), 400, "-40002");
        assertRefused(post("/callback?" + wellFormedQuery(), ""), 400, "-40002");
    }

    @Test
    void post_withoutQuery_refused400() throws Exception {
        assertRefused(post("/callback", SetA.POST_BODY), 400, "-40001");
    }

    @Test
    void post_declaredTooLarge_refused413WithoutReadingIt() throws Exception {
        RawHttp.Response r = RawHttp.request(port, "POST", "/callback?" + wellFormedQuery(),
                "Content-Type: text/xml\r\nContent-Length: 100000000\r\n", new byte[0]);
        assertRefused(r, 413, "-40002");
    }

    @Test
    void post_chunkedTooLarge_refused413() throws Exception {
        String chunk = Integer.toHexString(5000) + "\r\n" + "a".repeat(5000) + "\r\n0\r\n\r\n";
        RawHttp.Response r = RawHttp.request(port, "POST", "/callback?" + wellFormedQuery(),
                "Content-Type: text/xml\r\nTransfer-Encoding: chunked\r\n", chunk.getBytes(UTF_8));
        assertRefused(r, 413, "-40002");
    }

    @Test
    void otherMethods_refused405() throws Exception {
        for (String method : new String[] {"PUT", "DELETE", "PATCH", "HEAD"}) {
            RawHttp.Response r = RawHttp.request(port, method, "/callback", "Content-Length: 0\r\n", new byte[0]);
            assertEquals(405, r.status(), method);
            assertEquals("GET, POST", r.header("Allow"));
        }
        assertRefused(RawHttp.request(port, "PUT", "/callback", "Content-Length: 0\r\n", new byte[0]), 405, "-40002");
    }

    @Test
    void post_formEncodedBody_isRefusedAndNotReadAsParameters() throws Exception {
        RawHttp.Response r = RawHttp.request(port, "POST", "/callback?" + wellFormedQuery(),
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n", "echostr=x".getBytes(UTF_8));
        assertRefused(r, 400, "-40002");
    }

    /**
     * Parameters that pass every check made before the body is read (a 40-digit signature, the current
     * timestamp, a nonce), so that what the body holds is what gets refused.
     */
    static String wellFormedQuery() {
        return "msg_signature=" + "0".repeat(40) + "&timestamp=" + System.currentTimeMillis() / 1000 + "&nonce=2";
    }

    @Test
    void post_malformedParameters_refusedBeforeTheBodyIsRead() throws Exception {
        String now = Long.toString(System.currentTimeMillis() / 1000);
        String sig = "0".repeat(40);
        // Content-Length announces a body that never comes: were it read, the request would hang.
        for (String query : new String[] {"msg_signature=a&timestamp=" + now + "&nonce=2",
                "msg_signature=" + sig + "&timestamp=12a&nonce=2", "msg_signature=" + sig + "&timestamp=-5&nonce=2",
                "msg_signature=" + sig + "&timestamp=99999999999&nonce=2",
                "msg_signature=" + sig + "&timestamp=" + now + "&nonce=" + "9".repeat(65),
                "msg_signature=" + sig + "&msg_signature=" + sig + "&timestamp=" + now + "&nonce=2",
                "msg_signature=" + sig + "&timestamp=" + now + "&timestamp=" + now + "&nonce=2"}) {
            long start = System.nanoTime();
            RawHttp.Response r = RawHttp.request(port, "POST", "/callback?" + query,
                    "Content-Type: text/xml\r\nContent-Length: 1000\r\n", new byte[0]);
            assertRefused(r, 400, "-40001");
            assertTrue(System.nanoTime() - start < 2_000_000_000L, query);
        }
        assertEquals(0, app.invocations.get());
    }

    private static final java.util.concurrent.atomic.AtomicLong MSG_ID = new java.util.concurrent.atomic.AtomicLong(
            System.nanoTime());

    /** A text message no other test sends: deliveries seen before are answered without the application. */
    static String uniqueMessage() {
        return "<xml><ToUserName><![CDATA[" + SetA.CORP_ID + "]]></ToUserName><FromUserName><![CDATA[mycreate]]>"
                + "</FromUserName><CreateTime>1409659813</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                + "<Content><![CDATA[hello]]></Content><MsgId>" + MSG_ID.incrementAndGet() + "</MsgId>"
                + "<AgentID>218</AgentID></xml>";
    }

    private static RawHttp.Response post(String pathAndQuery, String body) throws Exception {
        byte[] bytes = body.getBytes(UTF_8);
        return RawHttp.request(port, "POST", pathAndQuery,
                "Content-Type: text/xml\r\nContent-Length: " + bytes.length + "\r\n", bytes);
    }

    private static void assertRefused(RawHttp.Response r, int status, String code) {
        assertEquals(status, r.status());
        assertEquals(code, r.bodyText());
        assertEquals(0, app.invocations.get(), "the application must not run on a refusal");
    }
}
