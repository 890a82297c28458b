package io.github.wecomcallback.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A verified and decrypted callback: the plaintext bytes exactly as WeCom encrypted them, and how they were
 * obtained. Immutable.
 */
public final class DecryptedMessage {
    /**
     * The plaintext is {@code buffer[offset, offset + length)}: the decrypted buffer, never handed out (read in place
     * within this package only: {@link HmacSha256#of(DecryptedMessage)}).
     */
    final byte[] buffer;
    final int offset;
    final int length;
    private final String receiveId;
    private final boolean plusSignsRestored;
    private final boolean previousKeyUsed;

    DecryptedMessage(byte[] buffer, int offset, int length, String receiveId, boolean plusSignsRestored,
            boolean previousKeyUsed) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.receiveId = receiveId;
        this.plusSignsRestored = plusSignsRestored;
        this.previousKeyUsed = previousKeyUsed;
    }

    /** A copy of the plaintext bytes. */
    public byte[] plaintext() {
        return Arrays.copyOfRange(buffer, offset, offset + length);
    }

    /**
     * The plaintext bytes without a copy: a new read-only view of them each time, from position 0 to its limit and
     * capacity (the plaintext's length), with no accessible array. For a caller that only reads them, as the filter
     * does when it hands them to the application as the request body; {@link #plaintext()} when an array is needed.
     * The view shares the decrypted bytes (and keeps them reachable while it is); like any buffer, one view is not
     * for threads to read at once (its position moves), but views of their own are.
     */
    public ByteBuffer plaintextBuffer() {
        return ByteBuffer.wrap(buffer).slice(offset, length).asReadOnlyBuffer();
    }

    /** The plaintext decoded as UTF-8. */
    public String plaintextUtf8() {
        return new String(buffer, offset, length, StandardCharsets.UTF_8);
    }

    public int plaintextLength() {
        return length;
    }

    /**
     * The receive id found in the ciphertext: one that was accepted (the expected one, one of a list, or — for a
     * provider's data URL configured to accept any — the authorizing corp's id, for the application to check).
     */
    public String receiveId() {
        return receiveId;
    }

    /**
     * True when the ciphertext arrived with spaces where WeCom sent {@code +} (a proxy or framework decoded
     * the URL twice) and verified only after they were turned back. The request is authentic; the deployment
     * has a defect worth fixing.
     */
    public boolean plusSignsRestored() {
        return plusSignsRestored;
    }

    /** True when only the previous EncodingAESKey (key rotation) decrypted the message. */
    public boolean previousKeyUsed() {
        return previousKeyUsed;
    }

    @Override
    public String toString() {
        return "DecryptedMessage[" + length + " bytes, receiveId=" + receiveId + "]";
    }
}
