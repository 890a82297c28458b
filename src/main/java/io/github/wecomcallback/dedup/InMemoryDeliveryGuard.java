package io.github.wecomcallback.dedup;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A {@link DeliveryGuard} for one node. Runs in progress are held until they end (a run lives as long as the
 * request thread that holds it, so they are bounded by the container's threads and are never evicted); answered
 * deliveries live for the window in a bounded cache (Caffeine: eviction is amortised over writes, with no pause a
 * callback can feel). At the bound, the least valuable answered deliveries are forgotten before their window ends,
 * and a WARNING says so once.
 */
public final class InMemoryDeliveryGuard implements DeliveryGuard {
    private static final Logger LOG = System.getLogger("io.github.wecomcallback");
    /** Stored, by identity, for plaintexts that went out as replies. */
    private static final byte[] SENT_AS_REPLY = new byte[0];

    private final long retryWaitNanos;
    private final int maxAnswered;
    private final ConcurrentMap<String, Run> running = new ConcurrentHashMap<>();
    private final Cache<String, byte[]> answered;
    private final AtomicBoolean boundReported = new AtomicBoolean();

    /**
     * @param window how long an answered delivery is remembered
     * @param retryWait how long a retry waits for a run in progress before it is answered {@link Busy}
     * @param maxAnswered how many answered deliveries are remembered at most
     */
    public InMemoryDeliveryGuard(Duration window, Duration retryWait, int maxAnswered) {
        this(window, retryWait, maxAnswered, Ticker.systemTicker());
    }

    InMemoryDeliveryGuard(Duration window, Duration retryWait, int maxAnswered, Ticker ticker) {
        if (window.isNegative() || window.isZero() || retryWait.isNegative() || maxAnswered <= 0) {
            throw new IllegalArgumentException("window and capacity must be positive, the retry wait not negative");
        }
        this.retryWaitNanos = retryWait.toNanos();
        this.maxAnswered = maxAnswered;
        this.answered = Caffeine.newBuilder()
                .maximumSize(maxAnswered)
                .expireAfterWrite(window)
                .ticker(ticker)
                .executor(Runnable::run) // no background threads in a servlet container
                .removalListener((String key, byte[] reply, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        reportBound();
                    }
                })
                .build();
    }

    /** A run in progress; its future completes with the reply, or with null when the run failed. */
    private final class Run implements Lease {
        final String key;
        final CompletableFuture<byte[]> outcome = new CompletableFuture<>();

        Run(String key) {
            this.key = key;
        }

        @Override
        public void complete(byte[] reply) {
            byte[] copy = reply.clone();
            // Answered before no longer running, so that a claim in between finds one or the other.
            answered.put(key, copy);
            running.remove(key, this);
            outcome.complete(copy);
        }

        @Override
        public void release() {
            running.remove(key, this);
            outcome.complete(null);
        }
    }

    @Override
    public Claim claim(String key) throws InterruptedException {
        long deadline = System.nanoTime() + retryWaitNanos;
        while (true) {
            byte[] reply = answered.getIfPresent(key);
            if (reply == SENT_AS_REPLY) {
                return new Reflected();
            }
            if (reply != null) {
                return new Answered(reply.clone());
            }
            Run mine = new Run(key);
            Run theirs = running.putIfAbsent(key, mine);
            if (theirs == null) {
                byte[] justAnswered = answered.getIfPresent(key);
                if (justAnswered != null) { // completed between our two looks
                    running.remove(key, mine);
                    return justAnswered == SENT_AS_REPLY ? new Reflected() : new Answered(justAnswered.clone());
                }
                return mine;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new Busy();
            }
            try {
                byte[] outcome = theirs.outcome.get(remaining, TimeUnit.NANOSECONDS);
                if (outcome != null) {
                    return new Answered(outcome.clone());
                }
                // That run failed: claim again, and this retry runs the application.
            } catch (TimeoutException e) {
                return new Busy();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a run's outcome is never exceptional", e);
            }
        }
    }

    @Override
    public void recordReply(String key) {
        if (!running.containsKey(key)) {
            answered.asMap().putIfAbsent(key, SENT_AS_REPLY);
        }
    }

    @Override
    public String toString() {
        return "in memory";
    }

    /** Answered deliveries remembered now (after pending maintenance). */
    long answeredCount() {
        answered.cleanUp();
        return answered.estimatedSize();
    }

    int runningCount() {
        return running.size();
    }

    private void reportBound() {
        if (boundReported.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "WeComCallbackFilter duplicate guard: " + maxAnswered + " answered deliveries"
                    + " are remembered in memory, the most it keeps; from now on some are forgotten before their"
                    + " window ends, so a late retry of one of them would run the application again. Many distinct"
                    + " callbacks within the window: set redisUrl to remember them in Redis. Logged once.");
        }
    }
}
