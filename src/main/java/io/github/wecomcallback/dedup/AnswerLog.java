package io.github.wecomcallback.dedup;

/**
 * The answered deliveries of one window, at most {@code max} of them, in the order they were answered.
 *
 * <p>Every answer is remembered for the same window, so the order of answering is also the order of expiry: a
 * ring in that order is all the bookkeeping expiry needs, and at the bound the oldest answer goes first (WeCom
 * retries within seconds: the answer given last is the one most worth keeping). Ids, expiry times and replies
 * live in arrays, found through an open-addressing index: remembering an answer creates no object (an empty reply
 * is shared), so that a full log of 100,000 answers is a few arrays the garbage collector neither copies nor
 * traces entry by entry. Earlier a general-purpose cache held an entry of five objects per answer, and copying
 * them made every young collection of a busy node ten times longer.
 *
 * <p>Thread-safe: every method holds the log's lock for a few array accesses.
 */
final class AnswerLog {
    /** The reply of a delivery answered with an empty body. */
    static final byte[] EMPTY = new byte[0];
    /** Stored, by identity, for plaintexts that went out as replies. */
    static final byte[] SENT_AS_REPLY = new byte[0];

    private static final int INITIAL_CAPACITY = 1024;
    private static final int FREE = 0;

    private final int max;
    private final long windowNanos;
    /** Slot {@code s} holds the id in {@code ids[4s..4s+3]}, its expiry and its reply (null: a vacated slot). */
    private long[] ids;
    private long[] expiresAt;
    private byte[][] replies;
    /** The ring: {@code count} slots from {@code oldest}, wrapping. */
    private int oldest;
    private int count;
    /** Open addressing, linear probing: slot + 1 of each remembered id, {@link #FREE} where none. */
    private int[] index;
    private boolean boundReached;

    AnswerLog(int max, long windowNanos) {
        if (max <= 0 || windowNanos <= 0) {
            throw new IllegalArgumentException("the bound and the window must be positive");
        }
        this.max = max;
        this.windowNanos = windowNanos;
        allocate(Math.min(max, INITIAL_CAPACITY));
    }

    /** The reply remembered for the id ({@link #EMPTY}, {@link #SENT_AS_REPLY} or the bytes), or null. */
    synchronized byte[] find(DeliveryId id, long now) {
        int at = indexOf(id);
        if (at < 0) {
            return null;
        }
        int slot = index[at] - 1;
        return now - expiresAt[slot] >= 0 ? null : replies[slot];
    }

    /**
     * Remembers the reply for the id, replacing what was remembered for it.
     *
     * @return true when the bound made it forget an answer before its window ended, for the first time
     */
    synchronized boolean put(DeliveryId id, byte[] reply, long now) {
        int at = indexOf(id);
        if (at >= 0) {
            vacate(at);
        }
        return append(id, reply, now);
    }

    /** Remembers the reply for the id unless something unexpired is remembered for it; the same return value. */
    synchronized boolean putIfAbsent(DeliveryId id, byte[] reply, long now) {
        int at = indexOf(id);
        if (at >= 0) {
            if (now - expiresAt[index[at] - 1] < 0) {
                return false;
            }
            vacate(at);
        }
        return append(id, reply, now);
    }

    /** Answers remembered, expired ones not yet forgotten included. */
    synchronized int size() {
        int size = 0;
        for (int at : index) {
            size += at == FREE ? 0 : 1;
        }
        return size;
    }

    private boolean append(DeliveryId id, byte[] reply, long now) {
        boolean forgotUnexpired = forget(now);
        if (count == ids.length / 4) {
            allocate(Math.min(max, 2 * count));
        }
        int slot = (oldest + count) % (ids.length / 4);
        count++;
        ids[4 * slot] = id.w0;
        ids[4 * slot + 1] = id.w1;
        ids[4 * slot + 2] = id.w2;
        ids[4 * slot + 3] = id.w3;
        expiresAt[slot] = now + windowNanos;
        replies[slot] = reply;
        int at = DeliveryId.hash(id.w0) & (index.length - 1);
        while (index[at] != FREE) {
            at = (at + 1) & (index.length - 1);
        }
        index[at] = slot + 1;
        if (forgotUnexpired && !boundReached) {
            boundReached = true;
            return true;
        }
        return false;
    }

    /** Forgets the expired answers, and the oldest one when the log is full; true if that one had not expired. */
    private boolean forget(long now) {
        while (count > 0 && now - expiresAt[oldest] >= 0) {
            forgetOldest();
        }
        if (count == max) {
            boolean unexpired = replies[oldest] != null;
            forgetOldest();
            return unexpired;
        }
        return false;
    }

    private void forgetOldest() {
        if (replies[oldest] != null) { // else vacated when its id was answered anew
            vacate(indexOf(ids[4 * oldest], ids[4 * oldest + 1], ids[4 * oldest + 2], ids[4 * oldest + 3]));
        }
        oldest = (oldest + 1) % (ids.length / 4);
        count--;
    }

    private int indexOf(DeliveryId id) {
        return indexOf(id.w0, id.w1, id.w2, id.w3);
    }

    /** The index position holding this id, or -1. */
    private int indexOf(long w0, long w1, long w2, long w3) {
        int mask = index.length - 1;
        for (int at = DeliveryId.hash(w0) & mask; index[at] != FREE; at = (at + 1) & mask) {
            int slot = index[at] - 1;
            if (ids[4 * slot] == w0 && ids[4 * slot + 1] == w1 && ids[4 * slot + 2] == w2 && ids[4 * slot + 3] == w3) {
                return at;
            }
        }
        return -1;
    }

    /**
     * Removes an id from the index and marks its slot vacated. Linear probing without tombstones: the entries
     * after the hole that would no longer be found from their home position move back into it.
     */
    private void vacate(int at) {
        replies[index[at] - 1] = null;
        int mask = index.length - 1;
        int hole = at;
        for (int next = (hole + 1) & mask; index[next] != FREE; next = (next + 1) & mask) {
            int slot = index[next] - 1;
            int home = DeliveryId.hash(ids[4 * slot]) & mask;
            // Movable when its home is not cyclically within (hole, next].
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                index[hole] = index[next];
                hole = next;
            }
        }
        index[hole] = FREE;
    }

    /** Moves the ring into arrays of this many slots, oldest first, and rebuilds the index. */
    private void allocate(int capacity) {
        long[] newIds = new long[4 * capacity];
        long[] newExpiresAt = new long[capacity];
        byte[][] newReplies = new byte[capacity][];
        int[] newIndex = new int[Integer.highestOneBit(capacity - 1 | 1) << 2]; // at most half full
        for (int i = 0; i < count; i++) {
            int from = (oldest + i) % (ids.length / 4);
            System.arraycopy(ids, 4 * from, newIds, 4 * i, 4);
            newExpiresAt[i] = expiresAt[from];
            newReplies[i] = replies[from];
        }
        ids = newIds;
        expiresAt = newExpiresAt;
        replies = newReplies;
        index = newIndex;
        oldest = 0;
        int mask = newIndex.length - 1;
        for (int slot = 0; slot < count; slot++) {
            if (replies[slot] != null) {
                int at = DeliveryId.hash(ids[4 * slot]) & mask;
                while (index[at] != FREE) {
                    at = (at + 1) & mask;
                }
                index[at] = slot + 1;
            }
        }
    }
}
