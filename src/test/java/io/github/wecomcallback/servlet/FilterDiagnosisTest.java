package io.github.wecomcallback.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.EmbeddedTomcat;
import io.github.wecomcallback.testing.LogCapture;
import io.github.wecomcallback.testing.Platform;
import io.github.wecomcallback.testing.RawHttp;
import io.github.wecomcallback.testing.SetA;

/**
 * What a first-time user reads in the log for each mistake: the official code, the likely cause, the fix;
 * never the token, the key or the plaintext. A fresh Tomcat per test so that rate limiting starts afresh.
 */
class FilterDiagnosisTest {
    private static final String TOKEN = "Tok3nS3cretValue";
    private static final String KEY = "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa9876543";
    private static final String CORP = "ww1122334455667788";
    private static final String SECRET_TEXT = "PLAINTEXT-SECRET-42";

    private final LogCapture log = LogCapture.library();
    private final List<String> lines = log.lines();
    private EmbeddedTomcat tomcat;
    private int port;

    @BeforeEach
    void start() throws Exception {
        log.start();
        tomcat = new EmbeddedTomcat()
                .filter("orders-app", new WeComCallbackFilter(), Map.of("token", TOKEN, "encodingAesKey", KEY,
                        "corpId", CORP, "timestampToleranceSeconds", "300"), "/callback")
                .servlet("app", new RecordingServlet(), "/callback")
                .start();
        port = tomcat.port();
    }

    @AfterEach
    void stop() throws Exception {
        tomcat.close();
        log.close();
        for (String line : lines) {
            assertFalse(line.contains(TOKEN), "token in log: " + line);
            assertFalse(line.contains(KEY), "key in log: " + line);
            assertFalse(line.contains(SECRET_TEXT), "plaintext in log: " + line);
        }
    }

    private String onlyWarning() {
        List<String> warnings = lines.stream().filter(l -> l.startsWith("WARNING")).toList();
        assertEquals(1, warnings.size(), "one warning expected: " + lines);
        return warnings.get(0);
    }

    @Test
    void startup_summarisesTheConfigurationWithoutSecrets() {
        String info = lines.stream().filter(l -> l.contains("ready:")).findFirst().orElseThrow();
        assertTrue(info.contains("WeComCallbackFilter [orders-app] ready: corpId=" + CORP), info);
        assertTrue(info.contains("timestampToleranceSeconds=300"), info);
    }

    @Test
    void wrongToken_isDiagnosed() throws Exception {
        Platform other = new Platform("OtherToken", KEY, CORP);
        RawHttp.get(port, "/callback?" + other.verifyUrlQuery("123"));
        String line = onlyWarning();
        assertTrue(line.contains("403 -40001"), line);
        assertTrue(line.contains("the token differs from the Token in the WeCom console"), line);
    }

    @Test
    void wrongKey_isDiagnosed() throws Exception {
        Platform other = new Platform(TOKEN, SetA.ENCODING_AES_KEY, CORP);
        Platform.Callback c = other.post("<xml><Content>" + SECRET_TEXT + "</Content></xml>");
        post(c);
        String line = onlyWarning();
        assertTrue(line.contains("the EncodingAESKey differs from the one in the WeCom console"), line);
        // (Decrypted with the wrong key, the plaintext never exists here: the secret text cannot reach the log.)
    }

    @Test
    void wrongReceiveId_printsBothIdsAndTheParameterToChange() throws Exception {
        Platform suite = new Platform(TOKEN, KEY, "wwsuite0001");
        post(suite.post("<xml><Content>" + SECRET_TEXT + "</Content></xml>"));
        String line = onlyWarning();
        assertTrue(line.contains("403 -40005"), line);
        assertTrue(line.contains("[wwsuite0001]") && line.contains("[" + CORP + "]"), line);
        assertTrue(line.contains("set receiveId to the suite id"), line);
    }

    @Test
    void staleTimestamp_reportsSkewAndDirection() throws Exception {
        io.github.wecomcallback.crypto.WeComCrypto platform =
                io.github.wecomcallback.crypto.WeComCrypto.builder(TOKEN, KEY, CORP).build();
        String echostr = platform.encrypt("1".getBytes(UTF_8)).encrypt();
        String ts = Long.toString(System.currentTimeMillis() / 1000 - 1000);
        RawHttp.get(port, "/callback?msg_signature=" + platform.sign(ts, "n1", echostr) + "&timestamp=" + ts
                + "&nonce=n1&echostr=" + java.net.URLEncoder.encode(echostr, UTF_8));
        String line = onlyWarning();
        assertTrue(line.matches(".*the timestamp is 10\\d\\d s behind this server's clock.*"), line);
        assertTrue(line.contains("NTP"), line);
    }

    @Test
    void browser_isToldApart() throws Exception {
        RawHttp.get(port, "/callback");
        assertTrue(onlyWarning().contains("this request did not come from WeCom"));
    }

    @Test
    void plusTurnedIntoSpace_isAcceptedAndLoggedOnceAsADeploymentDefect() throws Exception {
        Platform wecom = new Platform(TOKEN, KEY, CORP);
        for (int i = 0; i < 3; i++) {
            String query;
            do {
                query = wecom.verifyUrlQuery("42");
            } while (!query.contains("%2B"));
            RawHttp.Response r = RawHttp.get(port, "/callback?" + query.replace("%2B", "+"));
            assertEquals(200, r.status());
            assertEquals("42", r.bodyText());
        }
        String line = onlyWarning();
        assertTrue(line.contains("decodes the URL twice"), line);
        assertTrue(line.contains("Logged once"), line);
    }

    @Test
    void oversizedBody_andWrongMethod_areDiagnosed() throws Exception {
        RawHttp.request(port, "POST", "/callback?" + FilterOverHttpTest.wellFormedQuery(),
                "Content-Length: 5000000\r\n", new byte[0]);
        RawHttp.request(port, "PUT", "/callback", "Content-Length: 0\r\n", new byte[0]);
        List<String> warnings = lines.stream().filter(l -> l.startsWith("WARNING")).toList();
        assertEquals(2, warnings.size(), lines.toString());
        assertTrue(warnings.get(0).contains("413") && warnings.get(0).contains("maxBodyBytes"), warnings.get(0));
        assertTrue(warnings.get(1).contains("405") && warnings.get(1).contains("only with GET"), warnings.get(1));
    }

    private void post(Platform.Callback c) throws Exception {
        byte[] body = c.body().getBytes(UTF_8);
        RawHttp.request(port, "POST", "/callback?" + c.query(), "Content-Length: " + body.length + "\r\n", body);
    }
}
