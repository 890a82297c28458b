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

    /** One per thread: MessageDigest is not thread-safe, and getInstance costs a provider lookup on the hot path. */
    private static final ThreadLocal<Signer> SIGNERS = ThreadLocal.withInitial(Signer::new);

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
        MessageDigest sha1 = signer().sha1;
        sha1.reset();
        for (String part : parts) {
            sha1.update(part.getBytes(StandardCharsets.UTF_8));
        }
        return sha1.digest();
    }

    /**
     * Whether {@code msgSignature} is the signature over a ciphertext given as ASCII bytes (the {@code Encrypt}
     * field where it lies in the request body), computed without turning the ciphertext into a String and back into
     * bytes, and compared in constant time with no String of the digest: this runs for every callback and allocates
     * nothing. The other three values must be ASCII too, so that byte order is String order, and short enough for the
     * thread's {@link Signer} (as {@link WeComCrypto} has checked): false when one is not (the caller then takes the
     * String path, which decides and says why).
     */
    static boolean matches(String msgSignature, String token, String timestamp, String nonce, byte[] ascii, int offset,
            int length) throws WeComCryptoException {
        Signer signer = signer();
        if (!signer.putAscii(0, token) || !signer.putAscii(1, timestamp) || !signer.putAscii(2, nonce)) {
            return false;
        }
        signer.put(3, ascii, offset, length);
        try {
            return matches(signer.sortedDigest(), msgSignature);
        } finally {
            signer.parts[3] = null; // a thread's signer must not keep a request body alive
        }
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

    private static Signer signer() throws WeComCryptoException {
        try {
            return SIGNERS.get();
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

    /**
     * A thread's SHA-1 and room for the four parts of a signature as byte ranges, sorted as Strings sort (the parts
     * are ASCII), and for the digest.
     */
    private static final class Signer {
        /** Room for token, timestamp and nonce: 32 + 10 + 64 bytes at most, as {@link WeComCrypto} checks them. */
        private static final int TEXT_BYTES = WeComCrypto.MAX_TOKEN_LENGTH + 10 + WeComCrypto.MAX_NONCE_LENGTH;

        final MessageDigest sha1;
        final byte[] text = new byte[TEXT_BYTES];
        final byte[][] parts = new byte[4][];
        final int[] offsets = new int[4];
        final int[] lengths = new int[4];
        final int[] order = new int[4];
        final byte[] digest = new byte[20];

        Signer() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JDK offers no SHA-1", e);
            }
        }

        /** Part {@code part} (0 to 2, in turn) is {@code value}; false when it is not ASCII or there is no room. */
        boolean putAscii(int part, String value) {
            int at = part == 0 ? 0 : offsets[part - 1] + lengths[part - 1];
            if (value.length() > text.length - at) {
                return false;
            }
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c > 0x7F) {
                    return false;
                }
                text[at + i] = (byte) c;
            }
            put(part, text, at, value.length());
            return true;
        }

        void put(int part, byte[] bytes, int offset, int length) {
            parts[part] = bytes;
            offsets[part] = offset;
            lengths[part] = length;
        }

        /** SHA-1 over the four parts in String order, into {@link #digest}. */
        byte[] sortedDigest() throws WeComCryptoException {
            for (int i = 0; i < 4; i++) {
                order[i] = i;
            }
            // The same sorting network as sortFour, over indexes.
            orderIfGreater(0, 1);
            orderIfGreater(2, 3);
            orderIfGreater(0, 2);
            orderIfGreater(1, 3);
            orderIfGreater(1, 2);
            sha1.reset();
            for (int i : order) {
                sha1.update(parts[i], offsets[i], lengths[i]);
            }
            try {
                sha1.digest(digest, 0, digest.length);
            } catch (java.security.DigestException e) {
                throw new WeComCryptoException(WeComError.COMPUTE_SIGNATURE_ERROR,
                        WeComCryptoException.Problem.PLATFORM_FAILURE, "SHA-1 failed: " + e.getMessage(), e);
            }
            return digest;
        }

        private void orderIfGreater(int i, int j) {
            int a = order[i];
            int b = order[j];
            if (java.util.Arrays.compareUnsigned(parts[a], offsets[a], offsets[a] + lengths[a], parts[b], offsets[b],
                    offsets[b] + lengths[b]) > 0) {
                order[i] = b;
                order[j] = a;
            }
        }
    }
}
