package io.github.wecomcallback.servlet;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Logs each kind of refusal at most once per interval, with a count of those it held back, so that an
 * internet scanner hammering the callback URL cannot flood the log while a real misconfiguration is still
 * reported at once.
 */
final class RefusalLog {
    private final Logger logger;
    private final String filterName;
    private final Map<Refusal, LogThrottle> throttles = new EnumMap<>(Refusal.class);

    RefusalLog(Logger logger, String filterName, LongSupplier nanoTime) {
        this.logger = logger;
        this.filterName = filterName;
        for (Refusal refusal : Refusal.values()) {
            throttles.put(refusal, new LogThrottle(nanoTime));
        }
    }

    /**
     * Logs one WARNING line for this refusal unless one was logged within the interval.
     *
     * @param request who sent what, already made safe ({@link LogText#quote})
     * @param detail what was wrong; it may quote client text and is escaped and truncated here
     */
    void refused(Refusal refusal, String request, String detail) {
        int suppressed = throttles.get(refusal).tryAcquire();
        if (suppressed < 0) {
            return;
        }
        logger.log(Level.WARNING, "WeComCallbackFilter [" + filterName + "] refused " + request + " with "
                + refusal.status + " " + refusal.error.code() + " (" + refusal.error.officialName() + "): "
                + (detail == null ? "" : LogText.detail(detail) + ". ") + "Likely cause: " + refusal.diagnosis
                + LogThrottle.heldBack(suppressed, "similar refusals"));
    }
}
