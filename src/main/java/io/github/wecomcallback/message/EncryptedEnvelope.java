package io.github.wecomcallback.message;

/**
 * The envelope of a POST callback: {@code ToUserName}, {@code Encrypt} and {@code AgentID} for applications,
 * only {@code Encrypt} for group robots, or JSON {@code {"encrypt": ...}} for smart bots. Only
 * {@code Encrypt} is signed; the other fields are hints and must not be trusted.
 */
public final class EncryptedEnvelope {
    private final String toUserName;
    private final String encrypt;
    private final String agentId;
    private final boolean json;

    private EncryptedEnvelope(String toUserName, String encrypt, String agentId, boolean json) {
        this.toUserName = toUserName;
        this.encrypt = encrypt;
        this.agentId = agentId;
        this.json = json;
    }

    static EncryptedEnvelope ofJson(String encrypt) {
        return new EncryptedEnvelope(null, encrypt, null, true);
    }

    static EncryptedEnvelope ofXml(String toUserName, String encrypt, String agentId) {
        return new EncryptedEnvelope(toUserName, encrypt, agentId, false);
    }

    /** True for the JSON envelope of smart bots, whose replies are JSON too. */
    public boolean isJson() {
        return json;
    }

    public EncryptedEnvelope(String toUserName, String encrypt, String agentId) {
        this(toUserName, encrypt, agentId, false);
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
