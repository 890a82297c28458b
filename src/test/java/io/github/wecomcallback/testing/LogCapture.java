package io.github.wecomcallback.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps what a logger (and its children) logs while attached: one line per record, {@code LEVEL message}, with
 * {@code THROWN exception} appended when there is one, and the messages of every exception's cause chain. The
 * filter logs through System.Logger, which the JDK routes to java.util.logging.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger; // held: java.util.logging keeps loggers only weakly, a new one would lack the handler
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> thrown = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getLevel() + " " + record.getMessage()
                    + (record.getThrown() == null ? "" : " THROWN " + record.getThrown()));
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                thrown.add(String.valueOf(t.getMessage()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    /** A capture of this logger ("" for the root, where the container logs too); not attached until {@link #start}. */
    public LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
    }

    /** The library's own lines. */
    public static LogCapture library() {
        return new LogCapture("io.github.wecomcallback");
    }

    public LogCapture start() {
        logger.addHandler(handler);
        return this;
    }

    /** The lines so far; the list is live, and may be cleared between tests. */
    public List<String> lines() {
        return lines;
    }

    /** The messages of the logged exceptions and of all their causes. */
    public List<String> thrownMessages() {
        return thrown;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
