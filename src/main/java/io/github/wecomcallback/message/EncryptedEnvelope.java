package io.github.wecomcallback.message;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlTransient;

/**
 * The envelope of a POST callback: {@code ToUserName}, {@code Encrypt} and {@code AgentID} for applications,
 * only {@code Encrypt} for group robots, or JSON {@code {"encrypt": ...}} for smart bots. Only
 * {@code Encrypt} is signed; the other fields are hints and must not be trusted.
 */
@XmlRootElement(name = "xml")
@XmlAccessorType(XmlAccessType.FIELD)
public final class EncryptedEnvelope {
    @XmlElement(name = "ToUserName")
    private String toUserName;
    @XmlElement(name = "Encrypt")
    private String encrypt;
    @XmlElement(name = "AgentID")
    private String agentId;
    @XmlTransient
    private boolean json;

    EncryptedEnvelope() {
    }

    static EncryptedEnvelope ofJson(String encrypt) {
        EncryptedEnvelope envelope = new EncryptedEnvelope(null, encrypt, null);
        envelope.json = true;
        return envelope;
    }

    /** True for the JSON envelope of smart bots, whose replies are JSON too. */
    public boolean isJson() {
        return json;
    }

    public EncryptedEnvelope(String toUserName, String encrypt, String agentId) {
        this.toUserName = toUserName;
        this.encrypt = encrypt;
        this.agentId = agentId;
    }

    public String toUserName() {
        return trimmed(toUserName);
    }

    /** The ciphertext exactly as received: it is what the signature covers. */
    public String encrypt() {
        return encrypt;
    }

    public String agentId() {
        return trimmed(agentId);
    }

    private static String trimmed(String value) {
        return value == null ? null : value.strip();
    }
}
