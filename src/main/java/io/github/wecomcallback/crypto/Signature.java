package io.github.wecomcallback.crypto;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * {@code msg_signature = hex(SHA1(sort(token, timestamp, nonce, ciphertext)))}, the signature of every WeCom
 * callback and passive reply.
 */
final class Signature {
    private static final HexFormat HEX = HexFormat.of();
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    /** SHA-1 output: 20 bytes. */
    private static final int DIGEST_LENGTH = 20;
    /**
     * Room for a digest and for token, timestamp and nonce as ASCII: 32 + 10 + 64 bytes at most, as {@link
     * WeComCrypto} checks them before it verifies.
     */
    private static final int SCRATCH_LENGTH = DIGEST_LENGTH + WeComCrypto.MAX_TOKEN_LENGTH
            + WeComCrypto.MAX_TIMESTAMP_DIGITS + WeComCrypto.MAX_NONCE_LENGTH;

    /** SHA-1 digests and their scratch arrays, pooled: MessageDigest is not thread-safe, getInstance is a lookup. */
    private static final ObjectPool<Signer> SIGNERS = new ObjectPool<>(Signer::new);

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
        Signer signer = signer();
        MessageDigest sha1 = signer.sha1;
        sha1.reset();
        for (String part : parts) {
            sha1.update(part.getBytes(StandardCharsets.UTF_8));
        }
        byte[] digest = sha1.digest();
        SIGNERS.give(signer);
        return digest;
    }

    /**
     * Whether {@code msgSignature} is the signature over a ciphertext given as ASCII bytes (the {@code Encrypt}
     * field where it lies in the request body), computed without turning the ciphertext into a String and back into
     * bytes, and compared in constant time with no String of the digest: this runs for every callback and, once the
     * pool holds a digest, allocates nothing. The other three values must be ASCII too, so that byte order is String
     * order, and short enough for the scratch array (as {@link WeComCrypto} has checked): false when one is not (the
     * caller then takes the String path, which decides and says why).
     */
    static boolean matches(String msgSignature, String token, String timestamp, String nonce, byte[] ascii, int offset,
            int length) throws WeComCryptoException {
        // The three short values in String order (three compare-and-swaps), as ASCII one after the other...
        String[] values = {token, timestamp, nonce};
        swapIfGreater(values, 0, 1);
        swapIfGreater(values, 1, 2);
        swapIfGreater(values, 0, 1);
        Signer signer = signer();
        byte[] scratch = signer.scratch;
        int firstEnd = putAscii(values[0], scratch, DIGEST_LENGTH);
        int secondEnd = firstEnd < 0 ? -1 : putAscii(values[1], scratch, firstEnd);
        int thirdEnd = secondEnd < 0 ? -1 : putAscii(values[2], scratch, secondEnd);
        if (thirdEnd < 0) {
            Arrays.fill(scratch, DIGEST_LENGTH, scratch.length, (byte) 0);
            SIGNERS.give(signer);
            return false;
        }
        // ...and the ciphertext after every one that does not sort after it (equal values are equal bytes).
        int split = DIGEST_LENGTH;
        if (notAfter(scratch, DIGEST_LENGTH, firstEnd, ascii, offset, length)) {
            split = firstEnd;
            if (notAfter(scratch, firstEnd, secondEnd, ascii, offset, length)) {
                split = secondEnd;
                if (notAfter(scratch, secondEnd, thirdEnd, ascii, offset, length)) {
                    split = thirdEnd;
                }
            }
        }
        MessageDigest sha1 = signer.sha1;
        sha1.reset();
        sha1.update(scratch, DIGEST_LENGTH, split - DIGEST_LENGTH);
        sha1.update(ascii, offset, length);
        sha1.update(scratch, split, thirdEnd - split);
        try {
            sha1.digest(scratch, 0, DIGEST_LENGTH);
        } catch (DigestException e) {
            throw new WeComCryptoException(WeComError.COMPUTE_SIGNATURE_ERROR,
                    WeComCryptoException.Problem.PLATFORM_FAILURE, "SHA-1 failed: " + e.getMessage(), e);
        }
        boolean matches = matches(scratch, msgSignature);
        Arrays.fill(scratch, DIGEST_LENGTH, thirdEnd, (byte) 0); // the token is not left lying in the pool
        SIGNERS.give(signer);
        return matches;
    }

    /**
     * Writes an ASCII value into {@code scratch} at {@code at}; returns where it ends, or -1 when it is not ASCII or
     * does not fit.
     */
    private static int putAscii(String value, byte[] scratch, int at) {
        if (value.length() > scratch.length - at) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0x7F) {
                return -1;
            }
            scratch[at + i] = (byte) c;
        }
        return at + value.length();
    }

    /** Whether {@code a[aFrom, aTo)} sorts before or equal to {@code b[bFrom, bFrom + bLength)}, byte by byte. */
    private static boolean notAfter(byte[] a, int aFrom, int aTo, byte[] b, int bFrom, int bLength) {
        return Arrays.compareUnsigned(a, aFrom, aTo, b, bFrom, bFrom + bLength) <= 0;
    }

    /**
     * Constant time: whether {@code hex} is the lower-case hex of the digest in {@code digest}'s first 20 bytes;
     * another length or case is not.
     */
    private static boolean matches(byte[] digest, String hex) {
        if (hex.length() != 2 * DIGEST_LENGTH) {
            return false; // the length is public: always 40 for a SHA-1 in hex
        }
        int difference = 0;
        for (int i = 0; i < DIGEST_LENGTH; i++) { // every digit, whatever the first difference
            difference |= HEX_DIGITS[(digest[i] >> 4) & 0xF] ^ hex.charAt(2 * i);
            difference |= HEX_DIGITS[digest[i] & 0xF] ^ hex.charAt(2 * i + 1);
        }
        return difference == 0;
    }

    private static Signer signer() throws WeComCryptoException {
        try {
            return SIGNERS.take();
        } catch (IllegalStateException e) {
            throw new WeComCryptoException(WeComError.COMPUTE_SIGNATURE_ERROR,
                    WeComCryptoException.Problem.PLATFORM_FAILURE, "SHA-1 is not available", e.getCause());
        }
    }

    /** A SHA-1 digest and its scratch array ({@link #SCRATCH_LENGTH} bytes), taken from the pool for one use. */
    private static final class Signer {
        final MessageDigest sha1;
        final byte[] scratch = new byte[SCRATCH_LENGTH];

        Signer() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JDK offers no SHA-1", e);
            }
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
