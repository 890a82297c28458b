package io.github.wecomcallback.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.message.MessageCodec;
import io.github.wecomcallback.message.WeComMessage;
import io.github.wecomcallback.testing.Platform;
import io.github.wecomcallback.testing.RawHttp;
import io.github.wecomcallback.testing.SetA;

/**
 * What the built WAR must do in any container: the demo at /callback with the documentation's credentials.
 * Subclasses start a container and say on which port.
 */
abstract class DemoWarContract {
    private final Platform wecom = new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);

    abstract int port();

    @Test
    void urlCheck_officialVector_exactBytes() throws Exception {
        assertOfficialUrlCheckAnswered(port());
    }

    /** The documentation's URL check (Set A), answered with exactly its 19 plaintext bytes as text/plain. */
    static void assertOfficialUrlCheckAnswered(int port) throws Exception {
        RawHttp.Response r = RawHttp.get(port, "/callback?msg_signature=" + SetA.GET_MSG_SIGNATURE + "&timestamp="
                + SetA.GET_TIMESTAMP + "&nonce=" + SetA.GET_NONCE + "&echostr=" + SetA.GET_ECHOSTR_ON_THE_WIRE);
        assertEquals(200, r.status());
        assertArrayEquals(SetA.GET_PLAINTEXT.getBytes(UTF_8), r.body());
        assertEquals("19", r.header("Content-Length"));
        assertTrue(r.header("Content-Type").replace(" ", "").equalsIgnoreCase("text/plain;charset=UTF-8"),
                r.header("Content-Type"));
    }

    @Test
    void officialTextMessage_isAnsweredWithAnEncryptedEcho() throws Exception {
        RawHttp.Response r = post("/callback?msg_signature=" + SetA.POST_MSG_SIGNATURE + "&timestamp="
                + SetA.POST_TIMESTAMP + "&nonce=" + SetA.POST_NONCE, SetA.POST_BODY);
        assertEquals(200, r.status());
        WeComMessage reply = MessageCodec.parseMessage(wecom.decryptXmlReply(r.bodyText()).getBytes(UTF_8));
        assertEquals("echo: hello", reply.content());
        assertEquals("mycreate", reply.toUserName());
        assertEquals(SetA.CORP_ID, reply.fromUserName());
    }

    @Test
    void randomChineseText_fromTheIndependentPeer_isEchoed() throws Exception {
        Platform.Callback callback = wecom.post("<xml><ToUserName><![CDATA[" + SetA.CORP_ID + "]]></ToUserName>"
                + "<FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime>"
                + "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好，企业微信 😀 <&>]]></Content>"
                + "<MsgId>1234567890</MsgId><AgentID>1000002</AgentID></xml>");
        RawHttp.Response r = post("/callback?" + callback.query(), callback.body());
        assertEquals(200, r.status());
        WeComMessage reply = MessageCodec.parseMessage(wecom.decryptXmlReply(r.bodyText()).getBytes(UTF_8));
        assertEquals("echo: 你好，企业微信 😀 <&>", reply.content());
    }

    @Test
    void event_isAcknowledgedWithAnEmpty200() throws Exception {
        Platform.Callback callback = wecom.post("<xml><ToUserName><![CDATA[" + SetA.CORP_ID + "]]></ToUserName>"
                + "<FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1700000000</CreateTime>"
                + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event>"
                + "<AgentID>1000002</AgentID></xml>");
        RawHttp.Response r = post("/callback?" + callback.query(), callback.body());
        assertEquals(200, r.status());
        assertEquals(0, r.body().length);
    }

    @Test
    void refusals_carryTheOfficialCode() throws Exception {
        RawHttp.Response browser = RawHttp.get(port(), "/callback");
        assertEquals(400, browser.status());
        assertEquals("-40001", browser.bodyText());
        RawHttp.Response forged = post("/callback?msg_signature=" + "0".repeat(40) + "&timestamp=1&nonce=2",
                SetA.POST_BODY);
        assertEquals(403, forged.status());
        assertEquals("-40001", forged.bodyText());
    }

    private RawHttp.Response post(String pathAndQuery, String body) throws Exception {
        byte[] bytes = body.getBytes(UTF_8);
        return RawHttp.request(port(), "POST", pathAndQuery,
                "Content-Type: text/xml\r\nContent-Length: " + bytes.length + "\r\n", bytes);
    }
}
