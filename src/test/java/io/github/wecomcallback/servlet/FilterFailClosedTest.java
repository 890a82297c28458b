package io.github.wecomcallback.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.testing.EmbeddedTomcat;
import io.github.wecomcallback.testing.LogCapture;
import io.github.wecomcallback.testing.Platform;
import io.github.wecomcallback.testing.RawHttp;
import io.github.wecomcallback.testing.SetA;

/**
 * What an attacker or a broken application tries, against the filter in a real Tomcat 11 (Servlet 6.1): nothing
 * decrypted for whoever asks, nothing plaintext on the wire, nothing unsigned trusted, one code per refusal.
 */
class FilterFailClosedTest {
    private static final RecordingServlet app = new RecordingServlet();
    private static final LogCapture log = LogCapture.library();
    private static final List<String> lines = log.lines();
    private EmbeddedTomcat tomcat;
    private int port;

    private final Platform wecom = new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);

    @BeforeAll
    static void listen() {
        log.start();
    }

    @AfterAll
    static void stopListening() {
        log.close();
    }

    /** A Tomcat per test: refusal logging is rate-limited per filter, and each test counts its own lines. */
    @BeforeEach
    void start() throws Exception {
        app.invocations.set(0);
        app.agentId = null;
        app.behaviour = (request, response) -> { };
        // The defaults, as a production deployment has them: timestamp window 300 s.
        tomcat = new EmbeddedTomcat()
                .filter("wecom", new WeComCallbackFilter(), SetA.initParams(), "/callback")
                .servlet("app", app, "/callback")
                .errorPage(new BareErrorServlet(), "/wecom-error") // as the WAR's web.xml declares it
                .start();
        port = tomcat.port();
        lines.clear();
    }

    @AfterEach
    void neverThePlaintextOrTheSecrets() throws Exception {
        tomcat.close();
        for (String line : lines) {
            assertFalse(line.contains(SetA.ENCODING_AES_KEY), line);
            assertFalse(line.contains("Content><![CDATA[secret"), line);
        }
    }

    @Test
    void urlCheckWithTheEncryptOfACapturedPost_isRefused_andRevealsNothing() throws Exception {
        String message = FilterOverHttpTest.uniqueMessage().replace("hello", "secret payroll");
        Platform.Callback captured = wecom.post(message);
        String encrypt = Platform.field(captured.body(), "Encrypt");
        // The attacker re-signs nothing: the captured signature covers Encrypt with that timestamp and nonce.
        Map<String, String> q = io.github.wecomcallback.testing.Queries.parse(captured.query());
        RawHttp.Response r = RawHttp.get(port, "/callback?msg_signature=" + q.get("msg_signature") + "&timestamp="
                + q.get("timestamp") + "&nonce=" + q.get("nonce") + "&echostr=" + URLEncoder.encode(encrypt, UTF_8));
        assertEquals(403, r.status());
        assertEquals("-40008", r.bodyText());
        assertFalse(r.bodyText().contains("secret"));
        assertTrue(warning().contains("replayed a captured callback as a URL check"), warning());
        assertFalse(lines.stream().anyMatch(l -> l.contains("the callback URL is verified")), lines.toString());
    }

    @Test
    void urlCheckWithTheFiltersOwnEncryptedReply_isRefused() throws Exception {
        app.behaviour = (request, response) -> response.getWriter().write("<xml><Content>secret reply</Content></xml>");
        Platform.Callback delivery = wecom.post(FilterOverHttpTest.uniqueMessage());
        String reply = post(delivery).bodyText();
        RawHttp.Response r = RawHttp.get(port, "/callback?msg_signature=" + Platform.field(reply, "MsgSignature")
                + "&timestamp=" + Platform.field(reply, "TimeStamp") + "&nonce=" + Platform.field(reply, "Nonce")
                + "&echostr=" + URLEncoder.encode(Platform.field(reply, "Encrypt"), UTF_8));
        assertEquals(403, r.status());
        assertEquals("-40008", r.bodyText());
    }

    @Test
    void theFiltersOwnReplyPostedBackAsACallback_isRefused_andTheApplicationDoesNotRun() throws Exception {
        app.behaviour = (request, response) -> response.getWriter().write("<xml><ToUserName><![CDATA[zhangsan]]>"
                + "</ToUserName><FromUserName><![CDATA[" + SetA.CORP_ID + "]]></FromUserName><Content>"
                + "<![CDATA[echo: secret]]></Content><MsgType><![CDATA[text]]></MsgType></xml>");
        String reply = post(wecom.post(FilterOverHttpTest.uniqueMessage())).bodyText();
        assertEquals(1, app.invocations.get());
        String query = "msg_signature=" + Platform.field(reply, "MsgSignature") + "&timestamp="
                + Platform.field(reply, "TimeStamp") + "&nonce=" + Platform.field(reply, "Nonce");
        RawHttp.Response reflected = post(new Platform.Callback(query,
                "<xml><Encrypt><![CDATA[" + Platform.field(reply, "Encrypt") + "]]></Encrypt></xml>", "n"));
        assertEquals(403, reflected.status());
        assertEquals("-40008", reflected.bodyText());
        assertEquals(1, app.invocations.get(), "the application never ran on its own reply");
        assertTrue(warning().contains("own encrypted replies, posted back"), warning());
    }

    @Test
    void anEchostrPostedAsACallback_isRefused() throws Exception {
        WeComCrypto signer = WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID).build();
        io.github.wecomcallback.crypto.EncryptedReply echostr = signer.encrypt("8372615".getBytes(UTF_8));
        RawHttp.Response r = post(new Platform.Callback("msg_signature=" + echostr.msgSignature() + "&timestamp="
                + echostr.timeStamp() + "&nonce=" + echostr.nonce(),
                "<xml><Encrypt><![CDATA[" + echostr.encrypt() + "]]></Encrypt></xml>", "n"));
        assertEquals(403, r.status());
        assertEquals("-40008", r.bodyText());
        assertEquals(0, app.invocations.get());
    }

    @Test
    void urlCheckWithARealEchostr_stillAnswers() throws Exception {
        RawHttp.Response r = RawHttp.get(port, "/callback?" + wecom.verifyUrlQuery("3894502120257093631"));
        assertEquals(200, r.status());
        assertEquals("3894502120257093631", r.bodyText());
    }

    @Test
    void applicationException_isAnsweredBare500_theStackTraceOnlyInTheLog_andTheRetryRunsAgain() throws Exception {
        app.behaviour = (request, response) -> {
            throw new IllegalStateException("database password is hunter2");
        };
        Platform.Callback delivery = wecom.post(FilterOverHttpTest.uniqueMessage());
        RawHttp.Response r = post(delivery);
        assertEquals(500, r.status());
        assertEquals(0, r.body().length);
        String raw = r.rawText();
        assertFalse(raw.contains("hunter2") || raw.contains("Exception") || raw.contains("Tomcat"), raw);
        assertTrue(lines.stream().anyMatch(l -> l.contains("the application failed") && l.contains("hunter2")),
                lines.toString());
        app.behaviour = (request, response) -> response.getWriter().write("<xml><Content>ok</Content></xml>");
        assertEquals("<xml><Content>ok</Content></xml>", wecom.decryptXmlReply(post(delivery).bodyText()));
        assertEquals(2, app.invocations.get());
    }

    @Test
    void servlet61Redirects_andEveryWayToCommit_areCaptured() throws Exception {
        List<RecordingServlet.Behaviour> ways = List.of(
                (request, response) -> response.sendRedirect("http://evil.example/?leak", 307, false),
                (request, response) -> response.sendRedirect("http://evil.example/?leak", 301),
                (request, response) -> response.sendRedirect("http://evil.example/?leak", true),
                (request, response) -> response.sendRedirect("http://evil.example/?leak"),
                (request, response) -> response.sendError(404, "secret page"),
                (request, response) -> {
                    response.setHeader("Location", "http://evil.example/?leak");
                    response.setHeader("X-Debug", "secret header");
                    response.setStatus(302);
                },
                (request, response) -> {
                    response.getWriter().write("secret partial");
                    response.flushBuffer();
                    response.setStatus(500);
                });
        for (RecordingServlet.Behaviour way : ways) {
            app.behaviour = way;
            RawHttp.Response r = post(wecom.post(FilterOverHttpTest.uniqueMessage()));
            assertTrue(r.status() >= 300, "status " + r.status());
            assertEquals(0, r.body().length, r.rawText());
            assertNull(r.header("Location"), r.rawText());
            assertFalse(r.rawText().contains("secret") || r.rawText().contains("evil"), r.rawText());
        }
    }

    @Test
    void aMalformedParameterThatIsNotOneOfWeComs_isNeitherReadNorChecked() throws Exception {
        Platform.Callback delivery = wecom.post(FilterOverHttpTest.uniqueMessage());
        RawHttp.Response r = post(new Platform.Callback("x%zz=1&" + delivery.query() + "&utm=%", delivery.body(),
                delivery.nonce()));
        assertEquals(200, r.status(), r.rawText());
        assertEquals(1, app.invocations.get());
    }

    @Test
    void startAsync_isRefusedLoudly_notDroppedSilently() throws Exception {
        app.behaviour = (request, response) -> request.startAsync();
        RawHttp.Response r = post(wecom.post(FilterOverHttpTest.uniqueMessage()));
        assertEquals(500, r.status());
        assertEquals(0, r.body().length);
        assertTrue(lines.stream().anyMatch(l -> l.contains("startAsync) is not supported")), lines.toString());
    }

    @Test
    void agentId_comesFromTheSignedMessage_neverFromTheEnvelope() throws Exception {
        String message = FilterOverHttpTest.uniqueMessage(); // carries <AgentID>218</AgentID>
        Platform.Callback signed = wecom.post(message);
        String forged = signed.body().replace("<AgentID><![CDATA[1000002]]></AgentID>",
                "<AgentID><![CDATA[666]]></AgentID>");
        assertTrue(forged.contains("666"));
        byte[] body = forged.getBytes(UTF_8);
        RawHttp.request(port, "POST", "/callback?" + signed.query(),
                "Content-Type: text/xml\r\nContent-Length: " + body.length + "\r\n", body);
        assertEquals(1, app.invocations.get());
        assertEquals("218", app.agentId);
    }

    @Test
    void aBodyThatStopsShortOfItsContentLength_isAnsweredBare_notWithTheContainersReport() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /callback?" + FilterOverHttpTest.wellFormedQuery() + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: text/xml\r\nContent-Length: 500\r\n\r\n<xml><Encrypt>").getBytes(UTF_8));
            out.flush();
            socket.shutdownOutput(); // the client is gone, its body short
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            // Tomcat fails the request itself when a read fails, and locks the response: the filter cannot send
            // its -40002, but the error page keeps the container's report (stack trace, version) off the wire.
            assertTrue(answer.endsWith("\r\n\r\n"), answer);
            assertFalse(answer.contains("Exception") || answer.contains("Tomcat") || answer.contains("<html"), answer);
        }
        assertEquals(0, app.invocations.get());
    }

    @Test
    void aTricklingBody_isCutOffAtTheFiltersDeadline() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /callback?" + FilterOverHttpTest.wellFormedQuery() + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: text/xml\r\nContent-Length: 4000\r\n\r\n").getBytes(UTF_8));
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            try {
                for (int i = 0; i < 4000 && in.available() == 0; i++) {
                    out.write('x'); // one byte every 100 ms: slower than any real client
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (IOException closedByTheServer) {
                // expected once the filter gave up
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            byte[] head = new byte[12];
            assertEquals(12, in.readNBytes(head, 0, 12));
            assertEquals("HTTP/1.1 400", new String(head, StandardCharsets.ISO_8859_1));
            assertTrue(seconds >= 4 && seconds <= 8, "answered after " + seconds + " s");
        }
        assertEquals(0, app.invocations.get());
    }

    @Test
    void thirtyTricklingBodies_whileValidCallbacksKeepBeingAnswered() throws Exception {
        List<Socket> tricklers = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write(("POST /callback?" + FilterOverHttpTest.wellFormedQuery()
                        + " HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: 4000\r\n\r\n<xml>")
                        .getBytes(UTF_8));
                tricklers.add(socket);
            }
            app.behaviour = (request, response) -> response.getWriter().write("<xml><Content>ok</Content></xml>");
            for (int i = 0; i < 10; i++) {
                for (Socket socket : tricklers) {
                    try {
                        socket.getOutputStream().write('x');
                    } catch (IOException cutOff) {
                        // the filter gave up on this one
                    }
                }
                long start = System.nanoTime();
                RawHttp.Response r = post(wecom.post(FilterOverHttpTest.uniqueMessage()));
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals("<xml><Content>ok</Content></xml>", wecom.decryptXmlReply(r.bodyText()));
                assertTrue(millis < 1000, "a valid callback took " + millis + " ms among the tricklers");
                Thread.sleep(300);
            }
        } finally {
            for (Socket socket : tricklers) {
                socket.close();
            }
        }
        assertEquals(10, app.invocations.get());
    }

    @Test
    void attackerTextInTheLog_isEscapedAndBounded() throws Exception {
        RawHttp.request(port, "X" + "M".repeat(7000), "/callback", "Content-Length: 0\r\n", new byte[0]);
        byte[] xmlDecl = ("<?xml version=\"1.0\" encoding=\"\u2028\u202E\n" + "x".repeat(100_000) + "\"?><xml/>")
                .getBytes(UTF_8);
        RawHttp.request(port, "POST", "/callback?" + FilterOverHttpTest.wellFormedQuery(),
                "Content-Type: text/xml\r\nContent-Length: " + xmlDecl.length + "\r\n", xmlDecl);
        assertEquals(2, lines.size(), lines.toString());
        for (String line : lines) {
            assertTrue(line.length() < 2000, "line of " + line.length());
            assertFalse(line.contains("\u2028") || line.contains("\u202E") || line.contains("\n"), line);
        }
    }

    @Test
    void everyRefusal_hasOneCode_inTheBodyAndInTheLog() throws Exception {
        Platform otherToken = new Platform("OtherToken", SetA.ENCODING_AES_KEY, SetA.CORP_ID);
        Platform otherKey = new Platform(SetA.TOKEN, SetA.KAT_KEY, SetA.CORP_ID);
        Platform otherCorp = new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, "ww_other");
        WeComCrypto signer = WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID).build();
        String now = Long.toString(System.currentTimeMillis() / 1000);
        String notBase64 = "@@@@";
        String sixteen = java.util.Base64.getEncoder().encodeToString(new byte[16]);
        Platform.Callback valid = wecom.post(FilterOverHttpTest.uniqueMessage());
        // A reply of the filter to post back, and a captured callback to present as an echostr.
        app.behaviour = (request, response) -> response.getWriter().write("<xml><Content>r</Content></xml>");
        String reply = post(wecom.post(FilterOverHttpTest.uniqueMessage())).bodyText();
        app.behaviour = (request, response) -> { };
        Map<String, String> captured = io.github.wecomcallback.testing.Queries.parse(valid.query());
        io.github.wecomcallback.crypto.EncryptedReply echostr = signer.encrypt("8372615".getBytes(UTF_8));
        app.invocations.set(0);
        lines.clear();
        List<RawHttp.Response> answers = List.of(
                RawHttp.get(port, "/callback"), // NOT_FROM_WECOM
                RawHttp.get(port, "/callback?msg_signature=%zz&timestamp=1&nonce=2&echostr=3"), // MALFORMED_QUERY
                RawHttp.get(port, "/callback?" + otherToken.verifyUrlQuery("1")), // SIGNATURE_MISMATCH
                RawHttp.get(port, "/callback?msg_signature=" + SetA.GET_MSG_SIGNATURE + "&timestamp="
                        + SetA.GET_TIMESTAMP + "&nonce=" + SetA.GET_NONCE + "&echostr=" + SetA.GET_ECHOSTR_ON_THE_WIRE),
                // TIMESTAMP_OUT_OF_WINDOW: the documented vector is from 2014
                RawHttp.get(port, "/callback?msg_signature=" + signer.sign(now, "1", notBase64) + "&timestamp=" + now
                        + "&nonce=1&echostr=" + notBase64), // MALFORMED_CIPHERTEXT
                RawHttp.get(port, "/callback?msg_signature=" + signer.sign(now, "1", sixteen) + "&timestamp=" + now
                        + "&nonce=1&echostr=" + URLEncoder.encode(sixteen, UTF_8)), // CIPHERTEXT_LENGTH
                RawHttp.get(port, "/callback?" + otherKey.verifyUrlQuery("1")), // WRONG_KEY (or receive id)
                RawHttp.get(port, "/callback?" + otherCorp.verifyUrlQuery("1")), // RECEIVE_ID_MISMATCH
                post(new Platform.Callback(valid.query(), "<html/>", valid.nonce())), // MALFORMED_ENVELOPE
                RawHttp.request(port, "POST", "/callback?" + FilterOverHttpTest.wellFormedQuery(),
                        "Content-Length: 999999999\r\n", new byte[0]), // BODY_TOO_LARGE
                RawHttp.request(port, "DELETE", "/callback", "Content-Length: 0\r\n", new byte[0]), // METHOD
                RawHttp.get(port, "/callback?msg_signature=" + captured.get("msg_signature") + "&timestamp="
                        + captured.get("timestamp") + "&nonce=" + captured.get("nonce") + "&echostr="
                        + URLEncoder.encode(Platform.field(valid.body(), "Encrypt"), UTF_8)), // NOT_AN_ECHOSTR
                post(new Platform.Callback("msg_signature=" + Platform.field(reply, "MsgSignature") + "&timestamp="
                        + Platform.field(reply, "TimeStamp") + "&nonce=" + Platform.field(reply, "Nonce"),
                        "<xml><Encrypt><![CDATA[" + Platform.field(reply, "Encrypt") + "]]></Encrypt></xml>", "n")),
                post(new Platform.Callback("msg_signature=" + echostr.msgSignature() + "&timestamp="
                        + echostr.timeStamp() + "&nonce=" + echostr.nonce(), "<xml><Encrypt><![CDATA["
                        + echostr.encrypt() + "]]></Encrypt></xml>", "n"))); // NOT_A_MESSAGE
        List<String> warnings = lines.stream().filter(l -> l.startsWith("WARNING")).toList();
        assertEquals(answers.size(), warnings.size(), warnings.toString());
        Pattern logged = Pattern.compile("with (\\d{3}) (-400\\d\\d) ");
        for (int i = 0; i < answers.size(); i++) {
            Matcher m = logged.matcher(warnings.get(i));
            assertTrue(m.find(), warnings.get(i));
            assertEquals(Integer.toString(answers.get(i).status()), m.group(1), warnings.get(i));
            assertEquals(answers.get(i).bodyText(), m.group(2), warnings.get(i));
        }
        assertEquals(List.of("-40001", "-40001", "-40001", "-40001", "-40010", "-40007", "-40008", "-40005", "-40002",
                "-40002", "-40002", "-40008", "-40008", "-40008"),
                answers.stream().map(RawHttp.Response::bodyText).toList());
        assertEquals(List.of(400, 400, 403, 403, 400, 400, 400, 403, 400, 413, 405, 403, 403, 403),
                answers.stream().map(RawHttp.Response::status).toList());
        assertEquals(0, app.invocations.get());
    }

    @Test
    void subSecondTolerance_isRefusedAtBuild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID)
                        .timestampTolerance(Duration.ofMillis(500)));
        assertTrue(e.getMessage().contains("whole number of seconds"), e.getMessage());
    }

    private static String warning() {
        List<String> warnings = lines.stream().filter(l -> l.startsWith("WARNING")).toList();
        assertEquals(1, warnings.size(), lines.toString());
        return warnings.get(0);
    }

    private RawHttp.Response post(Platform.Callback callback) throws Exception {
        return RawHttp.post(port, "/callback", callback);
    }
}
