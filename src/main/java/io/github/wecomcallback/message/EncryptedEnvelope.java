package io.github.wecomcallback.message;

import io.github.wecomcallback.crypto.DecryptedMessage;
import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.crypto.WeComCryptoException;

/**
 * The envelope of a POST callback: {@code ToUserName}, {@code Encrypt} and {@code AgentID} for applications,
 * only {@code Encrypt} for group robots, or JSON {@code {"encrypt": ...}} for smart bots. Only
 * {@code Encrypt} is signed; the other fields are hints and must not be trusted.
 */
public final class EncryptedEnvelope {
    private final String toUserName;
    private String encrypt; // made from the bytes below on first use, when the envelope came that way
    private final byte[] body;
    /** Where the fields lie in {@link #body}: {@code [start, end)} of ToUserName, Encrypt, AgentID; -1 if absent. */
    private final int[] ranges;
    private final String agentId;
    private final boolean json;

    private EncryptedEnvelope(String toUserName, String encrypt, byte[] body, int[] ranges, String agentId,
            boolean json) {
        this.toUserName = toUserName;
        this.encrypt = encrypt;
        this.body = body;
        this.ranges = ranges;
        this.agentId = agentId;
        this.json = json;
    }

    static EncryptedEnvelope ofJson(String encrypt) {
        return new EncryptedEnvelope(null, encrypt, null, null, null, true);
    }

    static EncryptedEnvelope ofXml(String toUserName, String encrypt, String agentId) {
        return new EncryptedEnvelope(toUserName, encrypt, null, null, agentId, false);
    }

    /**
     * An envelope whose fields are ASCII text lying in {@code body} at {@code ranges} (as {@link #ranges}): read from
     * there, not copied; the unsigned hints made into Strings only if asked for.
     */
    static EncryptedEnvelope ofXml(byte[] body, int[] ranges) {
        return new EncryptedEnvelope(null, null, body, ranges, null, false);
    }

    /**
     * Verifies and decrypts this envelope's {@code Encrypt} with the request's parameters, reading the ciphertext
     * where it lies in the body when it can; the outcome is that of {@link WeComCrypto#decrypt(String, String,
     * String, String)} with {@link #encrypt()}.
     */
    public DecryptedMessage decrypt(WeComCrypto crypto, String msgSignature, String timestamp, String nonce)
            throws WeComCryptoException {
        return body == null ? crypto.decrypt(msgSignature, timestamp, nonce, encrypt)
                : crypto.decrypt(msgSignature, timestamp, nonce, body, ranges[2], ranges[3] - ranges[2]);
    }

    /** True for the JSON envelope of smart bots, whose replies are JSON too. */
    public boolean isJson() {
        return json;
    }

    public EncryptedEnvelope(String toUserName, String encrypt, String agentId) {
        this(toUserName, encrypt, null, null, agentId, false);
    }

    public String toUserName() {
        return trimmed(body == null ? toUserName : field(0));
    }

    /** The ciphertext exactly as received: it is what the signature covers. */
    public String encrypt() {
        if (encrypt == null && body != null) {
            encrypt = field(1);
        }
        return encrypt;
    }

    /** True when there is a non-empty ciphertext, without making a String of it. */
    boolean hasEncrypt() {
        return body != null ? ranges[3] > ranges[2] : encrypt != null && !encrypt.isEmpty();
    }

    public String agentId() {
        return trimmed(body == null ? agentId : field(2));
    }

    private String field(int field) {
        return XmlEnvelopeReader.text(body, ranges, field);
    }

    private static String trimmed(String value) {
        return value == null ? null : value.strip();
    }
}
