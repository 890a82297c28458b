package io.github.wecomcallback.dedup;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.SetA;

class DeliveryKeysTest {
    private static final byte[] EVENT = ("<xml><ToUserName><![CDATA[" + SetA.CORP_ID + "]]></ToUserName>"
            + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_contact]]></Event></xml>").getBytes(UTF_8);

    @Test
    void sameApplication_sameMessage_sameKey() {
        DeliveryKeys a = new DeliveryKeys(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);
        DeliveryKeys again = new DeliveryKeys(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);
        assertEquals(a.of(EVENT), again.of(EVENT));
        assertEquals(64, a.of(EVENT).hex().length());
    }

    @Test
    void theId_isTheHmacOfThePlaintext_underTheApplicationsKey() throws Exception {
        // Pinned: Redis keys are these hex digits, and nodes of two versions must agree during a rolling upgrade.
        byte[] applicationKey = java.security.MessageDigest.getInstance("SHA-256").digest(("wecom-callback delivery\0"
                + SetA.TOKEN + "\0" + SetA.ENCODING_AES_KEY + "\0" + SetA.CORP_ID).getBytes(UTF_8));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(applicationKey, "HmacSHA256"));
        String expected = java.util.HexFormat.of().formatHex(mac.doFinal(EVENT));
        DeliveryId id = new DeliveryKeys(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID).of(EVENT);
        assertEquals(expected, id.hex());
        assertEquals(id, DeliveryId.parse(expected));
        assertEquals(id.hashCode(), DeliveryId.parse(expected).hashCode());
    }

    @Test
    void aDecryptedMessage_namesTheSameDeliveryAsItsPlaintext() throws Exception {
        // The filter names a delivery from the decrypted bytes where they lie, not from a copy of the plaintext.
        DeliveryKeys keys = new DeliveryKeys(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);
        io.github.wecomcallback.crypto.WeComCrypto crypto = io.github.wecomcallback.crypto.WeComCrypto
                .builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID).build();
        for (byte[] plaintext : new byte[][] {EVENT, new byte[0], "x".repeat(5_000).getBytes(UTF_8)}) {
            io.github.wecomcallback.crypto.EncryptedReply sealed = crypto.encrypt(plaintext, "1");
            io.github.wecomcallback.crypto.DecryptedMessage message = crypto.decrypt(sealed.msgSignature(),
                    Long.toString(sealed.timeStamp()), "1", sealed.encrypt());
            assertEquals(keys.of(plaintext), keys.of(message), plaintext.length + " bytes");
        }
        io.github.wecomcallback.crypto.EncryptedReply other = crypto.encrypt(
                java.util.Arrays.copyOf(EVENT, EVENT.length - 1), "1");
        assertNotEquals(keys.of(EVENT), keys.of(crypto.decrypt(other.msgSignature(),
                Long.toString(other.timeStamp()), "1", other.encrypt())));
    }

    @Test
    void ids_differingInAnyWord_differ() {
        byte[] bytes = new byte[DeliveryId.LENGTH];
        DeliveryId zero = DeliveryId.of(bytes);
        for (int word = 0; word < 4; word++) {
            byte[] changed = bytes.clone();
            changed[word * 8 + 7] = 1;
            assertNotEquals(zero, DeliveryId.of(changed), "word " + word);
            assertEquals("0".repeat(word * 16 + 15) + "1" + "0".repeat(48 - word * 16), DeliveryId.of(changed).hex());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DeliveryId.of(new byte[31]));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DeliveryId.parse("abc"));
    }

    @Test
    void twoApplicationsOfOneCorp_sameEvent_differentKeys() {
        DeliveryKeys app1 = new DeliveryKeys(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);
        DeliveryKeys app2 = new DeliveryKeys("OtherToken", SetA.KAT_KEY, SetA.CORP_ID);
        DeliveryKeys sameTokenOtherKey = new DeliveryKeys(SetA.TOKEN, SetA.KAT_KEY, SetA.CORP_ID);
        assertNotEquals(app1.of(EVENT), app2.of(EVENT));
        assertNotEquals(app1.of(EVENT), sameTokenOtherKey.of(EVENT));
    }

    @Test
    void distinctMessages_distinctKeys() {
        DeliveryKeys keys = new DeliveryKeys(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);
        assertNotEquals(keys.of("<xml>1</xml>".getBytes(UTF_8)), keys.of("<xml>2</xml>".getBytes(UTF_8)));
    }
}
