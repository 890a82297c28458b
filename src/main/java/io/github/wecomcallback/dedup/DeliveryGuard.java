package io.github.wecomcallback.dedup;

/**
 * Remembers deliveries for a while, so that WeCom's retries of a callback (it resends when it got no answer
 * within 5 s, up to 3 times) are answered like the first delivery instead of running the application again.
 * Implementations are thread-safe.
 */
public interface DeliveryGuard extends AutoCloseable {

    /** What is known about a delivery when it arrives. */
    sealed interface Claim permits First, InProgress, Done {
    }

    /** Not seen before: the caller now owns it and must call {@link #complete} or {@link #release}. */
    record First() implements Claim {
    }

    /** Seen before and still being handled by the first delivery. */
    record InProgress() implements Claim {
    }

    /** Seen before and answered: the plaintext reply of the first delivery (empty for none). */
    record Done(byte[] reply) implements Claim {
    }

    /** Claims the delivery with this key, or says what is known of it. */
    Claim claim(String key);

    /** The first delivery was answered with this plaintext reply; retries get the same. */
    void complete(String key, byte[] reply);

    /** The first delivery failed: forget it, so that WeCom's retry runs the application again. */
    void release(String key);

    /** Releases connections, if any. */
    @Override
    default void close() {
    }
}
