package io.github.wecomcallback.crypto;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.message.EncryptedEnvelope;
import io.github.wecomcallback.message.MessageCodec;
import io.github.wecomcallback.testing.SetA;

class OfficialVectorsTest {
    private final WeComCrypto crypto = newCrypto();

    private static WeComCrypto newCrypto() {
        try {
            return WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID).timestampTolerance(java.time.Duration.ZERO).build();
        } catch (WeComCryptoException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void verifyUrl_setA_answersTheOfficialPlaintextBytes() throws Exception {
        DecryptedMessage echo = crypto.verifyUrl(SetA.GET_MSG_SIGNATURE, SetA.GET_TIMESTAMP, SetA.GET_NONCE,
                SetA.GET_ECHOSTR);
        assertArrayEquals(SetA.GET_PLAINTEXT.getBytes(US_ASCII), echo.plaintext());
        assertEquals(SetA.CORP_ID, echo.receiveId());
        assertFalse(echo.plusSignsRestored());
    }

    @Test
    void decrypt_setA_post_givesThe284OfficialBytes() throws Exception {
        EncryptedEnvelope envelope = MessageCodec.parseEnvelope(SetA.POST_BODY.getBytes(UTF_8));
        assertEquals(SetA.POST_ENCRYPT, envelope.encrypt());
        assertEquals("218", envelope.agentId());
        assertEquals(SetA.CORP_ID, envelope.toUserName());
        DecryptedMessage message = crypto.decrypt(SetA.POST_MSG_SIGNATURE, SetA.POST_TIMESTAMP, SetA.POST_NONCE,
                envelope.encrypt());
        assertEquals(284, message.plaintextLength());
        assertArrayEquals(SetA.POST_PLAINTEXT.getBytes(UTF_8), message.plaintext());
    }

    @Test
    void sign_setA_reproducesBothOfficialSignatures() throws Exception {
        assertEquals(SetA.GET_MSG_SIGNATURE, crypto.sign(SetA.GET_TIMESTAMP, SetA.GET_NONCE, SetA.GET_ECHOSTR));
        assertEquals(SetA.POST_MSG_SIGNATURE, crypto.sign(SetA.POST_TIMESTAMP, SetA.POST_NONCE, SetA.POST_ENCRYPT));
    }

    @Test
    void reEncrypt_setA_withRecoveredRandom_reproducesTheOfficialCiphertexts() throws Exception {
        EncodingAesKey key = EncodingAesKey.of(SetA.ENCODING_AES_KEY);
        for (String[] vector : new String[][] {
                {SetA.GET_ECHOSTR, SetA.GET_RANDOM, SetA.GET_PLAINTEXT},
                {SetA.POST_ENCRYPT, SetA.POST_RANDOM, SetA.POST_PLAINTEXT}}) {
            PayloadCipher.Payload payload = PayloadCipher.decrypt(key, vector[0]);
            assertEquals(vector[1], new String(payload.random(), US_ASCII));
            assertEquals(vector[2], new String(payload.message(), UTF_8));
            assertEquals(SetA.CORP_ID, payload.receiveIdText());
            assertEquals(vector[0], PayloadCipher.encrypt(key, payload.random(), payload.message(),
                    payload.receiveId()));
        }
    }

    @Test
    void encrypt_wxJavaKnownAnswer_isByteExact() throws Exception {
        String ciphertext = PayloadCipher.encrypt(EncodingAesKey.of(SetA.KAT_KEY), SetA.KAT_RANDOM.getBytes(US_ASCII),
                SetA.KAT_PLAINTEXT.getBytes(UTF_8), SetA.KAT_RECEIVE_ID.getBytes(UTF_8));
        assertEquals(SetA.KAT_CIPHERTEXT, ciphertext);
    }

    @Test
    void officialPadding_isThirtyTwoByteBlocks() throws Exception {
        // Set A GET pads with 7 bytes and POST with 30: both impossible with 16-byte PKCS#5.
        // Decrypted by the JDK alone, without our unpadding: the last byte is the pad, and it covers the rest.
        assertEquals(7, lastByteOfRawDecryption(SetA.GET_ECHOSTR));
        assertEquals(16 + 4 + 19 + 18 + 7, Base64.getDecoder().decode(SetA.GET_ECHOSTR).length);
        assertEquals(30, lastByteOfRawDecryption(SetA.POST_ENCRYPT));
        assertEquals(16 + 4 + 284 + 18 + 30, Base64.getDecoder().decode(SetA.POST_ENCRYPT).length);
    }

    private static int lastByteOfRawDecryption(String ciphertext) throws Exception {
        byte[] key = Base64.getDecoder().decode(SetA.ENCODING_AES_KEY + "=");
        javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(javax.crypto.Cipher.DECRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.IvParameterSpec(key, 0, 16));
        byte[] plain = aes.doFinal(Base64.getDecoder().decode(ciphertext));
        return plain[plain.length - 1];
    }

    @Test
    void setAKey_carriesNonZeroTrailingBits_andIsAccepted() throws Exception {
        // 43 characters hold 258 bits: the last character's two low bits fall outside the 32-byte key.
        char last = SetA.ENCODING_AES_KEY.charAt(42);
        int sextet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".indexOf(last);
        assertNotEquals(0, sextet & 0b11, "the vector must exercise non-zero trailing bits");
        EncodingAesKey key = EncodingAesKey.of(SetA.ENCODING_AES_KEY);
        assertEquals("EncodingAesKey[redacted]", key.toString());
    }

    @Test
    void encrypt_thenDecrypt_roundTripsWithFreshRandomEachTime() throws Exception {
        byte[] plaintext = "<xml><Content><![CDATA[你好 😀 <&>]]></Content></xml>".getBytes(UTF_8);
        EncryptedReply first = crypto.encrypt(plaintext, "12345");
        EncryptedReply second = crypto.encrypt(plaintext, "12345");
        assertNotEquals(first.encrypt(), second.encrypt());
        DecryptedMessage back = crypto.decrypt(first.msgSignature(), Long.toString(first.timeStamp()), first.nonce(),
                first.encrypt());
        assertArrayEquals(plaintext, back.plaintext());
    }
}
