package io.github.wecomcallback.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;


import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.EmbeddedTomcat;
import io.github.wecomcallback.testing.Platform;
import io.github.wecomcallback.testing.RawHttp;
import io.github.wecomcallback.testing.RedisServer;
import io.github.wecomcallback.testing.SetA;

/** Two Tomcats behind one callback URL share a real Redis: a retry that lands on the other node does not run twice. */
class TwoNodesTest {
    @Test
    void retryOnTheOtherNode_getsTheSameReply_andTheApplicationRunsOnce() throws Exception {
        RecordingServlet appA = new RecordingServlet();
        RecordingServlet appB = new RecordingServlet();
        appA.behaviour = (request, response) -> response.getWriter().write("<xml><Content>from A</Content></xml>");
        appB.behaviour = (request, response) -> response.getWriter().write("<xml><Content>from B</Content></xml>");
        try (RedisServer redis = RedisServer.start();
                EmbeddedTomcat nodeA = node(redis, appA);
                EmbeddedTomcat nodeB = node(redis, appB)) {
            Platform wecom = new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);
            String message = FilterOverHttpTest.uniqueMessage();
            Platform.Callback first = wecom.post(message);
            Platform.Callback retry = wecom.post(message); // re-encrypted, new nonce
            assertEquals("<xml><Content>from A</Content></xml>", wecom.decryptXmlReply(post(nodeA, first).bodyText()));
            assertEquals("<xml><Content>from A</Content></xml>", wecom.decryptXmlReply(post(nodeB, retry).bodyText()));
            assertEquals(1, appA.invocations.get());
            assertEquals(0, appB.invocations.get());
        }
    }

    private static EmbeddedTomcat node(RedisServer redis, RecordingServlet app) throws Exception {
        return new EmbeddedTomcat()
                .filter("wecom", new WeComCallbackFilter(), SetA.initParams("redisUrl", redis.url()), "/callback")
                .servlet("app", app, "/callback")
                .start();
    }

    private static RawHttp.Response post(EmbeddedTomcat node, Platform.Callback callback) throws Exception {
        byte[] body = callback.body().getBytes(UTF_8);
        return RawHttp.request(node.port(), "POST", "/callback?" + callback.query(),
                "Content-Type: text/xml\r\nContent-Length: " + body.length + "\r\n", body);
    }
}
