package io.github.wecomcallback.crypto;

import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under one key, for any number of threads at once: the JCA's {@code Mac} objects (not thread-safe,
 * costly to look up and initialise) are initialised once and pooled ({@link ObjectPool}).
 */
public final class HmacSha256 {
    private final ObjectPool<Mac> macs;

    /** @throws IllegalStateException if this JDK offers no HmacSHA256 (said now, not on the first message) */
    public HmacSha256(byte[] key) {
        SecretKeySpec spec = new SecretKeySpec(key, "HmacSHA256");
        this.macs = new ObjectPool<>(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK offers no HmacSHA256", e);
            }
        });
        macs.give(macs.take());
    }

    /** The 32-byte HMAC of {@code data}. */
    public byte[] of(byte[] data) {
        Mac mac = macs.take();
        byte[] result = mac.doFinal(data); // and the Mac is reset for the next use
        macs.give(mac);
        return result;
    }

    /**
     * The 32-byte HMAC of a decrypted message's plaintext, read where it lies in the decrypted bytes. Not through a
     * read-only view of them: the JCA would copy such a view through a scratch array of up to 4 KiB kept by the pooled
     * Mac, leaving the last plaintext in memory for the life of the process.
     */
    public byte[] of(DecryptedMessage message) {
        Mac mac = macs.take();
        mac.update(message.buffer, message.offset, message.length);
        byte[] result = mac.doFinal();
        macs.give(mac);
        return result;
    }
}
