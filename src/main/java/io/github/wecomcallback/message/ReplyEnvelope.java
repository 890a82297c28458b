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
        return "<xml><Encrypt>" + cdata(reply.encrypt()) + "</Encrypt><MsgSignature>" + cdata(reply.msgSignature())
                + "</MsgSignature><TimeStamp>" + reply.timeStamp() + "</TimeStamp><Nonce>" + cdata(reply.nonce())
                + "</Nonce></xml>";
    }

    /** {@code {"encrypt":"..","msgsignature":"..","timestamp":..,"nonce":".."}}: no underscore, seconds as a number. */
    public static String toJson(EncryptedReply reply) {
        return "{\"encrypt\":\"" + jsonEscape(reply.encrypt()) + "\",\"msgsignature\":\""
                + jsonEscape(reply.msgSignature()) + "\",\"timestamp\":" + reply.timeStamp() + ",\"nonce\":\""
                + jsonEscape(reply.nonce()) + "\"}";
    }

    static String cdata(String text) {
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>";
    }

    static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
