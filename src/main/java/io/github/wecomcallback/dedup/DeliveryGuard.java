package io.github.wecomcallback.dedup;

/**
 * Remembers deliveries, so that WeCom's retries of a callback (it resends when it got no 200 within 5 s,
 * three times, about 5 s apart) are answered like the first delivery instead of running the application
 * again, and so that nothing is lost when a run fails or its node dies.
 *
 * <p>A delivery is either unknown, <em>running</em> under a lease, or <em>answered</em> with a reply:
 * <ul>
 * <li>{@link #claim} of an unknown delivery (or one whose run failed, or whose lease lapsed because its node
 * died) returns a {@link Lease}: the caller runs the application, then {@link Lease#complete completes} it with
 * the reply or {@link Lease#release releases} it on failure. While the caller runs, the lease is kept alive;
 * a lease not kept alive lapses after a few seconds.</li>
 * <li>{@link #claim} of a running delivery waits, for a bounded time, for the run's outcome: its reply
 * ({@link Answered}), or its failure, in which case this caller gets the lease and runs the application
 * itself. If the run is still going when the wait ends: {@link Busy}, to be answered so that WeCom retries.</li>
 * <li>{@link #claim} of an answered delivery returns its reply at once, for as long as the window lasts.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface DeliveryGuard extends AutoCloseable {

    /** What a caller may do with a delivery. */
    sealed interface Claim permits Lease, Answered, Busy, Reflected {
    }

    /** The caller owns the delivery: it must run the application, then call exactly one of the two methods. */
    non-sealed interface Lease extends Claim {
        /** The run succeeded with this plaintext reply (empty for none): retries get the same. */
        void complete(byte[] reply);

        /** The run failed: forget it, so that WeCom's retry (here or on another node) runs the application again. */
        void release();
    }

    /** Answered before: the plaintext reply of that run (empty for none). */
    record Answered(byte[] reply) implements Claim {
    }

    /** Still running elsewhere after the wait: answer so that WeCom tries again. */
    record Busy() implements Claim {
    }

    /**
     * Not a delivery at all: one of the filter's own replies, posted back. WeCom's protocol signs and encrypts
     * replies with the same token, key and receive id as callbacks, so a captured reply verifies as a callback;
     * only memory of what went out tells them apart.
     */
    record Reflected() implements Claim {
    }

    /**
     * Remembers, for the window, that the plaintext with this id went out as an encrypted reply: should it ever
     * come back as a callback, {@link #claim} returns {@link Reflected}. Never overrides what is known of a
     * delivery with the same id.
     */
    void recordReply(DeliveryId id);
    /**
     * Claims the delivery with this id, waiting for a running one's outcome for at most the guard's retry wait.
     *
     * @param id identifies the application and the delivery (see {@link DeliveryKeys})
     */
    Claim claim(DeliveryId id) throws InterruptedException;

    /** Releases connections and threads, if any. */
    @Override
    default void close() {
    }
}
