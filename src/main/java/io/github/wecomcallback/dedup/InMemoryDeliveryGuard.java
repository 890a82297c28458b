package io.github.wecomcallback.dedup;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A {@link DeliveryGuard} for one node: entries live for the window, and the map never holds more than
 * {@code maxEntries} (the oldest are dropped first when a flood of distinct deliveries arrives).
 */
public final class InMemoryDeliveryGuard implements DeliveryGuard {
    private final long windowNanos;
    private final int maxEntries;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(long expires, byte[] reply) {
    }

    public InMemoryDeliveryGuard(long windowSeconds, int maxEntries) {
        this(windowSeconds, maxEntries, System::nanoTime);
    }

    InMemoryDeliveryGuard(long windowSeconds, int maxEntries, LongSupplier nanoTime) {
        if (windowSeconds <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("window and capacity must be positive");
        }
        this.windowNanos = windowSeconds * 1_000_000_000L;
        this.maxEntries = maxEntries;
        this.nanoTime = nanoTime;
    }

    @Override
    public Claim claim(String key) {
        long now = nanoTime.getAsLong();
        Entry fresh = new Entry(now + windowNanos, null);
        Entry[] previous = new Entry[1];
        entries.compute(key, (k, existing) -> {
            if (existing != null && existing.expires - now > 0) {
                previous[0] = existing;
                return existing;
            }
            return fresh;
        });
        if (previous[0] == null) {
            evictIfFull(now);
            return new First();
        }
        return previous[0].reply == null ? new InProgress() : new Done(previous[0].reply.clone());
    }

    @Override
    public void complete(String key, byte[] reply) {
        entries.computeIfPresent(key, (k, entry) -> new Entry(entry.expires, reply.clone()));
    }

    @Override
    public void release(String key) {
        entries.remove(key);
    }

    @Override
    public String toString() {
        return "in memory";
    }

    int size() {
        return entries.size();
    }

    private void evictIfFull(long now) {
        if (entries.size() <= maxEntries) {
            return;
        }
        entries.values().removeIf(entry -> entry.expires - now <= 0);
        // Still full: a flood of distinct deliveries. Drop the entries that expire soonest.
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().stream()
                .sorted((a, b) -> Long.compare(a.getValue().expires, b.getValue().expires))
                .limit(Math.max(0, entries.size() - maxEntries + maxEntries / 10))
                .toList().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry> oldest = it.next();
            entries.remove(oldest.getKey(), oldest.getValue());
        }
    }
}
