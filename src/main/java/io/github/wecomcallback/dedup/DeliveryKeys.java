package io.github.wecomcallback.dedup;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import io.github.wecomcallback.crypto.DecryptedMessage;
import io.github.wecomcallback.crypto.HmacSha256;

/**
 * Names deliveries for a {@link DeliveryGuard}. A retry carries the same plaintext (MsgId, or for events every
 * field) whether or not WeCom re-encrypts it with a new timestamp and nonce, so the plaintext identifies the
 * delivery; distinct events of one user within one second differ in content and stay distinct.
 *
 * <p>The name is an HMAC-SHA256 of the plaintext under a key derived from the application's credentials (token,
 * EncodingAESKey, receive id): two applications sharing one Redis never see each other's deliveries even when
 * the same event reaches both, and the key reveals nothing of the message to whoever can read Redis.
 */
public final class DeliveryKeys {
    private final HmacSha256 hmac;

    public DeliveryKeys(String token, String encodingAesKey, String receiveId) {
        this.hmac = new HmacSha256(
                sha256("wecom-callback delivery\0" + token + "\0" + encodingAesKey + "\0" + receiveId));
    }

    /** The id of the delivery with this plaintext. */
    public DeliveryId of(byte[] plaintext) {
        return DeliveryId.of(hmac.of(plaintext));
    }

    /** The id of the delivery of this message: the same as {@code of(message.plaintext())}, without the copy. */
    public DeliveryId of(DecryptedMessage message) {
        return DeliveryId.of(hmac.of(message));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK offers no SHA-256", e);
        }
    }
}
