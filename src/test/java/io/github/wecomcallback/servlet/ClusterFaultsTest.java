package io.github.wecomcallback.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.NodeProcess;
import io.github.wecomcallback.testing.Platform;
import io.github.wecomcallback.testing.RawHttp;
import io.github.wecomcallback.testing.RedisServer;
import io.github.wecomcallback.testing.SetA;
import redis.clients.jedis.JedisPooled;

/**
 * Two nodes in JVMs of their own share a real redis-server, with WeCom's retries landing on either: a node
 * killed hard mid-run, Redis killed and restarted mid-flow, slow applications that finish, fail or outlast the
 * retries. The application counts its runs in a second Redis that is never disturbed.
 */
class ClusterFaultsTest {
    private static final AtomicLong MSG_ID = new AtomicLong(System.currentTimeMillis() * 1000);
    private static RedisServer counterRedis;
    private static JedisPooled counter;
    private final Platform wecom = new Platform(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID);

    @BeforeAll
    static void start() throws Exception {
        counterRedis = RedisServer.start();
        counter = new JedisPooled(java.net.URI.create(counterRedis.url()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (counter != null) {
            counter.close();
        }
        if (counterRedis != null) {
            counterRedis.close();
        }
    }

    private static NodeProcess node(String name, RedisServer guardRedis) throws Exception {
        return NodeProcess.start(name, counterRedis.url(), "token", SetA.TOKEN, "encodingAesKey",
                SetA.ENCODING_AES_KEY, "corpId", SetA.CORP_ID, "redisUrl", guardRedis.url());
    }

    private static String message(long msgId, String content) {
        return "<xml><ToUserName><![CDATA[" + SetA.CORP_ID + "]]></ToUserName><FromUserName><![CDATA[zhangsan]]>"
                + "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>"
                + "<![CDATA[" + content + "]]></Content><MsgId>" + msgId + "</MsgId><AgentID>1000002</AgentID></xml>";
    }

    private static long runs(long msgId) {
        String value = counter.get("runs:" + msgId);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** WeCom's delivery or retry: the same plaintext, encrypted afresh (new nonce, random, maybe timestamp). */
    private RawHttp.Response deliver(NodeProcess node, String plaintext) throws Exception {
        return RawHttp.post(node.port(), "/callback", wecom.post(plaintext));
    }

    private String reply(RawHttp.Response response) {
        assertEquals(200, response.status(), response.rawText());
        return Platform.field(wecom.decryptXmlReply(response.bodyText()), "Content");
    }

    private static <T> CompletableFuture<T> async(Callable<T> call) {
        return RawHttp.async(call);
    }

    private static void awaitRuns(long msgId, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (runs(msgId) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, runs(msgId));
    }

    @Test
    void aNodeKilledMidRun_isNotRunAgainBeforeItsLeaseLapses_andARetryRunsItAfter() throws Exception {
        try (RedisServer guard = RedisServer.start(); NodeProcess a = node("A", guard); NodeProcess b = node("B", guard)) {
            long id = MSG_ID.incrementAndGet();
            String plaintext = message(id, "sleepOn:A:30000");
            async(() -> deliver(a, plaintext));
            awaitRuns(id, 1);
            a.kill();
            long killed = System.nanoTime();
            RawHttp.Response retry = deliver(b, plaintext);
            long waitedMillis = (System.nanoTime() - killed) / 1_000_000;
            assertEquals("run 2 on B", reply(retry));
            assertEquals(2, runs(id));
            // The lease (3 s, renewed every second until the kill) held the retry back for a while.
            assertTrue(waitedMillis >= 1000 && waitedMillis < 4500, "the retry was answered after " + waitedMillis + " ms");
        }
    }

    @Test
    void redisKilledAndRestartedMidFlow_noFailure_nothingLost_sameNodeRetriesOnce_thenSharedAgain() throws Exception {
        try (RedisServer guard = RedisServer.start(); NodeProcess a = node("A", guard); NodeProcess b = node("B", guard)) {
            List<RawHttp.Response> answers = new ArrayList<>();
            List<Long> before = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long id = MSG_ID.incrementAndGet();
                before.add(id);
                answers.add(deliver(a, message(id, "plain")));
                answers.add(deliver(b, message(id, "plain"))); // the retry lands on the other node
            }
            guard.kill();
            List<Long> during = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long id = MSG_ID.incrementAndGet();
                during.add(id);
                NodeProcess node = i % 2 == 0 ? a : b;
                long start = System.nanoTime();
                answers.add(deliver(node, message(id, "plain")));
                answers.add(deliver(node, message(id, "plain"))); // a retry to the same node
                assertTrue(System.nanoTime() - start < 2_000_000_000L, "answered well inside WeCom's 5 s");
            }
            guard.restart();
            Thread.sleep(6000); // the nodes leave a failed Redis alone for 5 s, then use it again
            List<Long> after = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long id = MSG_ID.incrementAndGet();
                after.add(id);
                answers.add(deliver(b, message(id, "plain")));
                answers.add(deliver(a, message(id, "plain")));
            }
            for (RawHttp.Response answer : answers) {
                assertEquals(200, answer.status(), answer.rawText());
            }
            for (long id : before) {
                assertEquals(1, runs(id), "before the outage, once across nodes");
            }
            for (long id : during) {
                assertEquals(1, runs(id), "during the outage, a same-node retry still runs once");
            }
            for (long id : after) {
                assertEquals(1, runs(id), "after recovery, once across nodes again");
            }
            assertTrue(a.log().contains("cannot use Redis") || b.log().contains("cannot use Redis"), a.log());
            assertTrue(a.log().contains("is back") || b.log().contains("is back"), a.log() + b.log());
        }
    }

    @Test
    void slowApplications_withRetriesOnTheOtherNode_finishFailOrOutlastTheRetries() throws Exception {
        try (RedisServer guard = RedisServer.start(); NodeProcess a = node("A", guard); NodeProcess b = node("B", guard)) {
            long finishes = MSG_ID.incrementAndGet();
            long fails = MSG_ID.incrementAndGet();
            long outlasts = MSG_ID.incrementAndGet();
            String finishing = message(finishes, "sleep:3000");
            String failing = message(fails, "failFirst:6000");
            String outlasting = message(outlasts, "sleep:20000");
            CompletableFuture<RawHttp.Response> firstFinishing = async(() -> deliver(a, finishing));
            CompletableFuture<RawHttp.Response> firstFailing = async(() -> deliver(a, failing));
            CompletableFuture<RawHttp.Response> firstOutlasting = async(() -> deliver(a, outlasting));
            awaitRuns(finishes, 1);
            awaitRuns(fails, 1);
            awaitRuns(outlasts, 1);

            // Finishes in 3 s: WeCom's retry (here after 1 s) waits and carries the run's reply.
            Thread.sleep(1000);
            assertEquals("run 1 on A", reply(deliver(b, finishing)));
            assertEquals("run 1 on A", reply(firstFinishing.get(10, TimeUnit.SECONDS)));

            // Fails after 6 s: the retry at 5 s waits, sees the failure, and runs the application itself.
            Thread.sleep(3000);
            CompletableFuture<RawHttp.Response> retryFailing = async(() -> deliver(b, failing));
            // Runs 20 s: retries at 5, 10 and 15 s wait 3 s each and are answered 503, so WeCom tries again.
            RawHttp.Response retry5 = deliver(b, outlasting);
            assertEquals("run 2 on B", reply(retryFailing.get(10, TimeUnit.SECONDS)));
            assertEquals(503, firstFailing.get(10, TimeUnit.SECONDS).status());
            assertEquals(2, runs(fails), "the failed run was not lost: the retry ran it");
            Thread.sleep(2000);
            RawHttp.Response retry10 = deliver(a, outlasting);
            Thread.sleep(2000);
            RawHttp.Response retry15 = deliver(b, outlasting);
            for (RawHttp.Response retry : List.of(retry5, retry10, retry15)) {
                assertEquals(503, retry.status());
                assertEquals(0, retry.body().length);
            }
            assertEquals("run 1 on A", reply(firstOutlasting.get(30, TimeUnit.SECONDS)));
            assertEquals("run 1 on A", reply(deliver(b, outlasting)), "a retry after the run has its reply");
            assertEquals(1, runs(outlasts), "never run twice");
            assertEquals(1, runs(finishes));
        }
    }
}
