package io.github.wecomcallback.message;

import java.time.Instant;

/**
 * A passive reply ("被动回复消息"): the plaintext XML an application servlet writes, which the filter then
 * encrypts. Serialise with {@link MessageCodec#toXml(Reply)}. Build one with the static factories of
 * {@link Replies}, usually from the message being answered: {@code Replies.text(message, "hello")}.
 *
 * <p>The six shapes are fixed, so they are written directly, as the official samples write them: no XML
 * declaration, text in CDATA (a {@code ]]>} inside split across two sections), numbers bare, an absent value
 * left out.
 */
public abstract class Reply {
    private final String toUserName;
    private final String fromUserName;
    private final long createTime;
    private final String msgType;

    Reply(String msgType, String toUserName, String fromUserName, Instant createTime) {
        this.msgType = msgType;
        this.toUserName = toUserName;
        this.fromUserName = fromUserName;
        this.createTime = createTime.getEpochSecond();
    }

    public String toUserName() { return toUserName; }
    public String fromUserName() { return fromUserName; }
    /** Seconds since the epoch. */
    public long createTime() { return createTime; }
    public String msgType() { return msgType; }

    /** The whole reply: the common head, then what the type adds. */
    final String toXml() {
        StringBuilder out = new StringBuilder(256).append("<xml>");
        text(out, "ToUserName", toUserName);
        text(out, "FromUserName", fromUserName);
        out.append("<CreateTime>").append(createTime).append("</CreateTime>");
        text(out, "MsgType", msgType);
        writeBody(out);
        return out.append("</xml>").toString();
    }

    /** Appends the elements of this reply type after {@code MsgType}. */
    abstract void writeBody(StringBuilder out);

    /** {@code <name><![CDATA[value]]></name>}, or nothing for a null value. */
    static void text(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append('<').append(name).append('>').append(Escaping.cdata(value)).append("</").append(name).append('>');
        }
    }
}
