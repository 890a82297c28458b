package io.github.wecomcallback.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Objects;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The filter reads {@code Encrypt} where it lies in the request body ({@link WeComCrypto#decrypt(String, String,
 * String, byte[], int, int)}). Held to the String path on every input: the same plaintext and flags when it
 * succeeds, the same official code, problem and message when it refuses — for genuine callbacks, tampered ones,
 * spaces where '+' was, non-ASCII nonces, junk, and a key rotation.
 */
class CiphertextBytesTest {
    private static final String TOKEN = "Tok3n";
    private static final String KEY = "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa9876543";
    private static final String OLD_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private static final String CORP = "ww0123456789abcdef";

    private static final WeComCrypto RECEIVER = crypto(KEY, OLD_KEY);
    private static final WeComCrypto SENDER = crypto(KEY, null);
    private static final WeComCrypto OLD_SENDER = crypto(OLD_KEY, null);

    private static WeComCrypto crypto(String key, String previous) {
        try {
            WeComCrypto.Builder builder = WeComCrypto.builder(TOKEN, key, CORP).timestampTolerance(java.time.Duration.ZERO);
            return (previous == null ? builder : builder.previousEncodingAesKey(previous)).build();
        } catch (WeComCryptoException e) {
            throw new AssertionError(e);
        }
    }

    @Property(tries = 2000)
    void bytesPath_agreesWithTheStringPath(@ForAll @Size(max = 600) byte[] plaintext,
            @ForAll("tamperings") int tampering, @ForAll @IntRange(min = 0, max = 100_000) int position,
            @ForAll boolean oldKey, @ForAll("nonces") String nonce) throws Exception {
        EncryptedReply sealed = (oldKey ? OLD_SENDER : SENDER).encrypt(plaintext, nonce);
        String signature = sealed.msgSignature();
        String timestamp = Long.toString(sealed.timeStamp());
        String encrypt = sealed.encrypt();
        switch (tampering) {
            case 1 -> encrypt = encrypt.replace('+', ' '); // a proxy decoded the query once more
            case 2 -> { // one character changed, signature left as it was
                int at = position % encrypt.length();
                encrypt = encrypt.substring(0, at) + (encrypt.charAt(at) == 'A' ? 'B' : 'A') + encrypt.substring(at + 1);
            }
            case 3 -> { // re-signed junk: the signature matches, the decryption must refuse it
                encrypt = encrypt.substring(0, position % encrypt.length());
                signature = SENDER.sign(timestamp, nonce, encrypt);
            }
            case 4 -> signature = "0".repeat(40);
            case 6 -> { // re-signed, with bytes after the padding or none: the JDK's message names a position
                encrypt = switch (position % 4) {
                    case 0 -> encrypt + "=";
                    case 1 -> encrypt + "A";
                    case 2 -> encrypt.replace("=", "");
                    default -> encrypt + "==";
                };
                signature = SENDER.sign(timestamp, nonce, encrypt);
            }
            case 5 -> { // re-signed text that is not Base64
                encrypt = encrypt.substring(0, position % encrypt.length()) + "*" + encrypt.substring(position % encrypt.length());
                signature = SENDER.sign(timestamp, nonce, encrypt);
            }
            default -> {
            }
        }
        String bodyPrefix = "<xml><Encrypt><![CDATA[";
        byte[] body = (bodyPrefix + encrypt + "]]></Encrypt></xml>").getBytes(UTF_8);
        String sig = signature;
        String ciphertext = encrypt;
        assertSameOutcome(() -> RECEIVER.decrypt(sig, timestamp, nonce, ciphertext),
                () -> RECEIVER.decrypt(sig, timestamp, nonce, body, bodyPrefix.length(), ciphertext.length()));
    }

    /**
     * Ciphertexts that fit a pooled decoding buffer as made (2 KiB) or not (1,977 and 2,009 bytes of message are
     * the last to need 2,016 and 2,048 decoded bytes), grown ones kept (up to 64 KiB) or dropped, small ones between:
     * the buffers are reused.
     */
    @Test
    void longAndShortMessages_inTurn_agreeWithTheStringPath() throws Exception {
        for (int size : new int[] {40_000, 10, 1_977, 2_009, 2_010, 16_000, 16_340, 16_400, 0, 65_400, 65_500,
                100_000, 300}) {
            byte[] plaintext = new byte[size];
            new java.util.Random(size).nextBytes(plaintext);
            EncryptedReply sealed = SENDER.encrypt(plaintext, "1");
            String bodyPrefix = "<xml><Encrypt><![CDATA[";
            byte[] body = (bodyPrefix + sealed.encrypt() + "]]></Encrypt></xml>").getBytes(UTF_8);
            String timestamp = Long.toString(sealed.timeStamp());
            DecryptedMessage fromBytes = RECEIVER.decrypt(sealed.msgSignature(), timestamp, "1", body,
                    bodyPrefix.length(), sealed.encrypt().length());
            assertArrayEquals(plaintext, fromBytes.plaintext(), size + " bytes");
            assertArrayEquals(RECEIVER.decrypt(sealed.msgSignature(), timestamp, "1", sealed.encrypt()).plaintext(),
                    fromBytes.plaintext());
        }
    }

    /**
     * The view the filter reads instead of a copy: exactly the plaintext (not the random prefix, the length, the
     * receive id or the padding around it in the decrypted bytes), read-only, and a view of its own on every call.
     */
    @Test
    void plaintextBuffer_isExactlyThePlaintext_readOnly_andANewViewEachTime() throws Exception {
        for (int size : new int[] {0, 1, 15, 16, 300, 2_009, 16_384}) {
            byte[] plaintext = new byte[size];
            new java.util.Random(size).nextBytes(plaintext);
            EncryptedReply sealed = SENDER.encrypt(plaintext, "1");
            DecryptedMessage message = RECEIVER.decrypt(sealed.msgSignature(), Long.toString(sealed.timeStamp()), "1",
                    sealed.encrypt());
            java.nio.ByteBuffer view = message.plaintextBuffer();
            assertEquals(0, view.position(), size + " bytes");
            assertEquals(size, view.limit());
            assertEquals(size, view.capacity(), "nothing of the decrypted bytes beyond the plaintext is reachable");
            assertEquals(true, view.isReadOnly());
            org.junit.jupiter.api.Assertions.assertFalse(view.hasArray(), "the decrypted array is never handed out");
            byte[] read = new byte[size];
            view.get(read);
            assertArrayEquals(plaintext, read);
            assertEquals(0, message.plaintextBuffer().position(), "another call: another view, unmoved");
            org.junit.jupiter.api.Assertions.assertThrows(java.nio.ReadOnlyBufferException.class,
                    () -> message.plaintextBuffer().put(0, (byte) 1));
            assertArrayEquals(plaintext, message.plaintext());
        }
    }

    /**
     * The pooled decoding buffer holds whatever the JDK's decoder needs, padded or not: judged against an independent
     * reference (the JDK decoding the String, then the decryption of those bytes), around the sizes where a buffer is
     * made (2 KiB) and where it is no longer kept (64 KiB), with the padding stripped and the text cut short.
     */
    @Test
    void unpaddedAndCutCiphertexts_atTheBufferEdges_areJudgedAsTheReferenceJudgesThem() throws Exception {
        EncodingAesKey key = EncodingAesKey.of(KEY);
        for (int size : new int[] {1_977, 1_978, 2_009, 2_010, 2_041, 2_042, 65_444, 65_476, 65_477, 65_508, 65_509}) {
            byte[] plaintext = new byte[size];
            new java.util.Random(size).nextBytes(plaintext);
            String genuine = SENDER.encrypt(plaintext, "1").encrypt();
            for (String encrypt : new String[] {genuine, genuine.replace("=", ""), genuine.substring(0, genuine.length() - 1),
                    genuine.substring(0, genuine.length() - 2), genuine.substring(0, genuine.length() - 3)}) {
                String timestamp = Long.toString(java.time.Instant.now().getEpochSecond());
                String signature = SENDER.sign(timestamp, "1", encrypt);
                String outcome;
                try {
                    byte[] decoded = java.util.Base64.getDecoder().decode(encrypt);
                    outcome = "plaintext " + java.util.Arrays.hashCode(PayloadCipher.decrypt(key, decoded).message());
                } catch (IllegalArgumentException e) {
                    outcome = WeComError.DECODE_BASE64_ERROR.toString();
                } catch (WeComCryptoException e) {
                    outcome = e.error().toString();
                }
                byte[] body = ("<xml><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>").getBytes(UTF_8);
                for (boolean bytes : new boolean[] {true, false}) {
                    String ours;
                    try {
                        DecryptedMessage message = bytes
                                ? RECEIVER.decrypt(signature, timestamp, "1", body, 23, encrypt.length())
                                : RECEIVER.decrypt(signature, timestamp, "1", encrypt);
                        ours = "plaintext " + java.util.Arrays.hashCode(message.plaintext());
                    } catch (WeComCryptoException e) {
                        ours = e.error().toString();
                    }
                    assertEquals(outcome, ours, size + " bytes, Base64 of " + encrypt.length() + " characters"
                            + (bytes ? " from the body" : ""));
                }
            }
        }
    }

    /**
     * The byte path must verify genuine signatures itself: a fault in it would otherwise pass unnoticed, the String
     * path behind it deciding the same (only slower). Values drawn so that the ciphertext sorts anywhere among the
     * other three, equal to one of them included.
     */
    @Property(tries = 3000)
    void bytePath_verifiesEveryGenuineSignature_andNoOther(@ForAll("tokens") String token,
            @ForAll("timestamps") String timestamp, @ForAll("asciiNonces") String nonce,
            @ForAll("ciphertexts") String ciphertext, @ForAll @IntRange(min = 0, max = 2) int sameAs,
            @ForAll @IntRange(min = 0, max = 39) int flipped) throws Exception {
        String encrypt = switch (sameAs) { // now and then the ciphertext equals another value
            case 1 -> ciphertext.length() % 7 == 0 ? token : ciphertext;
            case 2 -> ciphertext.length() % 7 == 0 ? nonce : ciphertext;
            default -> ciphertext;
        };
        String signature = Signature.compute(token, timestamp, nonce, encrypt);
        byte[] body = ("<xml><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>").getBytes(UTF_8);
        int offset = "<xml><Encrypt><![CDATA[".length();
        assertEquals(true, Signature.matches(signature, token, timestamp, nonce, body, offset, encrypt.length()),
                "the byte path verifies it itself");
        char digit = signature.charAt(flipped);
        String other = signature.substring(0, flipped) + (digit == '0' ? '1' : '0') + signature.substring(flipped + 1);
        assertEquals(false, Signature.matches(other, token, timestamp, nonce, body, offset, encrypt.length()));
    }

    @Provide
    Arbitrary<String> tokens() {
        return Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(WeComCrypto.MAX_TOKEN_LENGTH);
    }

    @Provide
    Arbitrary<String> timestamps() {
        return Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(10);
    }

    @Provide
    Arbitrary<String> asciiNonces() {
        return Arbitraries.oneOf(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(WeComCrypto.MAX_NONCE_LENGTH));
    }

    @Provide
    Arbitrary<String> ciphertexts() {
        return Arbitraries.strings().withChars("0123456789+/=ABCZabcz").ofMinLength(1).ofMaxLength(600);
    }

    /** The longest token, timestamp and nonce accepted fill the byte path's per-thread room exactly. */
    @Test
    void theLongestTokenTimestampAndNonce_agreeWithTheStringPath() throws Exception {
        String token = "T".repeat(WeComCrypto.MAX_TOKEN_LENGTH);
        WeComCrypto crypto = WeComCrypto.builder(token, KEY, CORP).timestampTolerance(java.time.Duration.ZERO).build();
        String timestamp = "9999999999";
        String nonce = "n".repeat(WeComCrypto.MAX_NONCE_LENGTH - 1) + "~";
        String encrypt = crypto.encrypt("<xml><Content>edge</Content></xml>".getBytes(UTF_8), nonce).encrypt();
        String signature = crypto.sign(timestamp, nonce, encrypt);
        byte[] body = ("<xml><Encrypt>" + encrypt + "</Encrypt></xml>").getBytes(UTF_8);
        DecryptedMessage fromBytes = crypto.decrypt(signature, timestamp, nonce, body, 14, encrypt.length());
        assertEquals("<xml><Content>edge</Content></xml>", fromBytes.plaintextUtf8());
        assertSameOutcome(() -> crypto.decrypt(signature, timestamp, nonce, encrypt),
                () -> crypto.decrypt(signature, timestamp, nonce, body, 14, encrypt.length()));
        String tampered = "0" + signature.substring(1).replace('0', '1');
        assertSameOutcome(() -> crypto.decrypt(tampered, timestamp, nonce, encrypt),
                () -> crypto.decrypt(tampered, timestamp, nonce, body, 14, encrypt.length()));
    }

    @Test
    void aRangeOutsideTheArray_isAProgrammingError_notARefusal() {
        byte[] body = "<xml><Encrypt>abcd</Encrypt></xml>".getBytes(UTF_8);
        String signature = "0".repeat(40);
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> RECEIVER.decrypt(signature, "1", "2", body, 30, 10));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> RECEIVER.decrypt(signature, "1", "2", body, -1, 4));
    }

    private interface Call {
        DecryptedMessage run() throws WeComCryptoException;
    }

    private static void assertSameOutcome(Call string, Call bytes) {
        Object expected = outcome(string);
        Object actual = outcome(bytes);
        if (expected instanceof DecryptedMessage e && actual instanceof DecryptedMessage a) {
            assertArrayEquals(e.plaintext(), a.plaintext());
            assertEquals(e.receiveId(), a.receiveId());
            assertEquals(e.plusSignsRestored(), a.plusSignsRestored());
            assertEquals(e.previousKeyUsed(), a.previousKeyUsed());
        } else {
            assertEquals(expected, actual);
        }
    }

    /** The message, or the refusal as (code, problem, message). */
    private static Object outcome(Call call) {
        try {
            return call.run();
        } catch (WeComCryptoException e) {
            return e.error() + " " + e.problem() + " " + e.getMessage();
        } catch (RuntimeException e) {
            return "unchecked " + Objects.toString(e);
        }
    }

    @Provide
    Arbitrary<Integer> tamperings() {
        return Arbitraries.integers().between(0, 6);
    }

    @Provide
    Arbitrary<String> nonces() {
        return Arbitraries.oneOf(Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().withChars("09aé中").ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().ascii().ofMinLength(60).ofMaxLength(WeComCrypto.MAX_NONCE_LENGTH));
    }
}
