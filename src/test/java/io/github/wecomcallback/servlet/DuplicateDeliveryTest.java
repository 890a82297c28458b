package io.github.wecomcallback.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.EmbeddedTomcat;
import io.github.wecomcallback.testing.Platform;
import io.github.wecomcallback.testing.RawHttp;
import io.github.wecomcallback.testing.SetA;

/** WeCom's retries are answered like the first delivery and never run the application twice. */
class DuplicateDeliveryTest {
    private static final RecordingServlet app = new RecordingServlet();
    private static EmbeddedTomcat tomcat;
    private final Platform wecom = new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);

    @BeforeAll
    static void start() throws Exception {
        tomcat = new EmbeddedTomcat()
                .filter("app", new WeComCallbackFilter(), SetA.initParams(), "/callback")
                .filter("impatient", new WeComCallbackFilter(), SetA.initParams("retryWaitMillis", "300"), "/impatient")
                .servlet("app", app, "/callback")
                .servlet("app2", app, "/impatient")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
    }

    @BeforeEach
    void reset() {
        app.invocations.set(0);
        app.behaviour = (request, response) -> response.getWriter().write(
                "<xml><Content>reply " + System.nanoTime() + "</Content></xml>");
    }

    @Test
    void exactRetry_getsTheSameReply_andTheApplicationRunsOnce() throws Exception {
        Platform.Callback delivery = wecom.post(FilterOverHttpTest.uniqueMessage());
        String first = wecom.decryptXmlReply(post(delivery).bodyText());
        String second = wecom.decryptXmlReply(post(delivery).bodyText());
        assertEquals(first, second);
        assertEquals(1, app.invocations.get());
    }

    @Test
    void theDeliveryId_isTheSameForEveryCopyOfAMessage_andDiffersBetweenMessages() throws Exception {
        List<Boolean> listed = new CopyOnWriteArrayList<>();
        List<Object> ids = new CopyOnWriteArrayList<>();
        app.behaviour = (request, response) -> {
            listed.add(Collections.list(request.getAttributeNames()).contains(WeComCallbackFilter.ATTRIBUTE_DELIVERY_ID));
            ids.add(request.getAttribute(WeComCallbackFilter.ATTRIBUTE_DELIVERY_ID));
            response.setStatus(503); // a failed run: WeCom's retry runs the application again
        };
        String message = FilterOverHttpTest.uniqueMessage();
        assertEquals(503, post(wecom.post(message)).status());
        assertEquals(503, post(wecom.post(message)).status()); // re-encrypted: new nonce, new ciphertext
        assertEquals(503, post(wecom.post(FilterOverHttpTest.uniqueMessage())).status());
        assertEquals(List.of(true, true, true), listed);
        assertTrue(ids.get(0) instanceof String id && id.matches("[0-9a-f]{64}"), "64 hex digits: " + ids.get(0));
        assertEquals(ids.get(0), ids.get(1));
        assertNotEquals(ids.get(0), ids.get(2));
    }

    @Test
    void retryReEncryptedWithNewTimestampAndNonce_isRecognisedByContent() throws Exception {
        String message = FilterOverHttpTest.uniqueMessage();
        String first = wecom.decryptXmlReply(post(wecom.post(message)).bodyText());
        // Encrypted again: a new nonce and new random bytes, so a different ciphertext and signature.
        String retry = wecom.decryptXmlReply(post(wecom.post(message)).bodyText());
        assertEquals(first, retry);
        assertEquals(1, app.invocations.get());
    }

    @Test
    void retryWhileTheFirstIsStillRunning_waitsAndGetsTheFirstRunsReply() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        app.behaviour = (request, response) -> {
            running.countDown();
            sleep(800);
            response.getWriter().write("<xml><Content>slow</Content></xml>");
        };
        Platform.Callback delivery = wecom.post(FilterOverHttpTest.uniqueMessage());
        CompletableFuture<RawHttp.Response> first = async(() -> post("/callback", delivery));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        RawHttp.Response retry = post("/callback", wecom.post(decryptedOf(delivery)));
        assertEquals(200, retry.status());
        assertEquals("<xml><Content>slow</Content></xml>", wecom.decryptXmlReply(retry.bodyText()));
        assertEquals("<xml><Content>slow</Content></xml>", wecom.decryptXmlReply(first.get(10, TimeUnit.SECONDS).bodyText()));
        assertEquals(1, app.invocations.get());
    }

    @Test
    void retryDuringARunLongerThanTheWait_getsA503SoThatWeComTriesAgain_andTheRunIsNotRepeated() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        app.behaviour = (request, response) -> {
            running.countDown();
            await(release);
            response.getWriter().write("<xml><Content>late</Content></xml>");
        };
        Platform.Callback delivery = wecom.post(FilterOverHttpTest.uniqueMessage());
        CompletableFuture<RawHttp.Response> first = async(() -> post("/impatient", delivery));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        RawHttp.Response retry = post("/impatient", delivery);
        assertEquals(503, retry.status());
        assertEquals(0, retry.body().length);
        release.countDown();
        assertEquals("<xml><Content>late</Content></xml>", wecom.decryptXmlReply(first.get(10, TimeUnit.SECONDS).bodyText()));
        RawHttp.Response later = post("/impatient", delivery);
        assertEquals("<xml><Content>late</Content></xml>", wecom.decryptXmlReply(later.bodyText()));
        assertEquals(1, app.invocations.get());
    }

    @Test
    void retryDuringARunThatFails_runsTheApplicationItself() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        app.behaviour = (request, response) -> {
            if (app.invocations.get() == 1) {
                running.countDown();
                sleep(500);
                response.sendError(503);
            } else {
                response.getWriter().write("<xml><Content>second try</Content></xml>");
            }
        };
        Platform.Callback delivery = wecom.post(FilterOverHttpTest.uniqueMessage());
        CompletableFuture<RawHttp.Response> first = async(() -> post("/callback", delivery));
        assertTrue(running.await(10, TimeUnit.SECONDS));
        RawHttp.Response retry = post("/callback", delivery);
        assertEquals("<xml><Content>second try</Content></xml>", wecom.decryptXmlReply(retry.bodyText()));
        assertEquals(503, first.get(10, TimeUnit.SECONDS).status());
        assertEquals(2, app.invocations.get());
    }

    @Test
    void afterAFailedFirstDelivery_theRetryRunsTheApplicationAgain() throws Exception {
        app.behaviour = (request, response) -> response.sendError(500);
        Platform.Callback delivery = wecom.post(FilterOverHttpTest.uniqueMessage());
        assertEquals(500, post(delivery).status());
        app.behaviour = (request, response) -> response.getWriter().write("<xml><Content>ok</Content></xml>");
        assertEquals("<xml><Content>ok</Content></xml>", wecom.decryptXmlReply(post(delivery).bodyText()));
        assertEquals(2, app.invocations.get());
    }

    @Test
    void distinctEventsOfOneUserInOneSecond_areNotMistakenForRetries() throws Exception {
        String head = "<xml><ToUserName><![CDATA[" + SetA.CORP_ID + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
                + "</FromUserName><CreateTime>1700000001</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                + "<Event><![CDATA[change_contact]]></Event><ChangeType><![CDATA[update_user]]></ChangeType><UserID>";
        post(wecom.post(head + "zhangsan-" + System.nanoTime() + "</UserID></xml>"));
        post(wecom.post(head + "lisi-" + System.nanoTime() + "</UserID></xml>"));
        assertEquals(2, app.invocations.get());
    }

    private static RawHttp.Response post(Platform.Callback callback) throws Exception {
        return post("/callback", callback);
    }

    private static RawHttp.Response post(String path, Platform.Callback callback) throws Exception {
        return RawHttp.post(tomcat.port(), path, callback);
    }

    /** The plaintext of a callback, to encrypt it again as WeCom's retry may. */
    private String decryptedOf(Platform.Callback callback) {
        java.util.Map<String, String> q = io.github.wecomcallback.testing.Queries.parse(callback.query());
        return wecom.decryptReply(q.get("msg_signature"), q.get("timestamp"), q.get("nonce"),
                Platform.field(callback.body(), "Encrypt"));
    }

    private static CompletableFuture<RawHttp.Response> async(java.util.concurrent.Callable<RawHttp.Response> call) {
        return RawHttp.async(call);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
