package io.github.wecomcallback.message;

import io.github.wecomcallback.crypto.EncryptedReply;

/** Serialises an encrypted passive reply exactly as WeCom expects it, as XML for applications or JSON for bots. */
public final class ReplyEnvelope {
    private ReplyEnvelope() {
    }

    /**
     * {@code <xml><Encrypt><![CDATA[..]]></Encrypt><MsgSignature><![CDATA[..]]></MsgSignature>
     * <TimeStamp>..</TimeStamp><Nonce><![CDATA[..]]></Nonce></xml>}
     */
    public static String toXml(EncryptedReply reply) {
        return "<xml><Encrypt>" + Escaping.cdata(reply.encrypt()) + "</Encrypt>"
                + "<MsgSignature>" + Escaping.cdata(reply.msgSignature()) + "</MsgSignature>"
                + "<TimeStamp>" + reply.timeStamp() + "</TimeStamp>"
                + "<Nonce>" + Escaping.cdata(reply.nonce()) + "</Nonce></xml>";
    }

    /** {@code {"encrypt":"..","msgsignature":"..","timestamp":..,"nonce":".."}}: no underscore, seconds as a number. */
    public static String toJson(EncryptedReply reply) {
        return "{\"encrypt\":\"" + Escaping.jsonString(reply.encrypt()) + "\",\"msgsignature\":\""
                + Escaping.jsonString(reply.msgSignature()) + "\",\"timestamp\":" + reply.timeStamp() + ",\"nonce\":\""
                + Escaping.jsonString(reply.nonce()) + "\"}";
    }
}
