package io.github.wecomcallback.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.LogCapture;

class InMemoryDeliveryGuardTest {
    private final AtomicLong ticker = new AtomicLong(42);

    private InMemoryDeliveryGuard guard(Duration retryWait, int maxAnswered) {
        return new InMemoryDeliveryGuard(Duration.ofSeconds(300), retryWait, maxAnswered,
                InMemoryDeliveryGuard.DEFAULT_MAX_REPLY_BYTES, ticker::get);
    }

    @Test
    void first_getsTheLease_aRetryDuringTheRunIsBusy_afterItTheReply() throws Exception {
        InMemoryDeliveryGuard guard = guard(Duration.ZERO, 1000);
        DeliveryGuard.Lease lease = assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k")));
        assertInstanceOf(DeliveryGuard.Busy.class, guard.claim(id("k")));
        lease.complete(new byte[] {1, 2});
        DeliveryGuard.Answered answered = assertInstanceOf(DeliveryGuard.Answered.class, guard.claim(id("k")));
        assertArrayEquals(new byte[] {1, 2}, answered.reply());
    }

    @Test
    void aRecordedReply_comingBack_isReflected_butNeverOverridesAnAnswer() throws Exception {
        InMemoryDeliveryGuard guard = guard(Duration.ZERO, 1000);
        guard.recordReply(id("reply"));
        assertInstanceOf(DeliveryGuard.Reflected.class, guard.claim(id("reply")));
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("echoed"))).complete(new byte[] {3});
        guard.recordReply(id("echoed")); // an application that answers with its input
        assertInstanceOf(DeliveryGuard.Answered.class, guard.claim(id("echoed")));
    }

    @Test
    void released_isClaimedAgain() throws Exception {
        InMemoryDeliveryGuard guard = guard(Duration.ZERO, 1000);
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k"))).release();
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k")));
    }

    @Test
    void afterTheWindow_aDeliveryIsNewAgain_notASecondBefore() throws Exception {
        InMemoryDeliveryGuard guard = guard(Duration.ZERO, 1000);
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k"))).complete(new byte[0]);
        ticker.addAndGet(Duration.ofSeconds(299).toNanos());
        assertInstanceOf(DeliveryGuard.Answered.class, guard.claim(id("k")));
        ticker.addAndGet(Duration.ofSeconds(1).toNanos());
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k")));
    }

    @Test
    void expiredAnswers_leaveMemory_withTheNextAnswer() throws Exception {
        InMemoryDeliveryGuard guard = guard(Duration.ZERO, 1000);
        for (int i = 0; i < 500; i++) {
            assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k" + i))).complete(new byte[0]);
        }
        guard.recordReply(id("sent"));
        assertEquals(501, guard.answeredCount());
        ticker.addAndGet(Duration.ofSeconds(300).toNanos());
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("new"))).complete(new byte[0]);
        assertEquals(1, guard.answeredCount(), "only the new answer is held");
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("sent")), "a recorded reply expires too");
    }

    @Test
    void aRetryDuringTheRun_waitsForItsReply() throws Exception {
        InMemoryDeliveryGuard guard = guard(Duration.ofSeconds(10), 1000);
        DeliveryGuard.Lease lease = assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k")));
        CompletableFuture<DeliveryGuard.Claim> retry = CompletableFuture.supplyAsync(() -> claim(guard, id("k")));
        Thread.sleep(100);
        assertTrue(!retry.isDone(), "the retry waits for the run");
        lease.complete(new byte[] {7});
        DeliveryGuard.Answered answered = assertInstanceOf(DeliveryGuard.Answered.class, retry.get(5, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {7}, answered.reply());
    }

    @Test
    void aRetryDuringARunThatFails_getsTheLeaseItself() throws Exception {
        InMemoryDeliveryGuard guard = guard(Duration.ofSeconds(10), 1000);
        DeliveryGuard.Lease lease = assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k")));
        CompletableFuture<DeliveryGuard.Claim> retry = CompletableFuture.supplyAsync(() -> claim(guard, id("k")));
        Thread.sleep(100);
        lease.release();
        assertInstanceOf(DeliveryGuard.Lease.class, retry.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aRetryDuringARunLongerThanTheWait_isBusy_afterTheWait() throws Exception {
        InMemoryDeliveryGuard guard = guard(Duration.ofMillis(300), 1000);
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k")));
        long start = System.nanoTime();
        assertInstanceOf(DeliveryGuard.Busy.class, guard.claim(id("k")));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= 250 && waitedMillis < 3000, "waited " + waitedMillis + " ms");
    }

    @Test
    void atTheBound_answeredDeliveriesAreForgotten_butARunIsNeverEvicted() throws Exception {
        InMemoryDeliveryGuard guard = guard(Duration.ZERO, 1000);
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("running")));
        for (int i = 0; i < 5000; i++) {
            assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k" + i))).complete(new byte[0]);
        }
        assertTrue(guard.answeredCount() <= 1000, "bounded: " + guard.answeredCount());
        assertEquals(1, guard.runningCount());
        assertInstanceOf(DeliveryGuard.Busy.class, guard.claim(id("running")));
    }

    @Test
    void atTheBound_theOldestAreForgotten_theNewestAlwaysKept() throws Exception {
        // WeCom retries within seconds: a delivery answered just now is the one most worth remembering.
        InMemoryDeliveryGuard guard = guard(Duration.ZERO, 1000);
        for (int i = 0; i < 5000; i++) {
            assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k" + i))).complete(new byte[] {(byte) i});
            int newest = i;
            assertInstanceOf(DeliveryGuard.Answered.class, guard.claim(id("k" + newest)), () -> "k" + newest);
        }
        for (int i = 4000; i < 5000; i++) {
            DeliveryGuard.Answered answered = assertInstanceOf(DeliveryGuard.Answered.class, guard.claim(id("k" + i)),
                    "k" + i + " is among the 1000 newest");
            assertArrayEquals(new byte[] {(byte) i}, answered.reply());
        }
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("k3999")), "the oldest are forgotten first");
    }

    @Test
    void atTheFiltersBounds_sixteenLogs_holdTheBounds_andKeepTheNewestNineTenths() throws Exception {
        // The filter's guard: 100,000 answers, 32 MiB of replies, in 16 logs of a 16th each.
        assertEquals(16, InMemoryDeliveryGuard.stripes(100_000));
        assertEquals(1, InMemoryDeliveryGuard.stripes(8191), "small guards keep one log: exact oldest-first order");
        InMemoryDeliveryGuard guard = guard(Duration.ZERO, 100_000);
        java.util.Random random = new java.util.Random(2026);
        int total = 250_000;
        DeliveryId[] ids = new DeliveryId[total];
        for (int i = 0; i < total; i++) {
            byte[] hmac = new byte[32];
            random.nextBytes(hmac);
            ids[i] = DeliveryId.of(hmac);
            // Empty answers first (the count binds), then 400-byte replies (the bytes bind: 32 MiB / 400 = 83,886).
            byte[] reply = i < 150_000 ? new byte[0] : replyOf(i);
            assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(ids[i])).complete(reply);
            if (i == 149_999) {
                assertEquals(100_000, guard.answeredCount(), "every log full: the count bound, exactly");
                for (int j = 60_000; j < 150_000; j++) {
                    assertInstanceOf(DeliveryGuard.Answered.class, guard.claim(ids[j]), "answer " + j);
                }
            }
        }
        assertTrue(guard.answeredCount() <= 83_886, guard.answeredCount() + " answers of 400 bytes in 32 MiB");
        assertTrue(guard.replyBytes() <= InMemoryDeliveryGuard.DEFAULT_MAX_REPLY_BYTES, guard.replyBytes() + " bytes");
        for (int i = total - 75_000; i < total; i++) { // nine tenths of what the bytes allow
            DeliveryGuard.Answered answered = assertInstanceOf(DeliveryGuard.Answered.class, guard.claim(ids[i]),
                    "answer " + i + " is among the newest");
            assertArrayEquals(replyOf(i), answered.reply());
        }
    }

    @Test
    void atTheFiltersBounds_theLongestReplyRemembered_is32KiB() throws Exception {
        // A 64th of one log's 2 MiB: a long reply never forgets more than a 64th of its log's answers.
        InMemoryDeliveryGuard guard = guard(Duration.ZERO, 100_000);
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("fits"))).complete(new byte[32 * 1024]);
        assertInstanceOf(DeliveryGuard.Answered.class, guard.claim(id("fits")));
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("too long"))).complete(new byte[32 * 1024 + 1]);
        assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("too long")), "not remembered: runs again");
    }

    private static byte[] replyOf(int i) {
        byte[] reply = new byte[400];
        java.util.Arrays.fill(reply, (byte) i);
        reply[0] = (byte) (i >> 8);
        reply[1] = (byte) (i >> 16);
        return reply;
    }

    @Test
    void aReplyLongerThanALogMayHold_stillReachesTheWaitingRetry_butIsNotRemembered() throws Exception {
        // 6,400 bytes of replies: at most 100 bytes for one.
        InMemoryDeliveryGuard guard = new InMemoryDeliveryGuard(Duration.ofSeconds(300), Duration.ofSeconds(10), 1000,
                6400, ticker::get);
        try (LogCapture log = LogCapture.library().start()) {
            DeliveryGuard.Lease lease = assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("long")));
            CompletableFuture<DeliveryGuard.Claim> retry = CompletableFuture.supplyAsync(() -> claim(guard, id("long")));
            Thread.sleep(100);
            byte[] reply = new byte[101];
            lease.complete(reply);
            assertArrayEquals(reply, assertInstanceOf(DeliveryGuard.Answered.class, retry.get(5, TimeUnit.SECONDS))
                    .reply(), "the retry waiting on the run gets its reply");
            assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("long")), "not remembered: runs again")
                    .complete(new byte[101]);
            assertInstanceOf(DeliveryGuard.Lease.class, guard.claim(id("short"))).complete(new byte[100]);
            assertInstanceOf(DeliveryGuard.Answered.class, guard.claim(id("short")), "100 bytes are remembered");
            assertEquals(1, log.lines().stream().filter(line -> line.contains("longer than the 100 bytes")).count(),
                    "said once: " + log.lines());
        }
    }

    @Test
    void fiftyConcurrentCopies_hundredRounds_exactlyOneRunPerRound() throws Exception {
        InMemoryDeliveryGuard guard = guard(Duration.ofSeconds(3), 100_000);
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            for (int round = 0; round < 100; round++) {
                DeliveryId key = id("round-" + round);
                List<Callable<Boolean>> copies = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    copies.add(() -> {
                        DeliveryGuard.Claim claim = guard.claim(key);
                        if (claim instanceof DeliveryGuard.Lease lease) {
                            lease.complete(new byte[] {1});
                            return true;
                        }
                        assertInstanceOf(DeliveryGuard.Answered.class, claim);
                        return false;
                    });
                }
                int runs = 0;
                for (Future<Boolean> ran : pool.invokeAll(copies)) {
                    runs += ran.get() ? 1 : 0;
                }
                assertEquals(1, runs, "round " + round);
            }
        } finally {
            pool.shutdown();
        }
    }

    /** A delivery id named for the test: the SHA-256 of the name. */
    static DeliveryId id(String name) {
        try {
            return DeliveryId.of(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static DeliveryGuard.Claim claim(DeliveryGuard guard, DeliveryId key) {
        try {
            return guard.claim(key);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
