package io.github.wecomcallback.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The log's open-addressing index against a plain model of the same ring (a deque and a map), on random
 * operations over ids made to collide: a few first words, so that many ids share a home position, some of them
 * their hash too.
 */
class AnswerLogTest {
    private static final long WINDOW = 1_000;

    /** The model: the ring as a deque of entries, the live ones also in a map. */
    private static final class Model {
        final class Entry {
            final DeliveryId id;
            final byte[] reply;
            final long expiresAt;
            boolean live = true;

            Entry(DeliveryId id, byte[] reply, long expiresAt) {
                this.id = id;
                this.reply = reply;
                this.expiresAt = expiresAt;
            }
        }

        final int max;
        final ArrayDeque<Entry> ring = new ArrayDeque<>();
        final Map<DeliveryId, Entry> live = new HashMap<>();
        boolean boundReached;

        Model(int max) {
            this.max = max;
        }

        byte[] find(DeliveryId id, long now) {
            Entry e = live.get(id);
            return e == null || now - e.expiresAt >= 0 ? null : e.reply;
        }

        boolean put(DeliveryId id, byte[] reply, long now, boolean ifAbsent) {
            Entry known = live.get(id);
            if (known != null) {
                if (ifAbsent && now - known.expiresAt < 0) {
                    return false;
                }
                known.live = false;
                live.remove(id);
            }
            boolean forgotUnexpired = false;
            while (!ring.isEmpty() && now - ring.peekFirst().expiresAt >= 0) {
                forget();
            }
            if (ring.size() == max) {
                forgotUnexpired = ring.peekFirst().live;
                forget();
            }
            Entry entry = new Entry(id, reply, now + WINDOW);
            ring.addLast(entry);
            live.put(id, entry);
            if (forgotUnexpired && !boundReached) {
                boundReached = true;
                return true;
            }
            return false;
        }

        private void forget() {
            Entry oldest = ring.pollFirst();
            if (oldest.live) {
                live.remove(oldest.id);
            }
        }
    }

    private static DeliveryId collidingId(SplittableRandom random) {
        // First words from a set of 24: eight with the same hash (0), so that a probe has to compare the ids
        // themselves; eight with their home at 0 too but hashes that differ above any index's mask; eight spread
        // over the index, some hashes negative, so that a removal meets entries it may move and entries it may not.
        int k = random.nextInt(8);
        long w0 = switch (random.nextInt(3)) {
            case 0 -> k * 0x1_0000_0001L;
            case 1 -> (long) (k + 1) << 27;
            default -> (k + 1) * 0x9E37_79B9_7F4A_7C15L;
        };
        return new DeliveryId(w0, random.nextInt(40), 7, random.nextInt(3));
    }

    @Test
    void agreesWithTheModel_onRandomOperations_overCollidingIds() {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int max = 1 + random.nextInt(random.nextBoolean() ? 40 : 3000); // often full, often growing
            int pace = random.nextBoolean() ? 3 : 30; // answers expiring slowly or fast
            AnswerLog log = new AnswerLog(max, 1 << 20, WINDOW); // the byte bound never binds here
            Model model = new Model(max);
            long now = random.nextLong();
            for (int step = 0; step < 3000; step++) {
                DeliveryId id = collidingId(random);
                now += random.nextInt(pace);
                String where = "seed " + seed + " step " + step;
                switch (random.nextInt(4)) {
                    case 0 -> assertSameReply(model.find(id, now), log.find(id, now), where);
                    case 1 -> {
                        byte[] reply = random.nextBoolean() ? AnswerLog.EMPTY : new byte[] {(byte) step};
                        assertEquals(model.put(id, reply, now, false), log.put(id, reply, now), where);
                    }
                    case 2 -> assertEquals(model.put(id, AnswerLog.SENT_AS_REPLY, now, true),
                            log.putSentAsReply(id, now), where);
                    default -> assertEquals(model.live.size(), log.size(), where);
                }
            }
            for (DeliveryId id : model.live.keySet()) {
                assertSameReply(model.find(id, now), log.find(id, now), "seed " + seed + " at the end");
            }
        }
    }

    /** Sentinels by identity, replies by content: the log hands out copies. */
    private static void assertSameReply(byte[] expected, byte[] actual, String where) {
        if (expected == null || expected == AnswerLog.SENT_AS_REPLY || expected.length == 0) {
            assertSame(expected, actual, where);
        } else {
            assertArrayEquals(expected, actual, where);
        }
    }

    /** One operation on the log, for the walk back from the newest. */
    private record Op(DeliveryId id, byte[] expected, int length, boolean appended, long at) {
    }

    @Test
    void underTheBounds_theNewestAnswersAreAllFound_asLastPut_andTheBytesStayBounded() {
        for (long seed = 1; seed <= 100; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int maxBytes = 64 + random.nextInt(20_000);
            int max = 1 + random.nextInt(400);
            AnswerLog log = new AnswerLog(max, maxBytes, WINDOW);
            int longest = log.longestReply();
            java.util.List<Op> ops = new java.util.ArrayList<>();
            long now = 0;
            for (int step = 0; step < 1500; step++) {
                String where = "seed " + seed + " step " + step;
                DeliveryId id = collidingId(random);
                now += random.nextInt(3);
                if (random.nextInt(5) == 0) {
                    boolean known = log.find(id, now) != null;
                    log.putSentAsReply(id, now);
                    if (!known) { // recorded only where nothing unexpired is remembered
                        ops.add(new Op(id, AnswerLog.SENT_AS_REPLY, 0, true, now));
                    }
                } else {
                    byte[] reply = new byte[random.nextInt(random.nextInt(10) == 0 ? 2 * longest + 2 : longest + 1)];
                    random.nextBytes(reply);
                    log.put(id, reply, now);
                    boolean kept = reply.length <= longest;
                    ops.add(new Op(id, kept ? (reply.length == 0 ? AnswerLog.EMPTY : reply) : null, reply.length,
                            kept, now));
                }
                assertTrue(log.replyBytes() <= maxBytes, where + ": " + log.replyBytes() + " bytes");
                assertTrue(log.size() <= max, where + ": " + log.size() + " answers");
                if (step % 25 != 0) {
                    continue; // the walk below is the expensive part: every 25th step
                }
                // Walk back from the newest: while the slots fit the count bound, the replies fit the bytes (with
                // room for the one end skipped to wrap) and nothing expired, each id's last operation is what is found.
                java.util.Set<DeliveryId> seen = new java.util.HashSet<>();
                int slots = 0;
                long bytes = longest;
                for (int i = ops.size() - 1; i >= 0; i--) {
                    Op op = ops.get(i);
                    if (op.appended && (slots + 1 > max || bytes + op.length > maxBytes)) {
                        break;
                    }
                    if (now - (op.at + WINDOW) >= 0) {
                        break;
                    }
                    if (op.appended) {
                        slots++;
                        bytes += op.length;
                    }
                    if (seen.add(op.id)) {
                        assertSameReply(op.expected, log.find(op.id, now), where + ", " + (ops.size() - i) + " back");
                    }
                }
            }
        }
    }

    @Test
    void aFullLog_forgetsTheOldestFirst_andSaysSoOnce() {
        AnswerLog log = new AnswerLog(3, 100, WINDOW);
        DeliveryId[] ids = new DeliveryId[5];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = new DeliveryId(i, i, i, i);
        }
        assertFalse(log.put(ids[0], AnswerLog.EMPTY, 0));
        assertFalse(log.put(ids[1], AnswerLog.EMPTY, 1));
        assertFalse(log.put(ids[2], AnswerLog.EMPTY, 2));
        assertTrue(log.put(ids[3], AnswerLog.EMPTY, 3), "the first answer forgotten before its window ended");
        assertFalse(log.put(ids[4], AnswerLog.EMPTY, 4), "said once");
        assertNull(log.find(ids[0], 5));
        assertNull(log.find(ids[1], 5));
        assertSame(AnswerLog.EMPTY, log.find(ids[2], 5));
        assertSame(AnswerLog.EMPTY, log.find(ids[4], 5));
    }

    @Test
    void grows_fromASmallStart_toTheBound_keepingEveryAnswer() {
        AnswerLog log = new AnswerLog(100_000, 1 << 20, Long.MAX_VALUE / 4);
        for (int i = 0; i < 100_000; i++) {
            assertFalse(log.put(new DeliveryId(i * 0x9E3779B97F4A7C15L, i, 0, 0), new byte[] {(byte) i}, i));
        }
        assertEquals(100_000, log.size());
        for (int i = 0; i < 100_000; i++) {
            byte[] reply = log.find(new DeliveryId(i * 0x9E3779B97F4A7C15L, i, 0, 0), 100_000);
            assertEquals((byte) i, reply[0], "answer " + i);
        }
    }
}
