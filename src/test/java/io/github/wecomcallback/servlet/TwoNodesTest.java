package io.github.wecomcallback.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.Map;


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

    @Test
    void twoApplicationsWithTheirOwnCredentials_shareOneRedis_andTheSameEventRunsInEach() throws Exception {
        RecordingServlet app1 = new RecordingServlet();
        RecordingServlet app2 = new RecordingServlet();
        String token2 = "SecondAppToken";
        String key2 = SetA.KAT_KEY;
        try (RedisServer redis = RedisServer.start();
                EmbeddedTomcat tomcat = new EmbeddedTomcat()
                        .filter("app1", new WeComCallbackFilter(), SetA.initParams("redisUrl", redis.url()), "/app1")
                        .servlet("app1", app1, "/app1")
                        .filter("app2", new WeComCallbackFilter(), Map.of("token", token2, "encodingAesKey", key2,
                                "corpId", SetA.CORP_ID, "redisUrl", redis.url()), "/app2")
                        .servlet("app2", app2, "/app2")
                        .start()) {
            String event = "<xml><ToUserName><![CDATA[" + SetA.CORP_ID + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
                    + "</FromUserName><CreateTime>1700000001</CreateTime><MsgType><![CDATA[event]]></MsgType><Event>"
                    + "<![CDATA[change_contact]]></Event><ChangeType><![CDATA[update_user]]></ChangeType><UserID>u-"
                    + System.nanoTime() + "</UserID></xml>";
            assertEquals(200, post(tomcat, "/app1", new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID)
                    .post(event)).status());
            assertEquals(200, post(tomcat, "/app2", new Platform(token2, key2, SetA.CORP_ID).post(event)).status());
            assertEquals(200, post(tomcat, "/app2", new Platform(token2, key2, SetA.CORP_ID).post(event)).status());
            assertEquals(1, app1.invocations.get());
            assertEquals(1, app2.invocations.get(), "app 2 ran its copy once, and its retry not again");
        }
    }

    @Test
    void unreachableRedis_refusedOrSilent_everyCallbackAnsweredWellInsideOneSecond_andRetriesStillRecognised()
            throws Exception {
        int refusedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            refusedPort = socket.getLocalPort();
        }
        RecordingServlet app = new RecordingServlet();
        app.behaviour = (request, response) -> response.getWriter().write("<xml><Content>ok</Content></xml>");
        try (ServerSocket silent = new ServerSocket(0, 1);
                EmbeddedTomcat tomcat = new EmbeddedTomcat()
                        .filter("refused", new WeComCallbackFilter(),
                                SetA.initParams("redisUrl", "redis://127.0.0.1:" + refusedPort), "/refused")
                        .servlet("a", app, "/refused")
                        .filter("silent", new WeComCallbackFilter(),
                                SetA.initParams("redisUrl", "redis://127.0.0.1:" + silent.getLocalPort()), "/silent")
                        .servlet("b", app, "/silent")
                        .start()) {
            Platform wecom = new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);
            for (String path : new String[] {"/refused", "/silent"}) {
                for (int i = 0; i < 10; i++) {
                    String message = FilterOverHttpTest.uniqueMessage();
                    for (int copy = 0; copy < 2; copy++) {
                        long start = System.nanoTime();
                        RawHttp.Response r = post(tomcat, path, wecom.post(message));
                        long millis = (System.nanoTime() - start) / 1_000_000;
                        assertEquals("<xml><Content>ok</Content></xml>", wecom.decryptXmlReply(r.bodyText()));
                        assertTrue(millis < 1000, path + " answered after " + millis + " ms");
                    }
                }
            }
            assertEquals(20, app.invocations.get(), "20 messages, each with a retry: 20 runs");
        }
    }

    private static RawHttp.Response post(EmbeddedTomcat tomcat, String path, Platform.Callback callback)
            throws Exception {
        return RawHttp.post(tomcat.port(), path, callback);
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
