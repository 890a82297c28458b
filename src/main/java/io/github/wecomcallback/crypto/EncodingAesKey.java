package io.github.wecomcallback.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 43-character EncodingAESKey of the WeCom console, decoded once into the AES-256 key and its IV.
 *
 * <p>The key is Base64 of 32 bytes without its final {@code =}. Its last character usually carries
 * non-zero trailing bits, which strict Base64 decoders refuse; the JDK decoder ignores them, as WeCom
 * does. {@link #toString()} never shows the key.
 */
public final class EncodingAesKey {
    /** Length of an EncodingAESKey in characters. */
    public static final int LENGTH = 43;

    private final byte[] key;
    private final SecretKeySpec keySpec;
    private final IvParameterSpec iv;
    /**
     * AES-256-CBC ciphers initialised with this key and its IV, one pool per direction (a Cipher is not
     * thread-safe). {@code doFinal} returns a Cipher to its initialised state, and the protocol's IV never
     * changes: no {@code init}, so no key expansion, per message.
     */
    private final ObjectPool<Cipher> encryptors = new ObjectPool<>(() -> initialised(Cipher.ENCRYPT_MODE));
    private final ObjectPool<Cipher> decryptors = new ObjectPool<>(() -> initialised(Cipher.DECRYPT_MODE));

    private EncodingAesKey(byte[] key) {
        this.key = key;
        this.keySpec = new SecretKeySpec(key, "AES");
        this.iv = new IvParameterSpec(key, 0, 16);
    }

    private Cipher initialised(int mode) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
            cipher.init(mode, keySpec, iv);
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot do AES-256-CBC: " + e.getMessage(), e);
        }
    }

    /**
     * Encrypts or decrypts whole blocks with a pooled cipher. After a failure the cipher is not given back, so that
     * the next message gets a fresh one whatever state the failure left it in.
     *
     * @throws IllegalStateException if the platform has no AES-256-CBC
     */
    byte[] crypt(int mode, byte[] input) throws GeneralSecurityException {
        return crypt(mode, input, input.length);
    }

    /** The same for {@code input[0, length)}. */
    byte[] crypt(int mode, byte[] input, int length) throws GeneralSecurityException {
        ObjectPool<Cipher> ciphers = mode == Cipher.ENCRYPT_MODE ? encryptors : decryptors;
        Cipher cipher = ciphers.take();
        byte[] output = cipher.doFinal(input, 0, length);
        ciphers.give(cipher);
        return output;
    }

    /**
     * Validates and decodes an EncodingAESKey.
     *
     * @throws WeComCryptoException with {@link WeComError#ILLEGAL_AES_KEY} if the value is not exactly
     *     43 characters of {@code [A-Za-z0-9]}; the message says what is wrong, never the value
     */
    public static EncodingAesKey of(String encodingAesKey) throws WeComCryptoException {
        if (encodingAesKey == null || encodingAesKey.isEmpty()) {
            throw illegal("the EncodingAESKey is missing");
        }
        if (encodingAesKey.length() != LENGTH) {
            throw illegal("the EncodingAESKey must be " + LENGTH + " characters, got " + encodingAesKey.length());
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = encodingAesKey.charAt(i);
            if (!isAlphanumeric(c)) {
                throw illegal("the EncodingAESKey may contain only letters and digits [A-Za-z0-9], found another "
                        + "character at position " + (i + 1));
            }
        }
        byte[] key = Base64.getDecoder().decode(encodingAesKey + "=");
        // 43 Base64 characters plus one '=' always decode to 32 bytes; asserted for the reader's sake.
        if (key.length != 32) {
            throw illegal("the EncodingAESKey decodes to " + key.length + " bytes instead of 32");
        }
        return new EncodingAesKey(key);
    }

    /** The ASCII letters and digits of the WeCom key and token alphabets. */
    static boolean isAlphanumeric(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static WeComCryptoException illegal(String message) {
        return new WeComCryptoException(WeComError.ILLEGAL_AES_KEY, WeComCryptoException.Problem.INVALID_CONFIGURATION,
                message);
    }

    SecretKeySpec keySpec() {
        return keySpec;
    }

    IvParameterSpec iv() {
        return iv;
    }

    /** Compares key material in constant time. */
    @Override
    public boolean equals(Object other) {
        return other instanceof EncodingAesKey that && MessageDigest.isEqual(key, that.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "EncodingAesKey[redacted]";
    }
}
