package io.github.wecomcallback.servlet;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Lets one log line through per interval and counts the ones it held back, so that traffic anyone can send
 * (a scanner, a replayed URL check) cannot flood the log while the first occurrence is still reported at once.
 * Lock-free: of two threads racing for the same slot, exactly one logs.
 */
final class LogThrottle {
    static final long INTERVAL_NANOS = 60_000_000_000L;

    private final LongSupplier nanoTime;
    private final AtomicLong nextAllowed;
    private final AtomicInteger suppressed = new AtomicInteger();

    LogThrottle(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.nextAllowed = new AtomicLong(nanoTime.getAsLong()); // the first occurrence is logged at once
    }

    /**
     * Returns -1 when this occurrence must not be logged; otherwise it may be logged, and the result is how many
     * were held back since the last one that was.
     */
    int tryAcquire() {
        long now = nanoTime.getAsLong();
        long next = nextAllowed.get();
        if (now - next < 0 || !nextAllowed.compareAndSet(next, now + INTERVAL_NANOS)) {
            suppressed.incrementAndGet();
            return -1;
        }
        return suppressed.getAndSet(0);
    }

    /** The note appended to a line that follows held-back ones. */
    static String heldBack(int suppressed, String what) {
        return suppressed > 0 ? " [" + suppressed + " " + what + " in the last " + INTERVAL_NANOS / 1_000_000_000L
                + " s were not logged]" : "";
    }
}
