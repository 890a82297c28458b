package io.github.wecomcallback.dedup;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * A {@link DeliveryGuard} for one node. Runs in progress are held in a map until they end (a run lives as long
 * as the request thread that holds it, so they are bounded by the container's threads and are never evicted);
 * answered deliveries are remembered for the window in {@link AnswerLog}s, at most {@code maxAnswered} of them
 * and {@link #DEFAULT_MAX_REPLY_BYTES} of replies, the oldest forgotten first at a bound (a WARNING says so once).
 *
 * <p>A large guard (the filter's: 100,000 answers) keeps its answers in up to 16 logs, chosen by the delivery id,
 * each with its own lock and a 16th of the bounds. Every callback takes a log's lock two or three times; with one
 * lock, a request thread descheduled while holding it (a busy node runs dozens of them on a few cores) stalled every
 * other callback for a time slice, milliseconds, and made the tail latency. Now it stalls a 16th of them. The ids
 * are HMACs, so the logs fill evenly: at their bound each forgets its own oldest, and what is forgotten is, but for
 * the last few hundred of 100,000, the oldest overall (a test holds it to the newest nine tenths always kept).
 */
public final class InMemoryDeliveryGuard implements DeliveryGuard {
    private static final Logger LOG = System.getLogger("io.github.wecomcallback");
    /** The most bytes of replies remembered: 32 MiB, 335 bytes for each of 100,000 answers. */
    public static final int DEFAULT_MAX_REPLY_BYTES = 32 * 1024 * 1024;
    /** The most answers a guard may be asked to remember (far beyond need). */
    public static final int MAX_ANSWERED = 1 << 26;

    private final long retryWaitNanos;
    private final int maxAnswered;
    private final int maxReplyBytes;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<DeliveryId, Run> running = new ConcurrentHashMap<>();
    /** {@link #stripes(int)} logs; a delivery's is chosen by bits of its id that the logs' own index does not use. */
    private final AnswerLog[] answers;
    private final int longestReply;
    private final AtomicBoolean longReplyReported = new AtomicBoolean();
    private final AtomicBoolean boundReported = new AtomicBoolean();

    /**
     * @param window how long an answered delivery is remembered
     * @param retryWait how long a retry waits for a run in progress before it is answered {@link Busy}
     * @param maxAnswered how many answered deliveries are remembered at most
     */
    public InMemoryDeliveryGuard(Duration window, Duration retryWait, int maxAnswered) {
        this(window, retryWait, maxAnswered, DEFAULT_MAX_REPLY_BYTES, System::nanoTime);
    }

    InMemoryDeliveryGuard(Duration window, Duration retryWait, int maxAnswered, int maxReplyBytes,
            LongSupplier nanoTime) {
        if (window.isNegative() || window.isZero() || retryWait.isNegative() || maxAnswered <= 0
                || maxAnswered > MAX_ANSWERED) {
            throw new IllegalArgumentException("window and capacity must be positive (capacity at most "
                    + MAX_ANSWERED + "), the retry wait not negative");
        }
        this.retryWaitNanos = retryWait.toNanos();
        this.maxAnswered = maxAnswered;
        this.nanoTime = nanoTime;
        this.maxReplyBytes = maxReplyBytes;
        this.answers = new AnswerLog[stripes(maxAnswered)];
        for (int i = 0; i < answers.length; i++) {
            answers[i] = new AnswerLog(maxAnswered / answers.length, maxReplyBytes / answers.length, window.toNanos());
        }
        // A 64th of a log's share: one long reply never forgets more than a 64th of its log (32 KiB for the filter's
        // guard; WeCom's passive replies are a few KiB).
        this.longestReply = answers[0].longestReply();
    }

    /** Logs for so many answers: 16 for 65,536 and more, fewer below, one below 8,192 (exact oldest-first order). */
    static int stripes(int maxAnswered) {
        return Math.max(1, Math.min(16, Integer.highestOneBit(maxAnswered / 4096)));
    }

    private AnswerLog answersOf(DeliveryId id) {
        return answers[(int) (id.w1 >>> 32) & (answers.length - 1)];
    }

    /** A run in progress; its future completes with the reply, or with null when the run failed. */
    private final class Run implements Lease {
        final DeliveryId id;
        final CompletableFuture<byte[]> outcome = new CompletableFuture<>();

        Run(DeliveryId id) {
            this.id = id;
        }

        @Override
        public void complete(byte[] reply) {
            try {
                if (reply.length > longestReply && longReplyReported.compareAndSet(false, true)) {
                    LOG.log(Level.WARNING, "WeComCallbackFilter duplicate guard: a reply of " + reply.length
                            + " bytes is longer than the " + longestReply + " bytes a reply remembered in"
                            + " memory may have; it is not remembered, so a retry of its callback runs the"
                            + " application again. Logged once.");
                }
                // Answered before no longer running, so that a claim in between finds one or the other.
                remembered(answersOf(id).put(id, reply, nanoTime.getAsLong()));
            } finally {
                // Whatever happened above: never a run left behind for retries to wait on.
                running.remove(id, this);
                outcome.complete(reply.clone());
            }
        }

        @Override
        public void release() {
            running.remove(id, this);
            outcome.complete(null);
        }
    }

    @Override
    public Claim claim(DeliveryId id) throws InterruptedException {
        Run mine = new Run(id);
        // One reading of the clock for both looks, and the deadline only once a run in progress is found: a reading
        // took 60 ns on our 2-vCPU virtual machine, as much as the rest of a look at an answer in the cache.
        long deadline = 0;
        boolean waiting = false;
        while (true) {
            long now = nanoTime.getAsLong();
            Claim answered = answered(id, now);
            if (answered != null) {
                return answered;
            }
            Run theirs = running.putIfAbsent(id, mine);
            if (theirs == null) {
                Claim justAnswered = answered(id, now);
                if (justAnswered != null) { // completed between our two looks
                    mine.release(); // a retry that saw mine meanwhile looks again, and finds the answer
                    return justAnswered;
                }
                return mine;
            }
            long clock = System.nanoTime();
            if (!waiting) {
                deadline = clock + retryWaitNanos;
                waiting = true;
            }
            long remaining = deadline - clock;
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

    /** What memory says of an answered delivery, or null when it knows of none. */
    private Claim answered(DeliveryId id, long now) {
        byte[] reply = answersOf(id).find(id, now); // a copy
        if (reply == null) {
            return null;
        }
        return reply == AnswerLog.SENT_AS_REPLY ? new Reflected() : new Answered(reply);
    }

    @Override
    public void recordReply(DeliveryId id) {
        if (!running.containsKey(id)) {
            remembered(answersOf(id).putSentAsReply(id, nanoTime.getAsLong()));
        }
    }

    @Override
    public String toString() {
        return "in memory";
    }

    /** Answers held in memory now, expired ones not yet forgotten included. */
    long answeredCount() {
        return Arrays.stream(answers).mapToLong(AnswerLog::size).sum();
    }

    /** Bytes of the logs' rings of bytes in use. */
    long replyBytes() {
        return Arrays.stream(answers).mapToLong(AnswerLog::replyBytes).sum();
    }

    int runningCount() {
        return running.size();
    }

    private void remembered(boolean boundReachedFirst) {
        if (boundReachedFirst && boundReported.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "WeComCallbackFilter duplicate guard: the answers remembered in memory reached"
                    + " their bound (" + maxAnswered + " answered deliveries and " + maxReplyBytes + " bytes of replies,"
                    + (answers.length > 1 ? " in " + answers.length + " logs of a " + answers.length + "th each" : "")
                    + "); from now on the oldest are forgotten before their window ends, so a late retry of one of"
                    + " them would run the application again. Many distinct callbacks within the window: set"
                    + " redisUrl to remember them in Redis. Logged once.");
        }
    }
}
