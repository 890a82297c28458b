package io.github.wecomcallback.gateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs forwarded requests in the Standard Webhooks format (standardwebhooks.com): {@code webhook-signature}
 * is {@code v1,} followed by the Base64 HMAC-SHA256, under the secret's key, of {@code id.timestamp.body}, so
 * that a backend verifies it with its language's ready-made Standard Webhooks library.
 */
public final class StandardWebhookSigner {
    public static final String HEADER_ID = "webhook-id";
    public static final String HEADER_TIMESTAMP = "webhook-timestamp";
    public static final String HEADER_SIGNATURE = "webhook-signature";
    private static final String PREFIX = "whsec_";

    private final SecretKeySpec key;

    /**
     * @param secret {@code whsec_} followed by the Base64 of 24 to 64 random bytes
     * @throws IllegalArgumentException naming what is wrong (never the secret)
     */
    public StandardWebhookSigner(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("it is required with a forwardUrl: whsec_ followed by the Base64 of"
                    + " 24 to 64 random bytes (openssl rand -base64 32)");
        }
        if (!secret.startsWith(PREFIX)) {
            throw new IllegalArgumentException("it must start with whsec_ (the Standard Webhooks format)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("after whsec_ it must be Base64", e);
        }
        if (bytes.length < 24 || bytes.length > 64) {
            throw new IllegalArgumentException("it must hold 24 to 64 bytes, got " + bytes.length);
        }
        key = new SecretKeySpec(bytes, "HmacSHA256");
    }

    /** The {@code webhook-signature} header value for this message. */
    public String sign(String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256"); // per forwarded request: next to an HTTP round trip, free
            mac.init(key);
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK offers no HmacSHA256", e);
        }
    }
}
