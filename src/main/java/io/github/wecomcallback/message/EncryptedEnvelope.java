package io.github.wecomcallback.message;

import java.nio.charset.StandardCharsets;

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
    private final byte[] encryptBytes;
    private final int encryptOffset;
    private final int encryptLength;
    private final String agentId;
    private final boolean json;

    private EncryptedEnvelope(String toUserName, String encrypt, byte[] encryptBytes, int encryptOffset,
            int encryptLength, String agentId, boolean json) {
        this.toUserName = toUserName;
        this.encrypt = encrypt;
        this.encryptBytes = encryptBytes;
        this.encryptOffset = encryptOffset;
        this.encryptLength = encryptLength;
        this.agentId = agentId;
        this.json = json;
    }

    static EncryptedEnvelope ofJson(String encrypt) {
        return new EncryptedEnvelope(null, encrypt, null, 0, 0, null, true);
    }

    static EncryptedEnvelope ofXml(String toUserName, String encrypt, String agentId) {
        return new EncryptedEnvelope(toUserName, encrypt, null, 0, 0, agentId, false);
    }

    /** An envelope whose Encrypt is ASCII text lying in {@code body}: it is read from there, not copied. */
    static EncryptedEnvelope ofXml(String toUserName, byte[] body, int encryptOffset, int encryptLength,
            String agentId) {
        return new EncryptedEnvelope(toUserName, null, body, encryptOffset, encryptLength, agentId, false);
    }

    /**
     * Verifies and decrypts this envelope's {@code Encrypt} with the request's parameters, reading the ciphertext
     * where it lies in the body when it can; the outcome is that of {@link WeComCrypto#decrypt(String, String,
     * String, String)} with {@link #encrypt()}.
     */
    public DecryptedMessage decrypt(WeComCrypto crypto, String msgSignature, String timestamp, String nonce)
            throws WeComCryptoException {
        return encryptBytes == null ? crypto.decrypt(msgSignature, timestamp, nonce, encrypt)
                : crypto.decrypt(msgSignature, timestamp, nonce, encryptBytes, encryptOffset, encryptLength);
    }

    /** True for the JSON envelope of smart bots, whose replies are JSON too. */
    public boolean isJson() {
        return json;
    }

    public EncryptedEnvelope(String toUserName, String encrypt, String agentId) {
        this(toUserName, encrypt, null, 0, 0, agentId, false);
    }

    public String toUserName() {
        return trimmed(toUserName);
    }

    /** The ciphertext exactly as received: it is what the signature covers. */
    public String encrypt() {
        if (encrypt == null && encryptBytes != null) {
            encrypt = new String(encryptBytes, encryptOffset, encryptLength, StandardCharsets.US_ASCII);
        }
        return encrypt;
    }

    /** True when there is a non-empty ciphertext, without making a String of it. */
    boolean hasEncrypt() {
        return encryptBytes != null ? encryptLength > 0 : encrypt != null && !encrypt.isEmpty();
    }

    public String agentId() {
        return trimmed(agentId);
    }

    private static String trimmed(String value) {
        return value == null ? null : value.strip();
    }
}
