package io.github.wecomcallback.gateway;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.servlet.WeComCallbackFilter;
import io.github.wecomcallback.testing.EmbeddedTomcat;
import io.github.wecomcallback.testing.Platform;
import io.github.wecomcallback.testing.RawHttp;
import io.github.wecomcallback.testing.SetA;

/** The gateway without a backend, its configuration, and the signature format. */
class ForwardServletConfigTest {
    @Test
    void withoutForwardUrl_theExampleGetsTheDemo_andAnyOtherApplicationAnEmpty200() throws Exception {
        Map<String, String> other = Map.of("token", "OtherToken", "encodingAesKey", SetA.KAT_KEY, "corpId", "ww_real");
        try (EmbeddedTomcat tomcat = new EmbeddedTomcat()
                .filter("example", new WeComCallbackFilter(), SetA.initParams(), "/example")
                .servlet("example", new ForwardServlet(), "/example")
                .filter("real", new WeComCallbackFilter(), other, "/real")
                .servlet("real", new ForwardServlet(), "/real")
                .start()) {
            Platform example = new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);
            String text = "<xml><ToUserName><![CDATA[" + SetA.CORP_ID + "]]></ToUserName><FromUserName><![CDATA[u]]>"
                    + "</FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]>"
                    + "</Content><MsgId>" + System.nanoTime() + "</MsgId></xml>";
            assertTrue(example.decryptXmlReply(post(tomcat, "/example", example.post(text)).bodyText()).contains("echo: hi"));
            Platform real = new Platform("OtherToken", SetA.KAT_KEY, "ww_real");
            RawHttp.Response dropped = post(tomcat, "/real", real.post(text.replace(SetA.CORP_ID, "ww_real")));
            assertEquals(200, dropped.status());
            assertEquals(0, dropped.body().length);
        }
    }

    @Test
    void aForwardUrlWithoutASecret_orABadOne_stopsTheServletAtInit() throws Exception {
        for (Map<String, String> params : java.util.List.of(Map.of("forwardUrl", "http://127.0.0.1:9/hook"),
                Map.of("forwardUrl", "http://127.0.0.1:9/hook", "forwardSecret", "not-whsec"),
                Map.of("forwardUrl", "ftp://host/x", "forwardSecret", "whsec_" + "A".repeat(44)),
                Map.of("forwardUrl", "http://127.0.0.1:9/hook", "forwardSecret", "whsec_" + "A".repeat(44),
                        "forwardTimeoutMillis", "6000"))) {
            ForwardServlet servlet = new ForwardServlet();
            jakarta.servlet.ServletException e = assertThrows(jakarta.servlet.ServletException.class,
                    () -> servlet.init(config(params)));
            assertTrue(e.getMessage().startsWith("ForwardServlet: init-param "), e.getMessage());
        }
        jakarta.servlet.ServletException missing = assertThrows(jakarta.servlet.ServletException.class,
                () -> new ForwardServlet().init(config(Map.of("forwardUrl", "http://127.0.0.1:9/hook"))));
        assertTrue(missing.getMessage().startsWith("ForwardServlet: init-param forwardSecret (in the stock WAR:"
                + " WECOM_FORWARD_SECRET) is invalid: it is required with a forwardUrl"), missing.getMessage());
    }

    @Test
    void signature_isTheStandardWebhooksV1HmacOfIdTimestampBody() throws Exception {
        byte[] key = new byte[32];
        key[0] = 7;
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        String signature = new StandardWebhookSigner(secret).sign("msg_1", 1700000000, "<xml/>".getBytes(UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        assertEquals("v1," + Base64.getEncoder().encodeToString(mac.doFinal("msg_1.1700000000.<xml/>".getBytes(UTF_8))),
                signature);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StandardWebhookSigner("whsec_" + Base64.getEncoder().encodeToString(new byte[8])));
        assertFalse(e.getMessage().contains("AAAA"));
    }

    private static RawHttp.Response post(EmbeddedTomcat tomcat, String path, Platform.Callback callback) throws Exception {
        return RawHttp.post(tomcat.port(), path, callback);
    }

    private static jakarta.servlet.ServletConfig config(Map<String, String> params) {
        jakarta.servlet.ServletContext context = (jakarta.servlet.ServletContext) java.lang.reflect.Proxy.newProxyInstance(
                ForwardServletConfigTest.class.getClassLoader(), new Class<?>[] {jakarta.servlet.ServletContext.class},
                (proxy, method, args) -> method.getName().equals("log") ? null : null);
        return new jakarta.servlet.ServletConfig() {
            @Override
            public String getServletName() {
                return "gateway";
            }

            @Override
            public jakarta.servlet.ServletContext getServletContext() {
                return context;
            }

            @Override
            public String getInitParameter(String name) {
                return params.get(name);
            }

            @Override
            public java.util.Enumeration<String> getInitParameterNames() {
                return java.util.Collections.enumeration(params.keySet());
            }
        };
    }
}
