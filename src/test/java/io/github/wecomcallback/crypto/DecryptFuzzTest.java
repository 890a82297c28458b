package io.github.wecomcallback.crypto;

import java.time.Duration;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.github.wecomcallback.testing.SetA;

/**
 * Fuzz targets for verification and decryption: the only failure is a {@link WeComCryptoException}. The
 * signed targets sign the fuzzed ciphertext with the known token, so that the fuzzer gets past the signature
 * into Base64, AES, unpadding, the length field, the receive id and the echostr shape.
 */
class DecryptFuzzTest {
    private static final WeComCrypto CRYPTO = crypto();

    private static WeComCrypto crypto() {
        try {
            return WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID)
                    .timestampTolerance(Duration.ZERO).build();
        } catch (WeComCryptoException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void unsignedParameters(FuzzedDataProvider data) {
        try {
            CRYPTO.decrypt(data.consumeString(64), data.consumeString(16), data.consumeString(80),
                    data.consumeRemainingAsString());
        } catch (WeComCryptoException expected) {
            // refused
        }
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void signedCiphertext(FuzzedDataProvider data) throws WeComCryptoException {
        boolean urlCheck = data.consumeBoolean();
        String ciphertext = data.consumeRemainingAsAsciiString();
        String signature = CRYPTO.sign("1409659813", "1", ciphertext);
        try {
            DecryptedMessage message = urlCheck ? CRYPTO.verifyUrl(signature, "1409659813", "1", ciphertext)
                    : CRYPTO.decrypt(signature, "1409659813", "1", ciphertext);
            if (!message.receiveId().equals(SetA.CORP_ID)) {
                throw new AssertionError("accepted for another receive id");
            }
        } catch (WeComCryptoException expected) {
            // refused
        }
    }

    @FuzzTest(maxExecutions = 1_000_000)
    void encryptThenDecrypt(byte[] plaintext) throws WeComCryptoException {
        EncryptedReply reply = CRYPTO.encrypt(plaintext);
        DecryptedMessage back = CRYPTO.decrypt(reply.msgSignature(), Long.toString(reply.timeStamp()), reply.nonce(),
                reply.encrypt());
        if (!java.util.Arrays.equals(plaintext, back.plaintext())) {
            throw new AssertionError("round trip changed the plaintext");
        }
    }
}
