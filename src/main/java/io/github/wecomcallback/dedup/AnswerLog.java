package io.github.wecomcallback.dedup;

/**
 * The answered deliveries of one window, at most {@code max} of them and {@code maxReplyBytes} of replies, in the
 * order they were answered.
 *
 * <p>Every answer is remembered for the same window, so the order of answering is also the order of expiry: a
 * ring in that order is all the bookkeeping expiry needs, and at a bound the oldest answer goes first (WeCom
 * retries within seconds: the answer given last is the one most worth keeping). Ids, expiry times and reply
 * positions live in arrays, found through an open-addressing index, and the replies' bytes in a ring of bytes
 * filled and emptied in the same order: remembering an answer creates no object, so that a full log of 100,000
 * answers is a few large arrays that the garbage collector neither copies nor traces entry by entry. Earlier a
 * general-purpose cache held five objects per answer, and copying them made every young collection of a busy
 * node ten times longer.
 *
 * <p>Thread-safe: every method holds the log's lock for a few array accesses.
 */
final class AnswerLog {
    /** The reply of a delivery answered with an empty body. */
    static final byte[] EMPTY = new byte[0];
    /** Stored, by identity, for plaintexts that went out as replies. */
    static final byte[] SENT_AS_REPLY = new byte[0];

    private static final int INITIAL_CAPACITY = 1024;
    private static final int INITIAL_REPLY_BYTES = 64 * 1024;
    private static final long FREE = 0; // an entry holds slot + 1: never 0
    /** {@link #replyLength} of a sent-as-reply record, and of a slot vacated when its id was answered anew. */
    private static final int SENT = -1;
    private static final int VACATED = -2;

    private final int max;
    private final int maxReplyBytes;
    private final long windowNanos;
    /** Slot {@code s}: the id in {@code ids[4s..4s+3]}, its expiry, and where its reply lies in {@link #bytes}. */
    private long[] ids;
    private long[] expiresAt;
    private int[] replyOffset;
    private int[] replyLength;
    /** The bytes a slot holds in the ring of bytes: its reply's, plus the end of the array it skipped to wrap. */
    private int[] footprint;
    /** The ring of slots: {@code count} slots from {@code oldest}, wrapping. */
    private int oldest;
    private int count;
    /**
     * Open addressing, linear probing: each remembered id's {@link DeliveryId#hash hash} in the high half of an entry,
     * its slot + 1 in the low half; {@link #FREE} where none. With the hash at hand a probe reads the ids only where
     * the hashes match, and a removal finds the home of the entries it moves without reading theirs: in a full log
     * the ids are nowhere in the cache, and each read of them was a miss (GuardBenchmark).
     */
    private long[] index;
    /** The ring of bytes: {@code bytesUsed} bytes up to {@code bytesTail}, wrapping. */
    private byte[] bytes = new byte[0];
    private int bytesTail;
    private int bytesUsed;
    private boolean boundReached;

    AnswerLog(int max, int maxReplyBytes, long windowNanos) {
        if (max <= 0 || max > 1 << 26 || maxReplyBytes < 0 || maxReplyBytes > 1 << 30 || windowNanos <= 0) {
            throw new IllegalArgumentException("the bounds must be positive and at most 2^26 answers and 1 GiB,"
                    + " the window positive"); // far beyond need, and no int arithmetic here can overflow
        }
        this.max = max;
        this.maxReplyBytes = maxReplyBytes;
        this.windowNanos = windowNanos;
        allocate(Math.min(max, INITIAL_CAPACITY), Math.min(maxReplyBytes, INITIAL_REPLY_BYTES));
    }

    /** The reply remembered for the id ({@link #EMPTY}, {@link #SENT_AS_REPLY} or a copy of it), or null. */
    synchronized byte[] find(DeliveryId id, long now) {
        int at = indexOf(id);
        if (at < 0) {
            return null;
        }
        int slot = slotOf(index[at]);
        if (now - expiresAt[slot] >= 0) {
            return null;
        }
        int length = replyLength[slot];
        if (length == SENT) {
            return SENT_AS_REPLY;
        }
        if (length == 0) {
            return EMPTY;
        }
        byte[] reply = new byte[length];
        System.arraycopy(bytes, replyOffset[slot], reply, 0, length);
        return reply;
    }

    /**
     * The longest reply remembered: a 64th of the bytes, so that one long reply never forgets more than a 64th of
     * the others. WeCom's passive replies are a few KiB at most.
     */
    int longestReply() {
        return maxReplyBytes / 64;
    }

    /**
     * Remembers the reply for the id, replacing what was remembered for it; a reply longer than
     * {@link #longestReply()} is not remembered (and what was remembered for the id is forgotten).
     *
     * @return true when a bound made it forget an answer before its window ended, for the first time
     */
    synchronized boolean put(DeliveryId id, byte[] reply, long now) {
        int at = indexOf(id);
        if (at >= 0) {
            vacate(at);
        }
        return reply.length <= longestReply() && append(id, reply, now);
    }

    /** Records that the plaintext with this id went out as a reply, unless something unexpired is remembered for it. */
    synchronized boolean putSentAsReply(DeliveryId id, long now) {
        int at = indexOf(id);
        if (at >= 0) {
            if (now - expiresAt[slotOf(index[at])] < 0) {
                return false;
            }
            vacate(at);
        }
        return append(id, SENT_AS_REPLY, now);
    }

    /** Answers remembered, expired ones not yet forgotten included. */
    synchronized int size() {
        int size = 0;
        for (long entry : index) {
            size += entry == FREE ? 0 : 1;
        }
        return size;
    }

    /** Bytes of the ring of bytes in use, the ends skipped to wrap included. */
    synchronized int replyBytes() {
        return bytesUsed;
    }

    private boolean append(DeliveryId id, byte[] reply, long now) {
        int length = reply == SENT_AS_REPLY ? 0 : reply.length;
        boolean forgotUnexpired = forget(now, length);
        if (count == ids.length / 4) {
            allocate(Math.min(max, 2 * count), bytes.length); // more slots; the bytes stay where they are
        }
        int slot = (oldest + count) % (ids.length / 4);
        count++;
        ids[4 * slot] = id.w0;
        ids[4 * slot + 1] = id.w1;
        ids[4 * slot + 2] = id.w2;
        ids[4 * slot + 3] = id.w3;
        expiresAt[slot] = now + windowNanos;
        replyLength[slot] = reply == SENT_AS_REPLY ? SENT : length;
        int footprintNow = footprintOf(length);
        int offset = bytesTail + length <= bytes.length ? bytesTail : 0; // else it wraps to the start
        System.arraycopy(reply, 0, bytes, offset, length);
        replyOffset[slot] = offset;
        footprint[slot] = footprintNow;
        bytesTail = offset + length;
        bytesUsed += footprintNow;
        int hash = DeliveryId.hash(id.w0);
        index[freePosition(hash)] = entry(hash, slot);
        if (forgotUnexpired && !boundReached) {
            boundReached = true;
            return true;
        }
        return false;
    }

    /** The bytes a reply of this length would take at the tail now: its own, plus the end skipped to wrap. */
    private int footprintOf(int length) {
        return bytesTail + length <= bytes.length ? length : length + bytes.length - bytesTail;
    }

    /**
     * Forgets the expired answers, then the oldest ones while the log is full or the reply of this length does
     * not fit (growing the ring of bytes first where its bound allows); true if one of those had not expired.
     */
    private boolean forget(long now, int length) {
        while (count > 0 && now - expiresAt[oldest] >= 0) {
            forgetOldest();
        }
        boolean unexpired = false;
        while (count == max || bytesUsed + footprintOf(length) > bytes.length) {
            if (count < max && bytes.length < maxReplyBytes) {
                allocate(ids.length / 4, (int) Math.min(maxReplyBytes, Math.max(2L * bytes.length,
                        (long) bytesUsed + length)));
                continue;
            }
            unexpired |= replyLength[oldest] != VACATED;
            forgetOldest();
        }
        return unexpired;
    }

    private void forgetOldest() {
        if (replyLength[oldest] != VACATED) {
            vacate(indexOf(ids[4 * oldest], ids[4 * oldest + 1], ids[4 * oldest + 2], ids[4 * oldest + 3]));
        }
        bytesUsed -= footprint[oldest];
        oldest = (oldest + 1) % (ids.length / 4);
        count--;
        if (count == 0) {
            bytesTail = 0; // nothing left to keep in order: the whole ring of bytes is free from its start
            bytesUsed = 0;
        }
    }

    private int indexOf(DeliveryId id) {
        return indexOf(id.w0, id.w1, id.w2, id.w3);
    }

    /** The index position holding this id, or -1. */
    private int indexOf(long w0, long w1, long w2, long w3) {
        int hash = DeliveryId.hash(w0);
        int mask = index.length - 1;
        for (int at = hash & mask;; at = (at + 1) & mask) {
            long entry = index[at];
            if (entry == FREE) {
                return -1;
            }
            int slot = slotOf(entry);
            if (hashOf(entry) == hash && ids[4 * slot] == w0 && ids[4 * slot + 1] == w1 && ids[4 * slot + 2] == w2
                    && ids[4 * slot + 3] == w3) {
                return at;
            }
        }
    }

    /** The first free index position from the home of this hash on. */
    private int freePosition(int hash) {
        int mask = index.length - 1;
        int at = hash & mask;
        while (index[at] != FREE) {
            at = (at + 1) & mask;
        }
        return at;
    }

    private static long entry(int hash, int slot) {
        return (long) hash << 32 | (slot + 1);
    }

    private static int hashOf(long entry) {
        return (int) (entry >>> 32);
    }

    private static int slotOf(long entry) {
        return (int) entry - 1;
    }

    /**
     * Removes an id from the index and marks its slot vacated (its bytes stay in the ring until it is forgotten).
     * Linear probing without tombstones: the entries after the hole that would no longer be found from their home
     * position move back into it.
     */
    private void vacate(int at) {
        replyLength[slotOf(index[at])] = VACATED;
        int mask = index.length - 1;
        int hole = at;
        for (int next = (hole + 1) & mask; index[next] != FREE; next = (next + 1) & mask) {
            int home = hashOf(index[next]) & mask;
            // Movable when its home is not cyclically within (hole, next].
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                index[hole] = index[next];
                hole = next;
            }
        }
        index[hole] = FREE;
    }

    /**
     * Moves the ring of slots into arrays of this many slots, oldest first from the start, and rebuilds the index.
     * With a new byte capacity the ring of bytes moves too, its replies laid end to end from the start (the ends
     * skipped to wrap and the bytes of vacated slots dropped); with the same one it stays as it is.
     */
    private void allocate(int capacity, int byteCapacity) {
        boolean moveBytes = byteCapacity != bytes.length;
        long[] newIds = new long[4 * capacity];
        long[] newExpiresAt = new long[capacity];
        int[] newOffset = new int[capacity];
        int[] newLength = new int[capacity];
        int[] newFootprint = new int[capacity];
        byte[] newBytes = moveBytes ? new byte[byteCapacity] : bytes;
        int tail = 0;
        for (int i = 0; i < count; i++) {
            int from = (oldest + i) % (ids.length / 4);
            System.arraycopy(ids, 4 * from, newIds, 4 * i, 4);
            newExpiresAt[i] = expiresAt[from];
            newLength[i] = replyLength[from];
            if (moveBytes) {
                int length = Math.max(0, replyLength[from]);
                System.arraycopy(bytes, replyOffset[from], newBytes, tail, length);
                newOffset[i] = tail;
                newFootprint[i] = length;
                tail += length;
            } else {
                newOffset[i] = replyOffset[from];
                newFootprint[i] = footprint[from];
            }
        }
        ids = newIds;
        expiresAt = newExpiresAt;
        replyOffset = newOffset;
        replyLength = newLength;
        footprint = newFootprint;
        if (moveBytes) {
            bytes = newBytes;
            bytesTail = tail;
            bytesUsed = tail;
        }
        oldest = 0;
        index = new long[Integer.highestOneBit(capacity - 1 | 1) << 2]; // at most half full
        for (int slot = 0; slot < count; slot++) {
            if (replyLength[slot] != VACATED) {
                int hash = DeliveryId.hash(ids[4 * slot]);
                index[freePosition(hash)] = entry(hash, slot);
            }
        }
    }
}
