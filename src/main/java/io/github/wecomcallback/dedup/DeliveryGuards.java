package io.github.wecomcallback.dedup;

import java.time.Duration;

/** Builds the duplicate guard a filter's configuration asks for. */
public final class DeliveryGuards {
    private DeliveryGuards() {
    }

    /**
     * The in-memory guard, or (with a Redis URL) the Redis guard in front of it. The Redis guard is loaded by
     * name, so that the Redis client is needed only where Redis is configured.
     *
     * @throws IllegalStateException if Redis is configured but its client is not on the class path
     */
    public static DeliveryGuard create(RedisUrl redisUrl, Duration window, Duration lease, Duration retryWait,
            int maxAnswered) {
        InMemoryDeliveryGuard local = new InMemoryDeliveryGuard(window, retryWait, maxAnswered);
        if (redisUrl == null) {
            return local;
        }
        try {
            Class.forName("redis.clients.jedis.JedisPooled", false, DeliveryGuards.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("redisUrl is set, but the Redis client is not on the class path: add"
                    + " redis.clients:jedis 5.x (the WAR bundles it)", e);
        }
        RedisDeliveryGuard redis = new RedisDeliveryGuard(redisUrl, local, window, lease, retryWait);
        redis.ping();
        return redis;
    }
}
