package io.github.wecomcallback.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import io.github.wecomcallback.testing.SetA;

class WeComCryptoPropertiesTest {
    private static final WeComCrypto CRYPTO = build();

    private static WeComCrypto build() {
        try {
            return WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID).timestampTolerance(java.time.Duration.ZERO).build();
        } catch (WeComCryptoException e) {
            throw new AssertionError(e);
        }
    }

    @Property(tries = 300)
    void anyPlaintext_roundTrips(@ForAll @Size(max = 4096) byte[] plaintext) throws Exception {
        EncryptedReply reply = CRYPTO.encrypt(plaintext);
        DecryptedMessage back = CRYPTO.decrypt(reply.msgSignature(), Long.toString(reply.timeStamp()), reply.nonce(),
                reply.encrypt());
        assertArrayEquals(plaintext, back.plaintext());
    }

    @Property(tries = 300)
    void anyText_roundTripsAsUtf8(@ForAll String text) throws Exception {
        EncryptedReply reply = CRYPTO.encrypt(text.getBytes(UTF_8));
        assertEquals(text, CRYPTO.decrypt(reply.msgSignature(), Long.toString(reply.timeStamp()), reply.nonce(),
                reply.encrypt()).plaintextUtf8());
    }

    /** Any change to a signed value, without signing again, is a signature mismatch. */
    @Property(tries = 1000)
    void anyChangeWithoutResigning_isRefusedWith40001(@ForAll @Size(max = 256) byte[] plaintext,
            @ForAll @IntRange(min = 0, max = 3) int field, @ForAll("replacementChars") char replacement,
            @ForAll @IntRange(min = 0, max = 10_000) int position) throws Exception {
        EncryptedReply reply = CRYPTO.encrypt(plaintext);
        String[] values = {reply.msgSignature(), Long.toString(reply.timeStamp()), reply.nonce(), reply.encrypt()};
        String original = values[field];
        int at = position % original.length();
        char changed = original.charAt(at) == replacement ? (char) (replacement + 1) : replacement;
        values[field] = original.substring(0, at) + changed + original.substring(at + 1);

        WeComCryptoException e = assertThrows(WeComCryptoException.class,
                () -> CRYPTO.decrypt(values[0], values[1], values[2], values[3]));
        assertEquals(WeComError.VALIDATE_SIGNATURE_ERROR, e.error());
    }

    @Provide
    Arbitrary<Character> replacementChars() {
        // No space: a space in the ciphertext where '+' stood is restored on purpose.
        return Arbitraries.chars().ascii().filter(c -> c != ' ' && c != '+');
    }

    /** With a valid signature over anything at all, the result is success or one of our codes, nothing else. */
    @Property(tries = 2000)
    void anyResignedCiphertext_succeedsOrFailsWithAnOfficialCode(@ForAll("ciphertexts") String ciphertext) {
        try {
            String signature = CRYPTO.sign("1409659813", "1372623149", ciphertext);
            CRYPTO.decrypt(signature, "1409659813", "1372623149", ciphertext);
        } catch (WeComCryptoException expected) {
            // Any unchecked exception would escape and fail the property. Signed by the right token, a refusal is
            // never about the signature or the timestamp: it is about what the ciphertext holds.
            assertTrue(expected.problem() != WeComCryptoException.Problem.SIGNATURE_MISMATCH
                    && expected.problem() != WeComCryptoException.Problem.TIMESTAMP_OUT_OF_WINDOW,
                    "a correctly signed ciphertext refused for " + expected.problem());
        }
    }

    @Provide
    Arbitrary<String> ciphertexts() {
        Arbitrary<String> base64Like = Arbitraries.strings()
                .withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=").ofMaxLength(200);
        Arbitrary<String> anything = Arbitraries.strings().ofMaxLength(100);
        Arbitrary<String> tampered = Arbitraries.integers().between(0, 10_000).flatMap(position ->
                Arbitraries.chars().with("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/").map(c -> {
                    String original = SetA.POST_ENCRYPT;
                    int at = position % (original.length() - 2);
                    return original.substring(0, at) + c + original.substring(at + 1);
                }));
        return Arbitraries.oneOf(base64Like, anything, tampered);
    }
}
