package io.github.wecomcallback.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URLEncoder;

import me.chanjar.weixin.common.util.crypto.WxCryptUtil;

/**
 * WeCom's side of a callback, played by WxJava (an independent implementation): builds signed, encrypted
 * requests and decrypts and verifies replies.
 */
public final class Platform {
    private final WxCryptUtil peer;
    private final String corpId;

    public Platform(String token, String encodingAesKey, String receiveId) {
        this.peer = new WxCryptUtil(token, encodingAesKey, receiveId);
        this.corpId = receiveId;
    }

    /** A POST callback: the query string and the XML body WeCom would send. */
    public record Callback(String query, String body, String nonce) {
    }

    public Callback post(String plaintext) {
        WxCryptUtil.EncryptContext c = peer.encryptContext(plaintext);
        String body = "<xml><ToUserName><![CDATA[" + corpId + "]]></ToUserName><Encrypt><![CDATA[" + c.getEncrypt()
                + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
        return new Callback(query(c.getSignature(), c.getTimeStamp(), c.getNonce(), null), body, c.getNonce());
    }

    /** A smart-bot callback: JSON envelope. */
    public Callback postJson(String plaintext) {
        WxCryptUtil.EncryptContext c = peer.encryptContext(plaintext);
        return new Callback(query(c.getSignature(), c.getTimeStamp(), c.getNonce(), null),
                "{\"encrypt\":\"" + c.getEncrypt() + "\"}", c.getNonce());
    }

    /** The URL check's query string with an echostr that encrypts {@code plaintext}. */
    public String verifyUrlQuery(String plaintext) {
        WxCryptUtil.EncryptContext c = peer.encryptContext(plaintext);
        return query(c.getSignature(), c.getTimeStamp(), c.getNonce(), c.getEncrypt());
    }

    /** Verifies the reply's signature and decrypts it, as WeCom does. */
    public String decryptReply(String msgSignature, String timeStamp, String nonce, String encrypt) {
        return peer.decryptContent(msgSignature, timeStamp, nonce, encrypt);
    }

    /** Reads the fields of an XML reply envelope and decrypts it. */
    public String decryptXmlReply(String xml) {
        return decryptReply(field(xml, "MsgSignature"), field(xml, "TimeStamp"), field(xml, "Nonce"),
                field(xml, "Encrypt"));
    }

    /** A text message from user zhangsan of agent 1000002 to {@code corpId}, unique by its MsgId. */
    public static String textMessage(String corpId, String content) {
        return "<xml><ToUserName><![CDATA[" + corpId + "]]></ToUserName><FromUserName><![CDATA[zhangsan]]>"
                + "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>"
                + "<![CDATA[" + content + "]]></Content><MsgId>" + System.nanoTime() + "</MsgId>"
                + "<AgentID>1000002</AgentID></xml>";
    }

    public static String field(String xml, String name) {
        int start = xml.indexOf("<" + name + ">");
        int end = xml.indexOf("</" + name + ">");
        if (start < 0 || end < 0) {
            throw new AssertionError("no <" + name + "> in " + xml);
        }
        String value = xml.substring(start + name.length() + 2, end);
        return value.startsWith("<![CDATA[") ? value.substring(9, value.length() - 3) : value;
    }

    private static String query(String signature, String timestamp, String nonce, String echostr) {
        return "msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce
                + (echostr == null ? "" : "&echostr=" + URLEncoder.encode(echostr, UTF_8));
    }
}
