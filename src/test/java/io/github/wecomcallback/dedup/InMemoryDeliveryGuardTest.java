package io.github.wecomcallback.dedup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class InMemoryDeliveryGuardTest {
    private final AtomicLong now = new AtomicLong(42);
    private final InMemoryDeliveryGuard guard = new InMemoryDeliveryGuard(300, 1000, now::get);

    @Test
    void firstThenInProgressThenDone() {
        assertInstanceOf(DeliveryGuard.First.class, guard.claim("k"));
        assertInstanceOf(DeliveryGuard.InProgress.class, guard.claim("k"));
        guard.complete("k", new byte[] {1, 2});
        DeliveryGuard.Done done = assertInstanceOf(DeliveryGuard.Done.class, guard.claim("k"));
        assertArrayEquals(new byte[] {1, 2}, done.reply());
    }

    @Test
    void afterTheWindow_aDeliveryIsNewAgain() {
        guard.claim("k");
        guard.complete("k", new byte[0]);
        now.addAndGet(300_000_000_001L);
        assertInstanceOf(DeliveryGuard.First.class, guard.claim("k"));
    }

    @Test
    void released_isNewAgain() {
        guard.claim("k");
        guard.release("k");
        assertInstanceOf(DeliveryGuard.First.class, guard.claim("k"));
    }

    @Test
    void aFloodOfDistinctDeliveries_staysBounded() {
        for (int i = 0; i < 50_000; i++) {
            now.incrementAndGet();
            guard.claim("k" + i);
        }
        assertTrue(guard.size() <= 1001, "size " + guard.size());
        assertInstanceOf(DeliveryGuard.InProgress.class, guard.claim("k49999"), "the newest are kept");
    }
}
