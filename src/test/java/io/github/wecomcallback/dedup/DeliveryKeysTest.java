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
        assertEquals(64, a.of(EVENT).length());
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
