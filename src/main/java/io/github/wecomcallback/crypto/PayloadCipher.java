package io.github.wecomcallback.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;

import io.github.wecomcallback.crypto.WeComCryptoException.Problem;

/**
 * The AES layer of the protocol: {@code Base64(AES-256-CBC(random16 ‖ len32 ‖ message ‖ receiveId ‖ pad))}
 * with the IV taken from the key and PKCS#7 padding to a multiple of 32 bytes (so pad values 1..32, which
 * JCE's {@code PKCS5Padding} refuses: we pad ourselves). It neither signs nor checks signatures: see
 * {@link WeComCrypto}, which must verify before it calls {@link #decrypt}.
 */
public final class PayloadCipher {
    /** WeCom pads to 32 bytes, not to the AES block size. */
    public static final int PAD_BLOCK = 32;
    /** Length of the random prefix. */
    public static final int RANDOM_LENGTH = 16;

    private static final int HEADER = RANDOM_LENGTH + 4;
    /** A pooled decode buffer's size when made: the ciphertext of a message up to about 1,900 bytes fits. */
    private static final int POOLED_BUFFER_BYTES = 2048;
    /**
     * The most a pooled decode buffer grows to (a larger ciphertext gets a buffer of its own, then dropped, and the
     * pooled one it took with it): at most this much per pool slot (4 per core rounded up to a power of two, at least
     * 8: 512 KiB on 2 cores), and only once messages that large have arrived.
     */
    private static final int MAX_POOLED_BUFFER_BYTES = 64 * 1024;
    private static final ObjectPool<byte[]> DECODE_BUFFERS = new ObjectPool<>(() -> new byte[POOLED_BUFFER_BYTES]);

    private PayloadCipher() {
    }

    /**
     * What a ciphertext holds once decrypted and unpadded: {@code random16 ‖ len32 ‖ message ‖ receiveId}, kept in
     * the decrypted buffer itself; the accessors copy.
     */
    public static final class Payload {
        private final byte[] plain;
        private final int messageLength;
        private final int end;

        private Payload(byte[] plain, int messageLength, int end) {
            this.plain = plain;
            this.messageLength = messageLength;
            this.end = end;
        }

        public byte[] random() {
            return Arrays.copyOfRange(plain, 0, RANDOM_LENGTH);
        }

        public byte[] message() {
            return Arrays.copyOfRange(plain, HEADER, HEADER + messageLength);
        }

        public byte[] receiveId() {
            return Arrays.copyOfRange(plain, HEADER + messageLength, end);
        }

        /** The receive id as text (corp id, suite id, or empty for bots). */
        public String receiveIdText() {
            return new String(plain, HEADER + messageLength, end - HEADER - messageLength, StandardCharsets.UTF_8);
        }

        /** Whether the receive id is these bytes, without copying it. */
        boolean receiveIdIs(byte[] expected) {
            return Arrays.equals(plain, HEADER + messageLength, end, expected, 0, expected.length);
        }

        /** The message where it lies: {@code buffer()[messageOffset(), messageOffset() + messageLength())}. */
        byte[] buffer() {
            return plain;
        }

        int messageOffset() {
            return HEADER;
        }

        int messageLength() {
            return messageLength;
        }
    }

    /**
     * Encrypts {@code message} for {@code receiveId} with the given 16 random bytes. Production code passes
     * fresh {@code SecureRandom} bytes (with a fixed IV they are what makes two ciphertexts differ); tests
     * pass known bytes to reproduce the official vectors.
     */
    public static String encrypt(EncodingAesKey key, byte[] random, byte[] message, byte[] receiveId)
            throws WeComCryptoException {
        if (random.length != RANDOM_LENGTH) {
            throw new IllegalArgumentException("random must be " + RANDOM_LENGTH + " bytes, got " + random.length);
        }
        int unpadded = HEADER + message.length + receiveId.length;
        int pad = PAD_BLOCK - unpadded % PAD_BLOCK;
        ByteBuffer buffer = ByteBuffer.allocate(unpadded + pad);
        buffer.put(random).putInt(message.length).put(message).put(receiveId);
        for (int i = 0; i < pad; i++) {
            buffer.put((byte) pad);
        }
        byte[] ciphertext;
        try {
            ciphertext = key.crypt(Cipher.ENCRYPT_MODE, buffer.array());
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new WeComCryptoException(WeComError.ENCRYPT_AES_ERROR, Problem.PLATFORM_FAILURE,
                    "AES-256-CBC encryption failed: " + e.getMessage(), e);
        }
        return Base64.getEncoder().encodeToString(ciphertext);
    }

    /**
     * Decodes and decrypts a ciphertext. Every structural defect is a hard rejection: non-Base64 text,
     * a length that is not a non-zero multiple of 32, a pad outside 1..32 or not uniform, a length field
     * that does not fit.
     */
    public static Payload decrypt(EncodingAesKey key, String ciphertextBase64) throws WeComCryptoException {
        return decrypt(key, decodeBase64(ciphertextBase64));
    }

    /**
     * A buffer for decoding {@code base64Length} characters of ciphertext with {@link #decodeBase64(byte[], byte[])},
     * to be given back with {@link #giveDecodeBuffer} once the ciphertext is decrypted (the decryption
     * writes a new array: nothing refers to the buffer after it).
     */
    static byte[] takeDecodeBuffer(int base64Length) {
        int size = base64Length / 4 * 3 + 3; // at least what the JDK's decoder asks for, padded or not; no overflow
        byte[] buffer = DECODE_BUFFERS.take();
        return buffer.length >= size ? buffer : new byte[Math.max(size, POOLED_BUFFER_BYTES)];
    }

    /** Gives back a buffer of {@link #takeDecodeBuffer}; one larger than a pooled buffer may grow to is dropped. */
    static void giveDecodeBuffer(byte[] buffer) {
        if (buffer.length <= MAX_POOLED_BUFFER_BYTES) {
            DECODE_BUFFERS.give(buffer);
        }
    }

    /**
     * Decodes a ciphertext given as Base64 text in Latin-1 bytes (a whole array: the JDK's decoder, intrinsified, takes
     * no range) into {@code buffer} (from {@link #takeDecodeBuffer}), accepting and refusing what
     * {@code Base64.Decoder.decode(String)} does.
     *
     * @return the number of bytes decoded
     * @throws WeComCryptoException with {@link WeComError#DECODE_BASE64_ERROR} if it is not Base64
     */
    static int decodeBase64(byte[] text, byte[] buffer) throws WeComCryptoException {
        try {
            return Base64.getDecoder().decode(text, buffer);
        } catch (IllegalArgumentException e) {
            throw malformedBase64(new String(text, StandardCharsets.ISO_8859_1), e);
        }
    }

    /**
     * Decrypts a decoded ciphertext, leaving it as it is (during a key rotation the next key tries it again), with
     * the checks of {@link #decrypt(EncodingAesKey, String)}.
     */
    static Payload decrypt(EncodingAesKey key, byte[] ciphertext) throws WeComCryptoException {
        return decrypt(key, ciphertext, ciphertext.length);
    }

    /** The same for {@code ciphertext[0, length)}. */
    static Payload decrypt(EncodingAesKey key, byte[] ciphertext, int length) throws WeComCryptoException {
        if (length == 0 || length % PAD_BLOCK != 0) {
            throw new WeComCryptoException(WeComError.DECRYPT_AES_ERROR, Problem.CIPHERTEXT_LENGTH,
                    "the ciphertext decodes to " + length + " bytes, which is not a non-zero multiple of "
                            + PAD_BLOCK);
        }
        byte[] plain;
        try {
            plain = key.crypt(Cipher.DECRYPT_MODE, ciphertext, length);
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new WeComCryptoException(WeComError.DECRYPT_AES_ERROR, Problem.PLATFORM_FAILURE,
                    "AES-256-CBC decryption failed: " + e.getMessage(), e);
        }
        int pad = plain[plain.length - 1] & 0xFF;
        if (pad < 1 || pad > PAD_BLOCK) {
            throw illegalBuffer("the padding value " + pad + " is outside 1.." + PAD_BLOCK);
        }
        for (int i = plain.length - pad; i < plain.length; i++) {
            if ((plain[i] & 0xFF) != pad) {
                throw illegalBuffer("the " + pad + " padding bytes are not uniform");
            }
        }
        int unpadded = plain.length - pad;
        if (unpadded < HEADER) {
            throw illegalBuffer("the decrypted buffer is " + unpadded + " bytes, shorter than its 20-byte header");
        }
        int messageLength = (plain[RANDOM_LENGTH] & 0xFF) << 24 | (plain[RANDOM_LENGTH + 1] & 0xFF) << 16
                | (plain[RANDOM_LENGTH + 2] & 0xFF) << 8 | plain[RANDOM_LENGTH + 3] & 0xFF; // network order
        if (messageLength < 0 || messageLength > unpadded - HEADER) {
            throw illegalBuffer("the length field says " + Integer.toUnsignedString(messageLength)
                    + " bytes but only " + (unpadded - HEADER) + " follow");
        }
        return new Payload(plain, messageLength, unpadded);
    }

    /** Decodes a ciphertext given as Base64 text; {@link WeComError#DECODE_BASE64_ERROR} if it is not Base64. */
    static byte[] decodeBase64(String text) throws WeComCryptoException {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw malformedBase64(text, e);
        }
    }

    /** Only once decoding failed, look for the reason, to name it: a space is the usual one ('+' decoded to ' '). */
    private static WeComCryptoException malformedBase64(String text, IllegalArgumentException e) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(EncodingAesKey.isAlphanumeric(c) || c == '+' || c == '/' || c == '=')) {
                return new WeComCryptoException(WeComError.DECODE_BASE64_ERROR, Problem.MALFORMED_CIPHERTEXT,
                        "the ciphertext contains a character outside the Base64 alphabet at position " + (i + 1)
                                + (c == ' ' ? " (a space: something turned '+' into ' ')" : ""), e);
            }
        }
        return new WeComCryptoException(WeComError.DECODE_BASE64_ERROR, Problem.MALFORMED_CIPHERTEXT,
                "the ciphertext is not valid Base64: " + e.getMessage(), e);
    }

    private static WeComCryptoException illegalBuffer(String message) {
        return new WeComCryptoException(WeComError.ILLEGAL_BUFFER, Problem.BAD_PADDING_OR_LENGTH, message);
    }
}
