package io.github.wecomcallback.bench;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.github.wecomcallback.dedup.DeliveryGuard;
import io.github.wecomcallback.dedup.DeliveryId;
import io.github.wecomcallback.dedup.InMemoryDeliveryGuard;

/**
 * The duplicate guard's part of a callback, as the filter's guard does it at its bound (100,000 answers remembered,
 * the oldest forgotten on every new one): claim a new delivery, complete it, and for a reply remember that the reply
 * went out. Distinct ids throughout, as on a busy node: every lookup misses, and most of the guard's time is where
 * its arrays are not in the cache. Run: {@code bench/jmh.sh GuardBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class GuardBenchmark {
    private static final int MAX_ANSWERED = 100_000; // the filter's
    /** Distinct ids in turn; more than the bound holds, so that one comes round again only after it was forgotten. */
    private static final int IDS = 1 << 20;

    private DeliveryGuard guard;
    private DeliveryId[] deliveries;
    private DeliveryId[] replies;
    private byte[] reply;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        guard = new InMemoryDeliveryGuard(Duration.ofMinutes(15), Duration.ofSeconds(3), MAX_ANSWERED);
        SplittableRandom random = new SplittableRandom(2026);
        deliveries = new DeliveryId[IDS];
        replies = new DeliveryId[IDS];
        for (int i = 0; i < IDS; i++) {
            deliveries[i] = randomId(random);
            replies[i] = randomId(random);
        }
        reply = new byte[230]; // BenchApp's reply, about
        random.nextBytes(reply);
        for (int i = 0; i < 3 * MAX_ANSWERED; i++) { // past the bound: the steady state of a busy node
            answerWithReply();
        }
    }

    private static DeliveryId randomId(SplittableRandom random) {
        byte[] bytes = new byte[DeliveryId.LENGTH];
        random.nextBytes(bytes);
        return DeliveryId.of(bytes);
    }

    /** A delivery answered with a reply: claimed, completed, and the reply remembered as sent. */
    @Benchmark
    public DeliveryGuard.Claim answerWithReply() throws InterruptedException {
        int i = next++ & (IDS - 1);
        DeliveryGuard.Claim claim = guard.claim(deliveries[i]);
        ((DeliveryGuard.Lease) claim).complete(reply);
        guard.recordReply(replies[i]);
        return claim;
    }

    /** A delivery answered with an empty 200. */
    @Benchmark
    public DeliveryGuard.Claim answerEmpty() throws InterruptedException {
        int i = next++ & (IDS - 1);
        DeliveryGuard.Claim claim = guard.claim(deliveries[i]);
        ((DeliveryGuard.Lease) claim).complete(new byte[0]);
        return claim;
    }
}
