package io.github.wecomcallback.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Scanners cannot flood the log: one line per kind per interval, with a count of the rest. */
class RefusalLogTest {
    private final List<String> lines = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(123_456_789L);
    private final RefusalLog log = new RefusalLog(new ListLogger(lines), "app", now::get);

    @Test
    void firstRefusalOfEachKind_isLoggedAtOnce() {
        log.refused(Refusal.SIGNATURE_MISMATCH, "GET from 1.2.3.4", null);
        log.refused(Refusal.NOT_FROM_WECOM, "GET from 1.2.3.4", null);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).contains("refused GET from 1.2.3.4 with 403 -40001 (ValidateSignatureError)"));
        assertTrue(lines.get(0).contains("the token differs from the Token in the WeCom console"));
        assertTrue(lines.get(1).contains("did not come from WeCom"));
    }

    @Test
    void aFlood_isReducedToOneLinePerInterval_withTheCount() {
        for (int i = 0; i < 10_000; i++) {
            log.refused(Refusal.SIGNATURE_MISMATCH, "GET from scanner", null);
        }
        assertEquals(1, lines.size());
        now.addAndGet(LogThrottle.INTERVAL_NANOS + 1);
        log.refused(Refusal.SIGNATURE_MISMATCH, "GET from scanner", null);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).contains("[9999 similar refusals in the last 60 s were not logged]"), lines.get(1));
    }

    /** A System.Logger that keeps the lines it is given. */
    static final class ListLogger implements System.Logger {
        private final List<String> lines;

        ListLogger(List<String> lines) {
            this.lines = lines;
        }

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }
    }
}
