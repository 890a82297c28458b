package io.github.wecomcallback.crypto;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * Reusable objects that are not thread-safe (ciphers, digests, MACs, random generators), shared by every thread: each
 * is taken for one use and given back. Not thread-locals, for two reasons measured here: on virtual threads (one per
 * request) a thread-local is made anew for every callback, which made a callback's cryptography about three times as
 * costly (getInstance, key expansion and DRBG seeding each time; a one-off probe with Java 25); and a value left in a container's threads keeps a
 * redeployed application's class loader alive.
 *
 * <p>A thread looks first at a slot chosen by its id, then at a few next to it, so that threads rarely meet on one
 * slot. When it finds none filled, it makes a new object; when it finds none empty on the way back, the object is
 * dropped: the pool never blocks and never grows past its slots.
 */
final class ObjectPool<T> {
    /** Slots looked at before giving up: a few cache lines' worth. */
    private static final int PROBES = 4;

    private final AtomicReferenceArray<T> slots;
    private final int mask;
    private final Supplier<T> factory;

    /** A pool of {@code 4 × cores} slots (a power of two, at least 8). */
    ObjectPool(Supplier<T> factory) {
        this(factory, Math.max(8, Integer.highestOneBit(4 * Runtime.getRuntime().availableProcessors() - 1) << 1));
    }

    ObjectPool(Supplier<T> factory, int slots) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("the number of slots must be a power of two, got " + slots);
        }
        this.slots = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
        this.factory = factory;
    }

    /** An object for this thread's sole use until {@link #give}; made by the factory when the pool has none free. */
    T take() {
        int start = start();
        for (int i = 0; i < PROBES; i++) {
            int slot = (start + i) & mask;
            T object = slots.get(slot);
            if (object != null && slots.compareAndSet(slot, object, null)) {
                return object;
            }
        }
        return factory.get();
    }

    /** Gives back an object taken before, in a state fit for the next use; dropped when the pool is full. */
    void give(T object) {
        int start = start();
        for (int i = 0; i < PROBES; i++) {
            if (slots.compareAndSet((start + i) & mask, null, object)) {
                return;
            }
        }
    }

    /** Objects the pool holds now (for tests). */
    int size() {
        int size = 0;
        for (int i = 0; i < slots.length(); i++) {
            size += slots.get(i) != null ? 1 : 0;
        }
        return size;
    }

    @SuppressWarnings("deprecation") // Thread.threadId() is Java 19+; getId() is the same number
    private int start() {
        long id = Thread.currentThread().getId();
        return (int) (id ^ (id >>> 32)) * 0x9E3779B9 >>> 16; // spread consecutive ids over the slots
    }
}
