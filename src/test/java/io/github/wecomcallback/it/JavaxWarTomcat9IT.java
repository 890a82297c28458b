package io.github.wecomcallback.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.NodeBackend;
import io.github.wecomcallback.testing.Platform;
import io.github.wecomcallback.testing.RawHttp;
import io.github.wecomcallback.testing.SetA;

/**
 * The javax WAR ({@code wecom-callback-javax.war}) deployed as-is in a real Tomcat 9 distribution (Servlet 4),
 * started by Cargo as a gateway (WECOM_FORWARD_URL) in front of the Node backend this test starts on the
 * reserved port: URL verification byte-exact, forwarded callbacks verified by the backend's Standard Webhooks
 * library, its answers relayed encrypted, its failures answered bare.
 */
class JavaxWarTomcat9IT {
    private static NodeBackend backend;
    private final Platform wecom = new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);

    @BeforeAll
    static void startBackend() throws Exception {
        backend = new NodeBackend(property("it.forward.secret"), Integer.parseInt(property("it.tomcat9.backend.port")));
    }

    @AfterAll
    static void stopBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set: run the integration tests with mvn verify");
        }
        return value;
    }

    private static int port() {
        return Integer.parseInt(property("it.tomcat9.http.port"));
    }

    @Test
    void urlCheck_officialVector_exactBytes() throws Exception {
        DemoWarContract.assertOfficialUrlCheckAnswered(port());
    }

    @Test
    void aCallback_isForwardedVerified_andTheBackendsAnswerGoesBackEncrypted() throws Exception {
        backend.received().clear();
        String plaintext = Platform.textMessage(SetA.CORP_ID, "你好 tomcat9");
        RawHttp.Response r = RawHttp.post(port(), "/callback", wecom.post(plaintext));
        assertEquals(200, r.status(), r.rawText());
        assertEquals("<xml><Content><![CDATA[node got: 你好 tomcat9]]></Content></xml>",
                wecom.decryptXmlReply(r.bodyText()));
        backend.awaitReceived(1);
        String line = backend.received().get(0);
        assertEquals("true", NodeBackend.field(line, "verified"), line);
        assertEquals(plaintext, NodeBackend.field(line, "body"));
        assertEquals(SetA.CORP_ID, NodeBackend.field(line, "receiveId"));
    }

    @Test
    void aFailingBackend_isABare502_withoutItsErrorText() throws Exception {
        String plaintext = Platform.textMessage(SetA.CORP_ID, "fail-once");
        RawHttp.Response r = RawHttp.post(port(), "/callback", wecom.post(plaintext));
        assertEquals(502, r.status());
        assertEquals(0, r.body().length);
        assertFalse(r.rawText().contains("SECRET-BACKEND-ERROR"), r.rawText());
        RawHttp.Response retry = RawHttp.post(port(), "/callback", wecom.post(plaintext));
        assertTrue(wecom.decryptXmlReply(retry.bodyText()).contains("node got: fail-once"));
    }

    @Test
    void aForgedCallback_isRefused_andNeverForwarded() throws Exception {
        backend.received().clear();
        Platform impostor = new Platform("wrongToken", SetA.ENCODING_AES_KEY, SetA.CORP_ID);
        RawHttp.Response r = RawHttp.post(port(), "/callback", impostor.post("<xml><Content>x</Content></xml>"));
        assertEquals(403, r.status());
        assertEquals("-40001", r.bodyText());
        Thread.sleep(200);
        assertTrue(backend.received().isEmpty(), backend.received().toString());
    }
}
