package example;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.wecomcallback.crypto.EncryptedReply;
import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.message.ReplyEnvelope;

/**
 * The filter's contract through a real Spring Boot application on its embedded Tomcat, with random credentials:
 * the URL check answered with exactly the plaintext, a message answered with an encrypted reply, a forged one
 * refused with the official code, and an exception in the controller answered bare, never with its text.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WeComApplicationTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String TOKEN = random("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 32);
    private static final String KEY = random("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 43);
    private static final String CORP = "ww" + random("0123456789abcdef", 16);

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void credentials(DynamicPropertyRegistry registry) {
        registry.add("WECOM_TOKEN", () -> TOKEN);
        registry.add("WECOM_ENCODING_AES_KEY", () -> KEY);
        registry.add("WECOM_CORP_ID", () -> CORP);
    }

    private static String random(String alphabet, int length) {
        StringBuilder out = new StringBuilder();
        while (out.length() < length) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /** WeCom's side of the exchange. */
    private static WeComCrypto platform(String token) throws Exception {
        return WeComCrypto.builder(token, KEY, CORP).build();
    }

    private String url(EncryptedReply signed) {
        return "http://127.0.0.1:" + port + "/wecom/callback?msg_signature=" + signed.msgSignature() + "&timestamp="
                + signed.timeStamp() + "&nonce=" + signed.nonce();
    }

    private HttpResponse<byte[]> post(WeComCrypto sender, String plaintext) throws Exception {
        EncryptedReply sealed = sender.encrypt(plaintext.getBytes(UTF_8), sender.newNonce());
        String body = "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><Encrypt><![CDATA[" + sealed.encrypt()
                + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
        return http.send(HttpRequest.newBuilder(URI.create(url(sealed))).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(String content) {
        return "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><FromUserName><![CDATA[zhangsan]]>"
                + "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                + "<Content><![CDATA[" + content + "]]></Content><MsgId>" + RANDOM.nextLong(1, Long.MAX_VALUE)
                + "</MsgId><AgentID>1000002</AgentID></xml>";
    }

    @Test
    void urlCheck_isAnsweredWithExactlyThePlaintext() throws Exception {
        WeComCrypto wecom = platform(TOKEN);
        String digits = Long.toString(RANDOM.nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE));
        EncryptedReply echostr = wecom.encrypt(digits.getBytes(UTF_8), wecom.newNonce());
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url(echostr) + "&echostr="
                + URLEncoder.encode(echostr.encrypt(), UTF_8))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertArrayEquals(digits.getBytes(UTF_8), r.body());
    }

    @Test
    void aTextMessage_isAnsweredWithAnEncryptedReply() throws Exception {
        WeComCrypto wecom = platform(TOKEN);
        HttpResponse<byte[]> r = post(wecom, text("你好 Spring"));
        assertEquals(200, r.statusCode());
        EncryptedReply reply = ReplyEnvelope.fromXml(new String(r.body(), UTF_8));
        String plaintext = wecom.decrypt(reply.msgSignature(), Long.toString(reply.timeStamp()), reply.nonce(),
                reply.encrypt()).plaintextUtf8();
        assertTrue(plaintext.contains("<Content><![CDATA[spring got: 你好 Spring]]></Content>"), plaintext);
        assertTrue(plaintext.contains("<ToUserName><![CDATA[zhangsan]]></ToUserName>"), plaintext);
    }

    @Test
    void aForgedMessage_isRefusedWithTheOfficialCode() throws Exception {
        HttpResponse<byte[]> r = post(platform("not" + TOKEN.substring(3)), text("forged"));
        assertEquals(403, r.statusCode());
        assertEquals("-40001", new String(r.body(), UTF_8));
    }

    @Test
    void anExceptionInTheController_isABare500_withoutItsText() throws Exception {
        HttpResponse<byte[]> r = post(platform(TOKEN), text("boom"));
        assertEquals(500, r.statusCode());
        assertEquals("", new String(r.body(), UTF_8)); // no error page, no exception text: the log has it
        assertFalse(r.headers().firstValue("Content-Type").orElse("").contains("json"));
    }
}
