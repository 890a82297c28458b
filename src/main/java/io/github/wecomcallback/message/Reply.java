package io.github.wecomcallback.message;

import java.time.Instant;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlTransient;

/**
 * A passive reply ("被动回复消息"): the plaintext XML an application servlet writes, which the filter then
 * encrypts. Serialise with {@link MessageCodec#toXml(Reply)}. Build one with the static factories, usually
 * from the message being answered: {@code TextReply.to(message, "hello")}.
 */
@XmlTransient
@XmlAccessorType(XmlAccessType.FIELD)
public abstract class Reply {
    @XmlElement(name = "ToUserName") private String toUserName;
    @XmlElement(name = "FromUserName") private String fromUserName;
    @XmlElement(name = "CreateTime") private long createTime;
    @XmlElement(name = "MsgType") private String msgType;

    Reply() {
    }

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
}
