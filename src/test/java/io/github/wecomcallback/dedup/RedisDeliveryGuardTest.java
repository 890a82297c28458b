package io.github.wecomcallback.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.RedisServer;

/** The shared guard against a real Redis: two nodes see one another's deliveries. */
class RedisDeliveryGuardTest {
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

    @Test
    void twoNodes_shareFirstInProgressDone() {
        try (RedisDeliveryGuard nodeA = new RedisDeliveryGuard(redis.url(), 300);
                RedisDeliveryGuard nodeB = new RedisDeliveryGuard(redis.url(), 300)) {
            String key = "k-" + System.nanoTime();
            assertInstanceOf(DeliveryGuard.First.class, nodeA.claim(key));
            assertInstanceOf(DeliveryGuard.InProgress.class, nodeB.claim(key));
            nodeA.complete(key, new byte[] {1, 2, 3});
            DeliveryGuard.Done done = assertInstanceOf(DeliveryGuard.Done.class, nodeB.claim(key));
            assertArrayEquals(new byte[] {1, 2, 3}, done.reply());
        }
    }

    @Test
    void released_isNewAgainOnAnyNode() {
        try (RedisDeliveryGuard nodeA = new RedisDeliveryGuard(redis.url(), 300);
                RedisDeliveryGuard nodeB = new RedisDeliveryGuard(redis.url(), 300)) {
            String key = "k-" + System.nanoTime();
            nodeA.claim(key);
            nodeA.release(key);
            assertInstanceOf(DeliveryGuard.First.class, nodeB.claim(key));
        }
    }

    @Test
    void concurrentClaimsOfOneDelivery_exactlyOneWins() throws Exception {
        String key = "race-" + System.nanoTime();
        List<RedisDeliveryGuard> nodes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<DeliveryGuard.Claim>> claims = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                RedisDeliveryGuard node = new RedisDeliveryGuard(redis.url(), 300);
                nodes.add(node);
                claims.add(() -> node.claim(key));
            }
            int first = 0;
            for (Future<DeliveryGuard.Claim> claim : pool.invokeAll(claims)) {
                if (claim.get() instanceof DeliveryGuard.First) {
                    first++;
                }
            }
            assertEquals(1, first);
        } finally {
            pool.shutdown();
            nodes.forEach(RedisDeliveryGuard::close);
        }
    }

    @Test
    void unreachableRedis_failsOpen() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (RedisDeliveryGuard guard = new RedisDeliveryGuard("redis://127.0.0.1:" + port, 300)) {
            assertFalse(guard.ping());
            assertInstanceOf(DeliveryGuard.First.class, guard.claim("k"));
            assertInstanceOf(DeliveryGuard.First.class, guard.claim("k"), "no memory without Redis: run again");
        }
    }

    @Test
    void malformedUrl_isRefused_withoutShowingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RedisDeliveryGuard("http://:secret@host:6379", 300));
        assertFalse(e.getMessage().contains("secret"));
        assertTrue(RedisDeliveryGuard.describe("redis://:secret@host:6380/2").equals("redis://host:6380/2"));
    }
}
