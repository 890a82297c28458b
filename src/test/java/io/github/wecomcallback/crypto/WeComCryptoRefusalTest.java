package io.github.wecomcallback.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import javax.crypto.Cipher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.wecomcallback.crypto.WeComCryptoException.Problem;
import io.github.wecomcallback.testing.SetA;

/** One failure mode per test, each asserting the exact official code. */
class WeComCryptoRefusalTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    private static WeComCrypto crypto(String receiveId) throws WeComCryptoException {
        return WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, receiveId).timestampTolerance(java.time.Duration.ZERO).build();
    }

    private static WeComCryptoException refusal(Executable call) {
        return assertThrows(WeComCryptoException.class, call::run);
    }

    interface Executable {
        void run() throws Exception;
    }

    @Test
    void decrypt_wrongSignature_refusedWith40001() throws Exception {
        WeComCrypto crypto = crypto(SetA.CORP_ID);
        String wrong = SetA.POST_MSG_SIGNATURE.substring(0, 39) + "0";
        WeComCryptoException e = refusal(() -> crypto.decrypt(wrong, SetA.POST_TIMESTAMP, SetA.POST_NONCE,
                SetA.POST_ENCRYPT));
        assertEquals(WeComError.VALIDATE_SIGNATURE_ERROR, e.error());
        assertEquals(-40001, e.error().code());
        assertEquals(Problem.SIGNATURE_MISMATCH, e.problem());
    }

    @Test
    void decrypt_upperCaseSignature_refusedWith40001() throws Exception {
        WeComCrypto crypto = crypto(SetA.CORP_ID);
        WeComCryptoException e = refusal(() -> crypto.decrypt(SetA.POST_MSG_SIGNATURE.toUpperCase(),
                SetA.POST_TIMESTAMP, SetA.POST_NONCE, SetA.POST_ENCRYPT));
        assertEquals(WeComError.VALIDATE_SIGNATURE_ERROR, e.error());
    }

    @Test
    void decrypt_wrongToken_refusedWith40001() throws Exception {
        WeComCrypto other = WeComCrypto.builder("OtherToken1", SetA.ENCODING_AES_KEY, SetA.CORP_ID).timestampTolerance(java.time.Duration.ZERO).build();
        WeComCryptoException e = refusal(() -> other.verifyUrl(SetA.GET_MSG_SIGNATURE, SetA.GET_TIMESTAMP,
                SetA.GET_NONCE, SetA.GET_ECHOSTR));
        assertEquals(WeComError.VALIDATE_SIGNATURE_ERROR, e.error());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void decrypt_missingValue_refusedWith40001AsMissing(int missing) throws Exception {
        WeComCrypto crypto = crypto(SetA.CORP_ID);
        String[] values = {SetA.POST_MSG_SIGNATURE, SetA.POST_TIMESTAMP, SetA.POST_NONCE, SetA.POST_ENCRYPT};
        values[missing] = missing % 2 == 0 ? null : "";
        WeComCryptoException e = refusal(() -> crypto.decrypt(values[0], values[1], values[2], values[3]));
        assertEquals(WeComError.VALIDATE_SIGNATURE_ERROR, e.error());
        assertEquals(Problem.MISSING_PARAMETER, e.problem());
    }

    @Test
    void verifyUrl_plusTurnedIntoSpaces_isRestoredAndFlagged() throws Exception {
        WeComCrypto crypto = crypto(SetA.CORP_ID);
        String mangled = SetA.GET_ECHOSTR.replace('+', ' ');
        DecryptedMessage echo = crypto.verifyUrl(SetA.GET_MSG_SIGNATURE, SetA.GET_TIMESTAMP, SetA.GET_NONCE, mangled);
        assertEquals(SetA.GET_PLAINTEXT, echo.plaintextUtf8());
        assertTrue(echo.plusSignsRestored());
    }

    @Test
    void verifyUrl_spacesThatAreNotPlusSigns_refusedWith40001() throws Exception {
        WeComCrypto crypto = crypto(SetA.CORP_ID);
        WeComCryptoException e = refusal(() -> crypto.verifyUrl(SetA.GET_MSG_SIGNATURE, SetA.GET_TIMESTAMP,
                SetA.GET_NONCE, SetA.GET_ECHOSTR.replace('/', ' ')));
        assertEquals(WeComError.VALIDATE_SIGNATURE_ERROR, e.error());
        assertTrue(e.getMessage().contains("spaces"), e.getMessage());
    }

    @Test
    void decrypt_wrongReceiveId_refusedWith40005_namingBothIds() throws Exception {
        WeComCrypto crypto = crypto("ww0000000000000000");
        WeComCryptoException e = refusal(() -> crypto.decrypt(SetA.POST_MSG_SIGNATURE, SetA.POST_TIMESTAMP,
                SetA.POST_NONCE, SetA.POST_ENCRYPT));
        assertEquals(WeComError.VALIDATE_CORPID_ERROR, e.error());
        assertEquals(-40005, e.error().code());
        assertTrue(e.getMessage().contains("[" + SetA.CORP_ID + "]"), e.getMessage());
        assertTrue(e.getMessage().contains("[ww0000000000000000]"), e.getMessage());
    }

    @Test
    void decrypt_emptyExpectedReceiveId_refusesCorpMessagesWith40005() throws Exception {
        WeComCrypto bot = crypto("");
        WeComCryptoException e = refusal(() -> bot.decrypt(SetA.POST_MSG_SIGNATURE, SetA.POST_TIMESTAMP,
                SetA.POST_NONCE, SetA.POST_ENCRYPT));
        assertEquals(WeComError.VALIDATE_CORPID_ERROR, e.error());
    }

    @Test
    void decrypt_wrongKey_refusedWith40008OrReceiveIdMismatch() throws Exception {
        // The signature does not involve the key: a wrong key passes it and fails on padding.
        WeComCrypto wrongKey = WeComCrypto.builder(SetA.TOKEN, SetA.KAT_KEY, SetA.CORP_ID).timestampTolerance(java.time.Duration.ZERO).build();
        WeComCryptoException e = refusal(() -> wrongKey.decrypt(SetA.POST_MSG_SIGNATURE, SetA.POST_TIMESTAMP,
                SetA.POST_NONCE, SetA.POST_ENCRYPT));
        assertEquals(WeComError.ILLEGAL_BUFFER, e.error());
        assertEquals(-40008, e.error().code());
        assertEquals(Problem.BAD_PADDING_OR_LENGTH, e.problem());
    }

    @Test
    void decrypt_signedNonBase64_refusedWith40010() throws Exception {
        WeComCrypto crypto = crypto(SetA.CORP_ID);
        String junk = "not*base64!";
        String signature = crypto.sign("1", "2", junk);
        WeComCryptoException e = refusal(() -> crypto.decrypt(signature, "1", "2", junk));
        assertEquals(WeComError.DECODE_BASE64_ERROR, e.error());
        assertEquals(-40010, e.error().code());
    }

    @Test
    void decrypt_signedBase64OfWrongLength_refusedWith40007() throws Exception {
        WeComCrypto crypto = crypto(SetA.CORP_ID);
        String sixteen = Base64.getEncoder().encodeToString(new byte[16]);
        WeComCryptoException e = refusal(() -> crypto.decrypt(crypto.sign("1", "2", sixteen), "1", "2", sixteen));
        assertEquals(WeComError.DECRYPT_AES_ERROR, e.error());
        assertEquals(-40007, e.error().code());
        assertEquals(Problem.CIPHERTEXT_LENGTH, e.problem());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 33, 255})
    void decrypt_padOutsideOneToThirtyTwo_refusedWith40008(int pad) throws Exception {
        assertRawPlaintextRefused(rawPlaintext(pad, 0));
    }

    @Test
    void decrypt_nonUniformPad_refusedWith40008() throws Exception {
        byte[] raw = rawPlaintext(4, 0);
        raw[raw.length - 3] = 9;
        assertRawPlaintextRefused(raw);
    }

    @Test
    void decrypt_lengthFieldBeyondBuffer_refusedWith40008() throws Exception {
        assertRawPlaintextRefused(rawPlaintext(12, 1000));
        assertRawPlaintextRefused(rawPlaintext(12, -1));
    }

    /** 64 bytes: 16 random, a 4-byte length, zeros, then {@code pad} copies of the pad byte. */
    private static byte[] rawPlaintext(int pad, int length) {
        byte[] raw = new byte[64];
        ByteBuffer.wrap(raw, 16, 4).putInt(length);
        for (int i = Math.max(0, 64 - Math.min(pad, 32)); i < 64; i++) {
            raw[i] = (byte) pad;
        }
        raw[63] = (byte) pad;
        return raw;
    }

    @Test
    void aCipherThatFailed_isReplaced_andTheNextMessageDecrypts() throws Exception {
        EncodingAesKey key = EncodingAesKey.of(SetA.ENCODING_AES_KEY);
        WeComCrypto crypto = crypto(SetA.CORP_ID);
        String message = "<xml><Content>after a failure</Content></xml>";
        String ciphertext = crypto.encrypt(message.getBytes(StandardCharsets.UTF_8), "n1").encrypt();
        // Half a block: the thread's cipher throws; whatever state that leaves, it must not serve the next message.
        assertThrows(javax.crypto.IllegalBlockSizeException.class, () -> key.crypt(Cipher.DECRYPT_MODE, new byte[8]));
        assertEquals(message, new String(PayloadCipher.decrypt(key, ciphertext).message(), StandardCharsets.UTF_8));
        Cipher reference = Cipher.getInstance("AES/CBC/NoPadding");
        reference.init(Cipher.DECRYPT_MODE, key.keySpec(), key.iv());
        byte[] raw = Base64.getDecoder().decode(ciphertext);
        assertArrayEquals(reference.doFinal(raw), key.crypt(Cipher.DECRYPT_MODE, raw), "byte for byte the JCA's");
        assertArrayEquals(reference.doFinal(raw), key.crypt(Cipher.DECRYPT_MODE, raw), "and again: reused, not spent");
    }

    private static void assertRawPlaintextRefused(byte[] raw) throws Exception {
        EncodingAesKey key = EncodingAesKey.of(SetA.ENCODING_AES_KEY);
        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, key.keySpec(), key.iv());
        String ciphertext = Base64.getEncoder().encodeToString(aes.doFinal(raw));
        WeComCrypto crypto = crypto(SetA.CORP_ID);
        WeComCryptoException e = refusal(() -> crypto.decrypt(crypto.sign("1", "2", ciphertext), "1", "2",
                ciphertext));
        assertEquals(WeComError.ILLEGAL_BUFFER, e.error());
        assertEquals(Problem.BAD_PADDING_OR_LENGTH, e.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2CC",
            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2=", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B+C",
            "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B\u00e9C"})
    void build_illegalEncodingAesKey_refusedWith40004(String key) {
        WeComCryptoException e = assertThrows(WeComCryptoException.class,
                () -> WeComCrypto.builder(SetA.TOKEN, key, SetA.CORP_ID).timestampTolerance(java.time.Duration.ZERO).build());
        assertEquals(WeComError.ILLEGAL_AES_KEY, e.error());
        assertEquals(-40004, e.error().code());
        assertFalse(!key.isEmpty() && e.getMessage().contains(key), "the message must not show the key");
    }

    @Test
    void build_keyOfWrongLength_saysWhatLengthItGot() {
        WeComCryptoException e = assertThrows(WeComCryptoException.class,
                () -> EncodingAesKey.of(SetA.ENCODING_AES_KEY.substring(1)));
        assertTrue(e.getMessage().contains("must be 43 characters, got 42"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tok en", "token!", "123456789012345678901234567890123"})
    void build_illegalToken_refusedWith40003(String token) {
        WeComCryptoException e = assertThrows(WeComCryptoException.class,
                () -> WeComCrypto.builder(token, SetA.ENCODING_AES_KEY, SetA.CORP_ID).timestampTolerance(java.time.Duration.ZERO).build());
        assertEquals(WeComError.COMPUTE_SIGNATURE_ERROR, e.error());
        assertEquals(Problem.INVALID_CONFIGURATION, e.problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ww 1", "ww\t1", "ww\u007f", "wx\ud800", "\udc00wx"})
    void build_illegalReceiveId_refusedWith40005(String receiveId) {
        WeComCryptoException e = assertThrows(WeComCryptoException.class,
                () -> WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, receiveId).build());
        assertEquals(WeComError.VALIDATE_CORPID_ERROR, e.error());
        assertEquals(Problem.INVALID_CONFIGURATION, e.problem());
    }

    @Test
    void timestampWindow_300Accepted_301Refused_inBothDirections() throws Exception {
        WeComCrypto crypto = WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).timestampTolerance(Duration.ofSeconds(300)).build();
        byte[] message = "<xml/>".getBytes(UTF_8);
        String ciphertext = crypto.encrypt(message).encrypt();
        for (long offset : new long[] {-300, 0, 300}) {
            String ts = Long.toString(NOW.getEpochSecond() + offset);
            assertArrayEquals(message, crypto.decrypt(crypto.sign(ts, "n", ciphertext), ts, "n", ciphertext).plaintext());
        }
        for (long offset : new long[] {-301, 301}) {
            String ts = Long.toString(NOW.getEpochSecond() + offset);
            WeComCryptoException e = refusal(() -> crypto.decrypt(crypto.sign(ts, "n", ciphertext), ts, "n", ciphertext));
            assertEquals(WeComError.VALIDATE_SIGNATURE_ERROR, e.error());
            assertEquals(Problem.TIMESTAMP_OUT_OF_WINDOW, e.problem());
            assertTrue(e.getMessage().contains("301 s " + (offset < 0 ? "behind" : "ahead of")), e.getMessage());
        }
    }

    @Test
    void timestampWindow_nonNumericTimestamp_refusedWith40001() throws Exception {
        WeComCrypto crypto = WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).timestampTolerance(Duration.ofSeconds(300)).build();
        String ciphertext = crypto.encrypt(new byte[0]).encrypt();
        WeComCryptoException e = refusal(() -> crypto.decrypt(crypto.sign("12a", "n", ciphertext), "12a", "n",
                ciphertext));
        assertEquals(Problem.MALFORMED_TIMESTAMP, e.problem());
    }

    @Test
    void encrypt_usesSecondsFromTheInjectedClock() throws Exception {
        WeComCrypto crypto = WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).timestampTolerance(java.time.Duration.ZERO).build();
        assertEquals(NOW.getEpochSecond(), crypto.encrypt(new byte[1]).timeStamp());
    }

    @Test
    void keyRotation_previousKeyStillDecrypts_newKeyEncrypts() throws Exception {
        WeComCrypto old = WeComCrypto.builder(SetA.TOKEN, SetA.KAT_KEY, SetA.CORP_ID).timestampTolerance(java.time.Duration.ZERO).build();
        WeComCrypto rotated = WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID)
                .previousEncodingAesKey(SetA.KAT_KEY).timestampTolerance(java.time.Duration.ZERO).build();
        EncryptedReply fromOld = old.encrypt("old".getBytes(UTF_8));
        DecryptedMessage message = rotated.decrypt(fromOld.msgSignature(), Long.toString(fromOld.timeStamp()),
                fromOld.nonce(), fromOld.encrypt());
        assertEquals("old", message.plaintextUtf8());
        assertTrue(message.previousKeyUsed());

        EncryptedReply reply = rotated.encrypt("new".getBytes(UTF_8));
        WeComCryptoException e = refusal(() -> old.decrypt(reply.msgSignature(), Long.toString(reply.timeStamp()),
                reply.nonce(), reply.encrypt()));
        assertEquals(WeComError.ILLEGAL_BUFFER, e.error());
    }
}
