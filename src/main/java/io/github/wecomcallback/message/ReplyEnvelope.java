package io.github.wecomcallback.message;

import io.github.wecomcallback.crypto.EncryptedReply;
import io.github.wecomcallback.message.JsonEnvelopeReader.Member;

import java.nio.charset.StandardCharsets;

/**
 * Serialises an encrypted passive reply exactly as WeCom expects it, as XML for applications or JSON for bots,
 * and reads one back (what the platform, and the simulator playing it, does) with the same safe readers the
 * filter uses for callbacks.
 */
public final class ReplyEnvelope {
    private ReplyEnvelope() {
    }

    /**
     * {@code <xml><Encrypt><![CDATA[..]]></Encrypt><MsgSignature><![CDATA[..]]></MsgSignature>
     * <TimeStamp>..</TimeStamp><Nonce><![CDATA[..]]></Nonce></xml>}
     */
    public static String toXml(EncryptedReply reply) {
        // One builder of the final size: this runs for every reply. The markup, the signature (40) and the timestamp
        // (10 digits) take 183 characters; only a value holding "]]>" takes more, 15 for each.
        StringBuilder xml = new StringBuilder(200 + reply.encrypt().length() + reply.nonce().length());
        xml.append("<xml><Encrypt>");
        Escaping.appendCdata(xml, reply.encrypt());
        xml.append("</Encrypt><MsgSignature>");
        Escaping.appendCdata(xml, reply.msgSignature());
        xml.append("</MsgSignature><TimeStamp>").append(reply.timeStamp()).append("</TimeStamp><Nonce>");
        Escaping.appendCdata(xml, reply.nonce());
        return xml.append("</Nonce></xml>").toString();
    }

    /** {@code {"encrypt":"..","msgsignature":"..","timestamp":..,"nonce":".."}}: no underscore, seconds as a number. */
    public static String toJson(EncryptedReply reply) {
        return "{\"encrypt\":\"" + Escaping.jsonString(reply.encrypt()) + "\",\"msgsignature\":\""
                + Escaping.jsonString(reply.msgSignature()) + "\",\"timestamp\":" + reply.timeStamp() + ",\"nonce\":\""
                + Escaping.jsonString(reply.nonce()) + "\"}";
    }

    /**
     * Reads an XML reply envelope: the four fields, each exactly once, unknown elements skipped.
     *
     * @throws MessageFormatException if it is not well-formed, lacks a field, or its TimeStamp is not a number
     */
    public static EncryptedReply fromXml(String xml) throws MessageFormatException {
        String[] fields = SafeXml.readFields(xml.getBytes(StandardCharsets.UTF_8),
                "Encrypt", "MsgSignature", "TimeStamp", "Nonce");
        return reply(fields, "<Encrypt>", "<MsgSignature>", "<TimeStamp>", "<Nonce>");
    }

    /**
     * Reads a bot's JSON reply envelope: the four members, each exactly once. {@code timestamp} is a number in
     * WeCom's documentation and in {@link #toJson}, but a string of digits in its Python sample
     * ({@code WXBizJsonMsgCrypt.py}); both are read.
     *
     * @throws MessageFormatException if it is not such an object
     */
    public static EncryptedReply fromJson(String json) throws MessageFormatException {
        String[] members = JsonEnvelopeReader.readMembers(json.getBytes(StandardCharsets.UTF_8),
                Member.string("encrypt"), Member.string("msgsignature"), Member.stringOrNumber("timestamp"),
                Member.string("nonce"));
        return reply(members, "\"encrypt\"", "\"msgsignature\"", "\"timestamp\"", "\"nonce\"");
    }

    private static EncryptedReply reply(String[] fields, String... names) throws MessageFormatException {
        for (int i = 0; i < fields.length; i++) {
            if (fields[i] == null) {
                throw new MessageFormatException("the reply has no " + names[i]
                        + " (a plaintext reply? WeCom needs it encrypted)");
            }
        }
        String timeStamp = fields[2].strip();
        if (timeStamp.isEmpty() || timeStamp.length() > 18 || !timeStamp.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MessageFormatException("the reply's " + names[2] + " is not a number of seconds: "
                    + (timeStamp.length() > 40 ? timeStamp.substring(0, 40) + "..." : timeStamp));
        }
        return new EncryptedReply(fields[0].strip(), fields[1].strip(), Long.parseLong(timeStamp), fields[3].strip());
    }
}
