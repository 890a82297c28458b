package io.github.wecomcallback.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code msg_signature = hex(SHA1(sort(token, timestamp, nonce, ciphertext)))}, the signature of every WeCom
 * callback and passive reply.
 */
final class Signature {
    private static final HexFormat HEX = HexFormat.of();
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    // MessageDigest is not thread-safe; getInstance per call costs a provider lookup on the hot path.
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK offers no SHA-1", e);
        }
    });

    private Signature() {
    }

    static String compute(String token, String timestamp, String nonce, String ciphertext) throws WeComCryptoException {
        return HEX.formatHex(digest(token, timestamp, nonce, ciphertext));
    }

    /** Whether {@code msgSignature} is the signature over these values; constant time. */
    static boolean matches(String msgSignature, String token, String timestamp, String nonce, String ciphertext)
            throws WeComCryptoException {
        return matches(digest(token, timestamp, nonce, ciphertext), msgSignature);
    }

    private static byte[] digest(String token, String timestamp, String nonce, String ciphertext)
            throws WeComCryptoException {
        String[] parts = {token, timestamp, nonce, ciphertext};
        sortFour(parts);
        MessageDigest sha1 = sha1();
        sha1.reset();
        for (String part : parts) {
            sha1.update(part.getBytes(StandardCharsets.UTF_8));
        }
        return sha1.digest();
    }

    /**
     * Whether {@code msgSignature} is the signature over a ciphertext given as ASCII bytes (the {@code Encrypt}
     * field where it lies in the request body), computed without turning the ciphertext into a String and back into
     * bytes, and compared in constant time with no String of the digest. The other three values must be ASCII too,
     * so that byte order is String order: false when one is not (the caller then takes the String path, which
     * decides and says why).
     */
    static boolean matches(String msgSignature, String token, String timestamp, String nonce, byte[] ascii, int offset,
            int length) throws WeComCryptoException {
        if (!isAscii(token) || !isAscii(timestamp) || !isAscii(nonce)) {
            return false;
        }
        byte[][] parts = {ascii(token), ascii(timestamp), ascii(nonce), ascii};
        int[] offsets = {0, 0, 0, offset};
        int[] lengths = {parts[0].length, parts[1].length, parts[2].length, length};
        int[] order = {0, 1, 2, 3};
        // The same sorting network as sortFour, over indexes.
        orderIfGreater(order, 0, 1, parts, offsets, lengths);
        orderIfGreater(order, 2, 3, parts, offsets, lengths);
        orderIfGreater(order, 0, 2, parts, offsets, lengths);
        orderIfGreater(order, 1, 3, parts, offsets, lengths);
        orderIfGreater(order, 1, 2, parts, offsets, lengths);
        MessageDigest sha1 = sha1();
        sha1.reset();
        for (int i : order) {
            sha1.update(parts[i], offsets[i], lengths[i]);
        }
        return matches(sha1.digest(), msgSignature);
    }

    /** Constant time: whether {@code hex} is the lower-case hex of {@code digest}; another length or case is not. */
    private static boolean matches(byte[] digest, String hex) {
        if (hex.length() != 2 * digest.length) {
            return false; // the length is public: always 40 for a SHA-1 in hex
        }
        int difference = 0;
        for (int i = 0; i < digest.length; i++) { // every digit, whatever the first difference
            difference |= HEX_DIGITS[(digest[i] >> 4) & 0xF] ^ hex.charAt(2 * i);
            difference |= HEX_DIGITS[digest[i] & 0xF] ^ hex.charAt(2 * i + 1);
        }
        return difference == 0;
    }

    private static void orderIfGreater(int[] order, int i, int j, byte[][] parts, int[] offsets, int[] lengths) {
        int a = order[i];
        int b = order[j];
        if (java.util.Arrays.compareUnsigned(parts[a], offsets[a], offsets[a] + lengths[a], parts[b], offsets[b],
                offsets[b] + lengths[b]) > 0) {
            order[i] = b;
            order[j] = a;
        }
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static MessageDigest sha1() throws WeComCryptoException {
        try {
            return SHA1.get();
        } catch (IllegalStateException e) {
            throw new WeComCryptoException(WeComError.COMPUTE_SIGNATURE_ERROR,
                    WeComCryptoException.Problem.PLATFORM_FAILURE, "SHA-1 is not available", e.getCause());
        }
    }

    /** Sorts four strings in place with five comparisons (a sorting network): no sort machinery per request. */
    private static void sortFour(String[] a) {
        swapIfGreater(a, 0, 1);
        swapIfGreater(a, 2, 3);
        swapIfGreater(a, 0, 2);
        swapIfGreater(a, 1, 3);
        swapIfGreater(a, 1, 2);
    }

    private static void swapIfGreater(String[] a, int i, int j) {
        if (a[i].compareTo(a[j]) > 0) {
            String t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
