package io.github.wecomcallback.servlet;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs each kind of refusal at most once per interval, with a count of those it held back, so that an
 * internet scanner hammering the callback URL cannot flood the log while a real misconfiguration is still
 * reported at once.
 */
final class RefusalLog {
    static final long INTERVAL_NANOS = 60_000_000_000L;

    private final Logger logger;
    private final String filterName;
    private final LongSupplier nanoTime;
    private final Map<Refusal, Window> windows = new EnumMap<>(Refusal.class);

    RefusalLog(Logger logger, String filterName, LongSupplier nanoTime) {
        this.logger = logger;
        this.filterName = filterName;
        this.nanoTime = nanoTime;
        for (Refusal refusal : Refusal.values()) {
            windows.put(refusal, new Window(nanoTime.getAsLong()));
        }
    }

    /**
     * Logs one WARNING line for this refusal unless one was logged within the interval.
     *
     * @param request who sent what, already made safe ({@link LogText#quote})
     * @param detail what was wrong; it may quote client text and is escaped and truncated here
     */
    void refused(Refusal refusal, String request, String detail) {
        Window window = windows.get(refusal);
        long now = nanoTime.getAsLong();
        long next = window.nextAllowed.get();
        if (now - next < 0 || !window.nextAllowed.compareAndSet(next, now + INTERVAL_NANOS)) {
            window.suppressed.incrementAndGet();
            return;
        }
        int suppressed = window.suppressed.getAndSet(0);
        logger.log(Level.WARNING, "WeComCallbackFilter [" + filterName + "] refused " + request + " with "
                + refusal.status + " " + refusal.error.code() + " (" + refusal.error.officialName() + "): "
                + (detail == null ? "" : LogText.detail(detail) + ". ") + "Likely cause: " + refusal.diagnosis
                + (suppressed > 0 ? " [" + suppressed + " similar refusals in the last "
                        + INTERVAL_NANOS / 1_000_000_000L + " s were not logged]" : ""));
    }

    private static final class Window {
        // Starts now, so that the first refusal of each kind is logged at once.
        final AtomicLong nextAllowed;
        final AtomicInteger suppressed = new AtomicInteger();

        Window(long now) {
            nextAllowed = new AtomicLong(now);
        }
    }
}
