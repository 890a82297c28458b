package io.github.wecomcallback.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.crypto.EncryptedReply;
import io.github.wecomcallback.testing.SetA;

class MessageCodecTest {
    private static final Instant T = Instant.ofEpochSecond(1348831860L);

    @Test
    void parse_setAText_givesTypedFields() throws Exception {
        WeComMessage m = MessageCodec.parseMessage(SetA.POST_PLAINTEXT.getBytes(UTF_8));
        assertEquals("wx5823bf96d3bd56c7", m.toUserName());
        assertEquals("mycreate", m.fromUserName());
        assertEquals(1409659813L, m.createTime());
        assertEquals(WeComMessage.MsgType.TEXT, m.msgType());
        assertEquals("hello", m.content());
        assertEquals("4561255354251345929", m.msgId());
        assertEquals("218", m.agentId());
        assertFalse(m.isEvent());
        assertTrue(m.otherElements().isEmpty());
    }

    @Test
    void parse_events_withNestedInfo_andUnknownElementsPreserved() throws Exception {
        String xml = "<xml><ToUserName><![CDATA[ww1]]></ToUserName><FromUserName><![CDATA[u1]]></FromUserName>"
                + "<CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[pic_weixin]]></Event><EventKey><![CDATA[k]]></EventKey>"
                + "<SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum><![CDATA[m1]]></PicMd5Sum></item>"
                + "<item><PicMd5Sum><![CDATA[m2]]></PicMd5Sum></item></PicList></SendPicsInfo>"
                + "<ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>r</ScanResult></ScanCodeInfo>"
                + "<SendLocationInfo><Location_X>23.1</Location_X><Location_Y>113.3</Location_Y><Scale>15</Scale>"
                + "<Label>L</Label><Poiname>P</Poiname></SendLocationInfo>"
                + "<BatchJob><JobId>j</JobId><JobType>sync_user</JobType><ErrCode>0</ErrCode><ErrMsg>ok</ErrMsg></BatchJob>"
                + "<ChangeType>update_user</ChangeType><UserID>zhangsan</UserID><NewUserID>zs</NewUserID>"
                + "<FutureField><![CDATA[future]]></FutureField><AgentID>1</AgentID></xml>";
        WeComMessage m = MessageCodec.parseMessage(xml.getBytes(UTF_8));
        assertTrue(m.isEvent());
        assertEquals(WeComMessage.Event.PIC_WEIXIN, m.event());
        assertEquals(2, m.sendPicsInfo().count());
        assertEquals("m2", m.sendPicsInfo().picList().get(1).picMd5Sum());
        assertEquals("qrcode", m.scanCodeInfo().scanType());
        assertEquals(23.1, m.sendLocationInfo().locationX());
        assertEquals("P", m.sendLocationInfo().poiname());
        assertEquals("sync_user", m.batchJob().jobType());
        assertEquals(WeComMessage.ChangeType.UPDATE_USER, m.changeType());
        assertEquals("zs", m.newUserId());
        assertEquals("future", m.otherElementText("FutureField"));
        assertNull(m.msgId());
    }

    @Test
    void parse_suiteCommand_givesTypedFields() throws Exception {
        WeComMessage m = MessageCodec.parseMessage(("<xml><SuiteId><![CDATA[ww4asffe9xxx4c0f4c]]></SuiteId>"
                + "<InfoType><![CDATA[suite_ticket]]></InfoType><TimeStamp>1403610513</TimeStamp>"
                + "<SuiteTicket><![CDATA[asdfasfdasdfasdf]]></SuiteTicket></xml>").getBytes(UTF_8));
        assertEquals("ww4asffe9xxx4c0f4c", m.suiteId());
        assertEquals("suite_ticket", m.infoType());
        assertEquals("asdfasfdasdfasdf", m.suiteTicket());
        assertEquals("1403610513", m.otherElementText("TimeStamp"));
    }

    @Test
    void looksLikeXmlOrJson_afterABomAndWhitespace_andTheSameInAViewOfABuffer() {
        // The filter asks it of a read-only view into the decrypted bytes (the plaintext between the random prefix
        // and the receive id), so the view's bounds, not the array's, must count.
        String[][] cases = {{"<xml/>", "true"}, {"{\"a\":1}", "true"}, {"\uFEFF <x/>", "true"}, {" \t\r\n{}", "true"},
            {"1616140317555161061", "false"}, {"", "false"}, {"   ", "false"}, {"\uFEFF", "false"}, {"\uFEFFx<", "false"},
            {"\u00A0<x/>", "false"}, {"\f<x/>", "false"}};
        for (String[] c : cases) {
            byte[] text = c[0].getBytes(UTF_8);
            boolean expected = Boolean.parseBoolean(c[1]);
            assertEquals(expected, MessageCodec.looksLikeXmlOrJson(text), c[0]);
            for (String frame : new String[] {"<", "x"}) { // a '<' just outside the view must not count
                byte[] framed = (frame.repeat(5) + c[0] + frame.repeat(7)).getBytes(UTF_8);
                java.nio.ByteBuffer view = java.nio.ByteBuffer.wrap(framed).slice(5, text.length).asReadOnlyBuffer();
                assertEquals(expected, MessageCodec.looksLikeXmlOrJson(view), c[0] + " framed by " + frame);
                assertEquals(0, view.position());
                java.nio.ByteBuffer positioned = java.nio.ByteBuffer.wrap(framed, 5, text.length);
                assertEquals(expected, MessageCodec.looksLikeXmlOrJson(positioned), c[0] + " at position 5");
                assertEquals(5, positioned.position());
            }
        }
    }

    @Test
    void textReply_isSerialisedAsTheOfficialSample() {
        String xml = MessageCodec.toXml(new Replies.TextReply("toUser", "fromUser", T, "this is a test"));
        assertEquals("<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[fromUser]]></FromUserName>"
                + "<CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                + "<Content><![CDATA[this is a test]]></Content></xml>", xml);
    }

    @Test
    void replies_ofEveryType_haveTheOfficialShape() {
        String head = "<xml><ToUserName><![CDATA[u]]></ToUserName><FromUserName><![CDATA[c]]></FromUserName>"
                + "<CreateTime>1348831860</CreateTime><MsgType><![CDATA[";
        assertEquals(head + "image]]></MsgType><Image><MediaId><![CDATA[m]]></MediaId></Image></xml>",
                MessageCodec.toXml(new Replies.ImageReply("u", "c", T, "m")));
        assertEquals(head + "voice]]></MsgType><Voice><MediaId><![CDATA[m]]></MediaId></Voice></xml>",
                MessageCodec.toXml(new Replies.VoiceReply("u", "c", T, "m")));
        assertEquals(head + "video]]></MsgType><Video><MediaId><![CDATA[m]]></MediaId><Title><![CDATA[t]]></Title>"
                + "<Description><![CDATA[d]]></Description></Video></xml>",
                MessageCodec.toXml(new Replies.VideoReply("u", "c", T, "m", "t", "d")));
        assertEquals(head + "news]]></MsgType><ArticleCount>1</ArticleCount><Articles><item><Title><![CDATA[t]]></Title>"
                + "<Description><![CDATA[d]]></Description><PicUrl><![CDATA[p]]></PicUrl><Url><![CDATA[l]]></Url>"
                + "</item></Articles></xml>",
                MessageCodec.toXml(new Replies.NewsReply("u", "c", T, List.of(new Replies.Article("t", "d", "p", "l")))));
        assertEquals(head + "update_button]]></MsgType><Button><ReplaceName><![CDATA[done]]></ReplaceName></Button></xml>",
                MessageCodec.toXml(new Replies.UpdateButtonReply("u", "c", T, "done")));
    }

    @Test
    void replyText_withCdataTerminatorAndSpecialCharacters_survivesARoundTrip() throws Exception {
        String tricky = "a]]>b <&> 你好 😀";
        String xml = MessageCodec.toXml(new Replies.TextReply("u", "c", T, tricky));
        // WeComMessage reads Content the same way WeCom would.
        assertEquals(tricky, MessageCodec.parseMessage(xml.getBytes(UTF_8)).content());
    }

    @Test
    void replyEnvelope_xmlAndJson_haveTheOfficialShape() {
        EncryptedReply reply = new EncryptedReply("ENC+/=", "sig", 1409659813L, "1372623149");
        assertEquals("<xml><Encrypt><![CDATA[ENC+/=]]></Encrypt><MsgSignature><![CDATA[sig]]></MsgSignature>"
                + "<TimeStamp>1409659813</TimeStamp><Nonce><![CDATA[1372623149]]></Nonce></xml>",
                ReplyEnvelope.toXml(reply));
        assertEquals("{\"encrypt\":\"ENC+/=\",\"msgsignature\":\"sig\",\"timestamp\":1409659813,\"nonce\":\"1372623149\"}",
                ReplyEnvelope.toJson(reply));
        assertEquals("{\"encrypt\":\"e\",\"msgsignature\":\"s\",\"timestamp\":1,\"nonce\":\"a\\\"b\\\\c\\u000a\"}",
                ReplyEnvelope.toJson(new EncryptedReply("e", "s", 1, "a\"b\\c\n")));
    }

    @Test
    void robotEnvelope_withOnlyEncrypt_isAccepted() throws Exception {
        EncryptedEnvelope e = MessageCodec.parseEnvelope("<xml><Encrypt><![CDATA[abc]]></Encrypt></xml>".getBytes(UTF_8));
        assertEquals("abc", e.encrypt());
        assertNull(e.agentId());
        assertNull(e.toUserName());
        assertFalse(e.isJson());
    }
}
