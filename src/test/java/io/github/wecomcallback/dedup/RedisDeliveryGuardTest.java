package io.github.wecomcallback.dedup;

import static io.github.wecomcallback.dedup.InMemoryDeliveryGuardTest.id;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.RedisServer;

/** The shared guard against a real redis-server: leases across nodes, lapses, outages and restarts. */
class RedisDeliveryGuardTest {
    private static final Duration WINDOW = Duration.ofSeconds(300);
    private static RedisServer redis;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    private static RedisDeliveryGuard node(String url, Duration lease, Duration retryWait) {
        return new RedisDeliveryGuard(RedisUrl.parse(url), new InMemoryDeliveryGuard(WINDOW, retryWait, 10_000),
                WINDOW, lease, retryWait, Duration.ofMillis(500));
    }

    private static RedisDeliveryGuard node(Duration retryWait) {
        return node(redis.url(), Duration.ofSeconds(3), retryWait);
    }

    @Test
    void twoNodes_aRetryOnTheOtherNodeWaitsForTheRun_andGetsItsReply() throws Exception {
        try (RedisDeliveryGuard nodeA = node(Duration.ofSeconds(3)); RedisDeliveryGuard nodeB = node(Duration.ofSeconds(3))) {
            DeliveryId key = id("k-" + System.nanoTime());
            DeliveryGuard.Lease lease = assertInstanceOf(DeliveryGuard.Lease.class, nodeA.claim(key));
            CompletableFuture<DeliveryGuard.Claim> retry = CompletableFuture.supplyAsync(
                    () -> InMemoryDeliveryGuardTest.claim(nodeB, key));
            Thread.sleep(200);
            assertFalse(retry.isDone());
            lease.complete(new byte[] {1, 2, 3});
            DeliveryGuard.Answered answered = assertInstanceOf(DeliveryGuard.Answered.class,
                    retry.get(5, TimeUnit.SECONDS));
            assertArrayEquals(new byte[] {1, 2, 3}, answered.reply());
        }
    }

    @Test
    void aRunStillGoingOnAnotherNode_isBusyAfterTheWait() throws Exception {
        try (RedisDeliveryGuard nodeA = node(Duration.ofMillis(300)); RedisDeliveryGuard nodeB = node(Duration.ofMillis(300))) {
            DeliveryId key = id("k-" + System.nanoTime());
            assertInstanceOf(DeliveryGuard.Lease.class, nodeA.claim(key));
            assertInstanceOf(DeliveryGuard.Busy.class, nodeB.claim(key));
        }
    }

    @Test
    void aReplySentByOneNode_comingBackToTheOther_isReflected() throws Exception {
        try (RedisDeliveryGuard nodeA = node(Duration.ZERO); RedisDeliveryGuard nodeB = node(Duration.ZERO)) {
            DeliveryId reply = id("reply-" + System.nanoTime());
            nodeA.recordReply(reply);
            assertInstanceOf(DeliveryGuard.Reflected.class, nodeB.claim(reply));
            assertInstanceOf(DeliveryGuard.Reflected.class, nodeA.claim(reply));
        }
    }

    @Test
    void released_isClaimedByTheOtherNode() throws Exception {
        try (RedisDeliveryGuard nodeA = node(Duration.ZERO); RedisDeliveryGuard nodeB = node(Duration.ZERO)) {
            DeliveryId key = id("k-" + System.nanoTime());
            assertInstanceOf(DeliveryGuard.Lease.class, nodeA.claim(key)).release();
            assertInstanceOf(DeliveryGuard.Lease.class, nodeB.claim(key));
        }
    }

    @Test
    void aLongRunIsRenewed_andADeadNodesLeaseLapses() throws Exception {
        DeliveryId key = id("k-" + System.nanoTime());
        RedisDeliveryGuard nodeA = node(redis.url(), Duration.ofMillis(900), Duration.ZERO);
        try (RedisDeliveryGuard nodeB = node(redis.url(), Duration.ofMillis(900), Duration.ZERO)) {
            assertInstanceOf(DeliveryGuard.Lease.class, nodeA.claim(key));
            Thread.sleep(2000); // more than twice the lease: renewal keeps it
            assertInstanceOf(DeliveryGuard.Busy.class, nodeB.claim(key));
            nodeA.close(); // node A dies: nothing renews its lease any more
            Thread.sleep(1200);
            assertInstanceOf(DeliveryGuard.Lease.class, nodeB.claim(key), "the lapsed run is free again");
        }
    }

    @Test
    void fiftyConcurrentCopiesOnFiveNodes_hundredRounds_exactlyOneRunPerRound() throws Exception {
        List<RedisDeliveryGuard> nodes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            for (int i = 0; i < 5; i++) {
                nodes.add(node(Duration.ofSeconds(2)));
            }
            for (int round = 0; round < 100; round++) {
                DeliveryId key = id("race-" + round + "-" + System.nanoTime());
                List<Callable<Boolean>> claims = new ArrayList<>();
                for (int copy = 0; copy < 50; copy++) {
                    RedisDeliveryGuard node = nodes.get(copy % nodes.size());
                    claims.add(() -> {
                        DeliveryGuard.Claim claim = node.claim(key);
                        if (claim instanceof DeliveryGuard.Lease lease) {
                            lease.complete(new byte[] {9});
                            return true;
                        }
                        assertArrayEquals(new byte[] {9}, assertInstanceOf(DeliveryGuard.Answered.class, claim).reply());
                        return false;
                    });
                }
                int runs = 0;
                for (Future<Boolean> ran : pool.invokeAll(claims)) {
                    runs += ran.get() ? 1 : 0;
                }
                assertEquals(1, runs, "round " + round);
            }
        } finally {
            pool.shutdown();
            nodes.forEach(RedisDeliveryGuard::close);
        }
    }

    @Test
    void redisRestarted_theSameNodeStillRecognisesRetries_andSharingResumes() throws Exception {
        try (RedisServer own = RedisServer.start();
                RedisDeliveryGuard nodeA = node(own.url(), Duration.ofSeconds(3), Duration.ZERO);
                RedisDeliveryGuard nodeB = node(own.url(), Duration.ofSeconds(3), Duration.ZERO)) {
            assertTrue(nodeA.ping() && nodeB.ping());
            own.kill();
            DeliveryId during = id("during-" + System.nanoTime());
            assertInstanceOf(DeliveryGuard.Lease.class, nodeA.claim(during)).complete(new byte[] {5});
            assertArrayEquals(new byte[] {5},
                    assertInstanceOf(DeliveryGuard.Answered.class, nodeA.claim(during)).reply(),
                    "a same-node retry during the outage is recognised from memory");
            own.restart();
            Thread.sleep(600); // the outage pause of these nodes
            DeliveryId after = id("after-" + System.nanoTime());
            assertInstanceOf(DeliveryGuard.Lease.class, nodeA.claim(after)).complete(new byte[] {6});
            assertArrayEquals(new byte[] {6}, assertInstanceOf(DeliveryGuard.Answered.class, nodeB.claim(after)).reply(),
                    "after the restart, the other node sees the delivery again");
        }
    }

    @Test
    void refusedRedis_costsLittle_andTheNodeStillProtectsItself() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (RedisDeliveryGuard guard = node("redis://127.0.0.1:" + port, Duration.ofSeconds(3), Duration.ZERO)) {
            assertFalse(guard.ping());
            assertClaimsFastAndRemembered(guard);
        }
    }

    @Test
    void blackholedRedis_costsLittle_andTheNodeStillProtectsItself() throws Exception {
        // A listener that never accepts nor answers: connections hang as they would to a dead host.
        try (ServerSocket silent = new ServerSocket(0, 1)) {
            try (RedisDeliveryGuard guard = node("redis://127.0.0.1:" + silent.getLocalPort(), Duration.ofSeconds(3),
                    Duration.ZERO)) {
                assertClaimsFastAndRemembered(guard);
            }
        }
    }

    private static void assertClaimsFastAndRemembered(RedisDeliveryGuard guard) throws Exception {
        for (int i = 0; i < 20; i++) {
            DeliveryId key = id("k" + i);
            long start = System.nanoTime();
            assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(key)).complete(new byte[] {(byte) i});
            assertInstanceOf(DeliveryGuard.Answered.class, guard.claim(key));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis < 1000, "claims took " + millis + " ms");
        }
    }

    @Test
    void passwordAndDatabaseNumber_keepWorking() throws Exception {
        try (RedisServer guarded = RedisServer.start("s3cret-pw")) {
            String url = "redis://:s3cret-pw@127.0.0.1:" + guarded.port() + "/3";
            try (RedisDeliveryGuard nodeA = node(url, Duration.ofSeconds(3), Duration.ZERO);
                    RedisDeliveryGuard nodeB = node(url, Duration.ofSeconds(3), Duration.ZERO);
                    RedisDeliveryGuard wrongPassword = node("redis://:wrong@127.0.0.1:" + guarded.port() + "/3",
                            Duration.ofSeconds(3), Duration.ZERO)) {
                assertTrue(nodeA.ping());
                assertFalse(wrongPassword.ping(), "a wrong password is an outage, not a silent success");
                assertInstanceOf(DeliveryGuard.Lease.class, nodeA.claim(id("pw"))).complete(new byte[] {4});
                assertArrayEquals(new byte[] {4}, assertInstanceOf(DeliveryGuard.Answered.class, nodeB.claim(id("pw"))).reply());
                assertFalse(nodeA.toString().contains("s3cret"), nodeA.toString());
            }
            try (redis.clients.jedis.JedisPooled db3 = new redis.clients.jedis.JedisPooled(
                    java.net.URI.create("redis://:s3cret-pw@127.0.0.1:" + guarded.port() + "/3"))) {
                assertTrue(db3.exists("wecom-callback:delivery:" + id("pw").hex()), "stored in database 3");
            }
        }
    }

    @Test
    void malformedUrl_isRefused_withoutShowingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisUrl.parse("http://:secret@host:6379"));
        assertFalse(e.getMessage().contains("secret"));
        assertEquals("redis://host:6380/2", RedisUrl.parse("redis://:secret@host:6380/2").toString());
    }
}
