package io.github.wecomcallback.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.message.EncryptedEnvelope;
import io.github.wecomcallback.message.MessageCodec;
import io.github.wecomcallback.testing.RandomText;
import io.github.wecomcallback.testing.SetA;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;

/** WxJava, an independent implementation of the protocol, and ours must agree in both directions. */
class WxJavaInteropTest {
    private static final int MESSAGES = 1000;
    private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Random random = new Random(20261128L);

    @Test
    void wxJavaEncrypts_weVerifyAndDecrypt_1000RandomMessages() throws Exception {
        for (int i = 0; i < MESSAGES; i++) {
            Credentials c = Credentials.random(random);
            WxCryptUtil peer = new WxCryptUtil(c.token, c.key, c.corpId);
            String plaintext = RandomText.ofUtf8Size(random, RandomText.size(random));

            String envelopeXml = peer.encrypt(plaintext);
            EncryptedEnvelope envelope = MessageCodec.parseEnvelope(envelopeXml.getBytes(UTF_8));
            String signature = element(envelopeXml, "MsgSignature");
            String timestamp = element(envelopeXml, "TimeStamp");
            String nonce = element(envelopeXml, "Nonce");

            DecryptedMessage ours = c.crypto().decrypt(signature, timestamp, nonce, envelope.encrypt());
            assertArrayEquals(plaintext.getBytes(UTF_8), ours.plaintext(), "message " + i);
        }
    }

    @Test
    void weEncrypt_wxJavaVerifiesAndDecrypts_1000RandomMessages() throws Exception {
        for (int i = 0; i < MESSAGES; i++) {
            Credentials c = Credentials.random(random);
            WxCryptUtil peer = new WxCryptUtil(c.token, c.key, c.corpId);
            String plaintext = RandomText.ofUtf8Size(random, RandomText.size(random));

            EncryptedReply reply = c.crypto().encrypt(plaintext.getBytes(UTF_8));
            String decrypted = peer.decryptContent(reply.msgSignature(), Long.toString(reply.timeStamp()),
                    reply.nonce(), reply.encrypt());
            assertEquals(plaintext, decrypted, "message " + i);
        }
    }

    @Test
    void setA_wxJavaAndWeAgreeOnTheOfficialVector() throws Exception {
        WxCryptUtil peer = new WxCryptUtil(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);
        assertEquals(SetA.POST_PLAINTEXT, peer.decryptContent(SetA.POST_MSG_SIGNATURE, SetA.POST_TIMESTAMP,
                SetA.POST_NONCE, SetA.POST_ENCRYPT));
        assertEquals(SetA.GET_ECHOSTR, peer.encrypt(SetA.GET_RANDOM, SetA.GET_PLAINTEXT));
    }

    private static String element(String xml, String name) {
        int start = xml.indexOf("<" + name + ">") + name.length() + 2;
        String value = xml.substring(start, xml.indexOf("</" + name + ">"));
        return value.startsWith("<![CDATA[") ? value.substring(9, value.length() - 3) : value;
    }

    private record Credentials(String token, String key, String corpId) {
        static Credentials random(Random random) {
            return new Credentials(randomString(random, 1 + random.nextInt(32)), randomString(random, 43),
                    "ww" + randomString(random, 16).toLowerCase());
        }

        WeComCrypto crypto() throws WeComCryptoException {
            return WeComCrypto.builder(token, key, corpId).build();
        }

        private static String randomString(Random random, int length) {
            StringBuilder out = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                out.append(KEY_ALPHABET.charAt(random.nextInt(KEY_ALPHABET.length())));
            }
            return out.toString();
        }
    }
}
