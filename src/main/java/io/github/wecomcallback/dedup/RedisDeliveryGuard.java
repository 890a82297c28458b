package io.github.wecomcallback.dedup;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * A {@link DeliveryGuard} shared by several nodes through Redis, for deployments where WeCom's retry may reach
 * another node than the first delivery. One key per delivery, {@code SET NX PX} to claim it (atomic across
 * nodes), expiring after the window.
 *
 * <p>When Redis cannot be reached the guard fails open: the application runs (a duplicate is better than a
 * lost message) and a WARNING, at most once a minute, says so.
 */
public final class RedisDeliveryGuard implements DeliveryGuard {
    private static final Logger LOG = System.getLogger("io.github.wecomcallback");
    private static final String PREFIX = "wecom-callback:delivery:";
    private static final String IN_PROGRESS = "P";
    private static final String DONE = "D";
    private static final long WARNING_INTERVAL_NANOS = 60_000_000_000L;

    private final JedisPooled redis;
    private final long windowMillis;
    private final String where;
    private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS - 1);

    /**
     * @param redisUrl {@code redis://[:password@]host:port[/db]} or {@code rediss://...} for TLS
     * @throws IllegalArgumentException if the URL is not a Redis URL
     */
    public RedisDeliveryGuard(String redisUrl, long windowSeconds) {
        URI uri = parse(redisUrl);
        this.redis = new JedisPooled(uri);
        this.windowMillis = windowSeconds * 1000;
        this.where = describe(uri);
    }

    /** {@code host:port/db} of a Redis URL, without its password: safe to log. */
    public static String describe(String redisUrl) {
        return describe(parse(redisUrl));
    }

    private static String describe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort())
                + (uri.getPath() == null || uri.getPath().isEmpty() ? "" : uri.getPath());
    }

    private static URI parse(String redisUrl) {
        URI uri;
        try {
            uri = URI.create(redisUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL (expected redis://host:6379/0)", e);
        }
        if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected redis://host:port/db or rediss://host:port/db");
        }
        return uri;
    }

    /** Checks that Redis answers; false (with a WARNING) when it does not. */
    public boolean ping() {
        try {
            redis.ping();
            return true;
        } catch (JedisException e) {
            warn("Redis at " + where + " does not answer (" + e.getMessage() + ")");
            return false;
        }
    }

    @Override
    public Claim claim(String key) {
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                String ok = redis.set(PREFIX + key, IN_PROGRESS, SetParams.setParams().nx().px(windowMillis));
                if ("OK".equals(ok)) {
                    return new First();
                }
                String value = redis.get(PREFIX + key);
                if (value == null) {
                    continue; // expired between SET and GET: claim again
                }
                if (value.startsWith(DONE)) {
                    return new Done(Base64.getDecoder().decode(value.substring(DONE.length())));
                }
                return new InProgress();
            }
            return new First();
        } catch (JedisException | IllegalArgumentException e) {
            warn("cannot use Redis at " + where + " (" + e.getMessage() + ")");
            return new First();
        }
    }

    @Override
    public void complete(String key, byte[] reply) {
        try {
            redis.set(PREFIX + key, DONE + Base64.getEncoder().encodeToString(reply),
                    SetParams.setParams().xx().px(windowMillis));
        } catch (JedisException e) {
            warn("cannot record an answered delivery in Redis at " + where + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public void release(String key) {
        try {
            redis.del(PREFIX + key);
        } catch (JedisException e) {
            warn("cannot release a failed delivery in Redis at " + where + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public void close() {
        redis.close();
    }

    @Override
    public String toString() {
        return "Redis at " + where;
    }

    private void warn(String problem) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (now - last > WARNING_INTERVAL_NANOS && lastWarning.compareAndSet(last, now)) {
            LOG.log(Level.WARNING, "WeComCallbackFilter duplicate guard: " + problem + ". Callbacks are still"
                    + " handled, but a retry reaching another node may run the application twice until Redis is"
                    + " back. Logged at most once a minute.");
        }
    }
}
