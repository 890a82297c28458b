package io.github.wecomcallback.dedup;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * A {@link DeliveryGuard} shared by several nodes through Redis, for deployments where WeCom's retry may reach
 * another node than the first delivery. Redis is a shared cache in front of this node's own
 * {@link InMemoryDeliveryGuard}, never a single point of failure:
 *
 * <ul>
 * <li>Every claim is made in memory first (retries reaching this node are recognised even while Redis is down),
 * then in Redis with {@code SET NX PX}: a running delivery is {@code R<owner>} with a lease of a few seconds,
 * renewed every third of it while the application runs; an answered one is {@code D<reply>} for the window.
 * Renewal and release check the owner atomically (a small Lua script), so a node never renews or deletes a
 * lease another node has since taken.</li>
 * <li>A delivery running on another node is polled until it is answered (its reply is returned), released or
 * lapsed (this node claims it and runs the application), or the retry wait ends ({@link Busy}).</li>
 * <li>A connection broken by a Redis restart is dropped and the command retried once. If Redis still fails, it
 * counts as an outage: for the next few seconds nothing waits on Redis (a circuit breaker), claims are
 * protected by memory alone, and one WARNING says so; when Redis answers again, one INFO.</li>
 * </ul>
 */
public final class RedisDeliveryGuard implements DeliveryGuard {
    private static final Logger LOG = System.getLogger("io.github.wecomcallback");
    private static final String PREFIX = "wecom-callback:delivery:";
    private static final String RUNNING = "R";
    private static final String ANSWERED = "D";
    private static final String SENT_AS_REPLY = "X";
    /** Connect and read timeouts: an unreachable Redis costs a callback at most about twice this. */
    private static final int TIMEOUT_MILLIS = 250;
    /** After a failure, Redis is left alone this long before it is tried again. */
    static final Duration OUTAGE_PAUSE = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 50;

    private static final String RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then"
            + " return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    /** What {@link #call} returns when Redis cannot be used: never a value Redis sends (compared by identity). */
    private static final String UNAVAILABLE = new String("unavailable");

    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then"
            + " return redis.call('del', KEYS[1]) else return 0 end";

    private final JedisPooled redis;
    private final InMemoryDeliveryGuard local;
    private final long windowMillis;
    private final long leaseMillis;
    private final long retryWaitNanos;
    private final String where;
    private final long outagePauseNanos;
    private final ScheduledExecutorService renewer;
    private final SecureRandom random = new SecureRandom();
    private final Object outageLock = new Object();
    private volatile long outageUntil;
    private volatile boolean inOutage;

    /**
     * @param redisUrl {@code redis://[[user]:password@]host:port[/db]} or {@code rediss://...} for TLS
     * @param local this node's own guard, used first and alone while Redis cannot be used
     * @param window how long an answered delivery is remembered
     * @param lease how long a run is held without renewal: a dead node's runs are free again after this
     * @param retryWait how long a retry waits for a run in progress
     */
    public RedisDeliveryGuard(RedisUrl redisUrl, InMemoryDeliveryGuard local, Duration window, Duration lease,
            Duration retryWait) {
        this(redisUrl, local, window, lease, retryWait, OUTAGE_PAUSE);
    }

    RedisDeliveryGuard(RedisUrl redisUrl, InMemoryDeliveryGuard local, Duration window, Duration lease,
            Duration retryWait, Duration outagePause) {
        this.outagePauseNanos = outagePause.toNanos();
        URI uri = redisUrl.uri();
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(64);
        pool.setMaxIdle(64);
        pool.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS));
        pool.setJmxEnabled(false);
        this.redis = new JedisPooled(pool, uri, TIMEOUT_MILLIS, TIMEOUT_MILLIS);
        this.local = local;
        this.windowMillis = window.toMillis();
        this.leaseMillis = lease.toMillis();
        this.retryWaitNanos = retryWait.toNanos();
        this.where = redisUrl.toString();
        this.renewer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "wecom-callback lease renewer");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Checks that Redis answers; false (with the outage WARNING) when it does not. */
    public boolean ping() {
        return call(() -> redis.ping(), false) != UNAVAILABLE;
    }

    @Override
    public Claim claim(DeliveryId id) throws InterruptedException {
        long deadline = System.nanoTime() + retryWaitNanos;
        Claim mine = local.claim(id);
        if (!(mine instanceof Lease localLease)) {
            return mine; // answered or running on this node: memory knows best
        }
        try {
            return claimShared(id, localLease, deadline);
        } catch (InterruptedException | RuntimeException | Error e) {
            localLease.release();
            throw e;
        }
    }

    private Claim claimShared(DeliveryId id, Lease localLease, long deadline) throws InterruptedException {
        String redisKey = PREFIX + id.hex();
        String owner = RUNNING + HexFormat.of().formatHex(nextOwner());
        while (true) {
            String set = call(() -> redis.set(redisKey, owner, SetParams.setParams().nx().px(leaseMillis)), false);
            if (set == UNAVAILABLE) {
                return localLease; // Redis cannot be used: this node's memory protects alone
            }
            if ("OK".equals(set)) {
                return new SharedLease(redisKey, owner, localLease);
            }
            String value = call(() -> redis.get(redisKey), false);
            if (value == UNAVAILABLE) {
                return localLease;
            }
            if (owner.equals(value)) {
                // Our own SET arrived although its answer was lost (a timeout, then the retry found the key).
                return new SharedLease(redisKey, owner, localLease);
            }
            if (SENT_AS_REPLY.equals(value)) {
                localLease.release();
                local.recordReply(id);
                return new Reflected();
            }
            if (value != null && value.startsWith(ANSWERED)) {
                byte[] reply = Base64.getDecoder().decode(value.substring(ANSWERED.length()));
                localLease.complete(reply);
                return new Answered(reply);
            }
            if (value != null) { // running on another node: wait for it
                if (System.nanoTime() - deadline >= 0) {
                    localLease.release();
                    return new Busy();
                }
                Thread.sleep(POLL_MILLIS);
            }
            // Gone (released, or the lease lapsed): claim it again.
        }
    }

    private byte[] nextOwner() {
        byte[] id = new byte[12];
        random.nextBytes(id);
        return id;
    }

    /** A lease held in memory and in Redis, renewed in Redis while the application runs. */
    private final class SharedLease implements Lease {
        private final String redisKey;
        private final String owner;
        private final Lease localLease;
        private final ScheduledFuture<?> renewal;

        SharedLease(String redisKey, String owner, Lease localLease) {
            this.redisKey = redisKey;
            this.owner = owner;
            this.localLease = localLease;
            long every = Math.max(1, leaseMillis / 3);
            this.renewal = renewer.scheduleAtFixedRate(() -> call(() -> redis.eval(RENEW, List.of(redisKey),
                    List.of(owner, Long.toString(leaseMillis))), true), every, every, TimeUnit.MILLISECONDS);
        }

        @Override
        public void complete(byte[] reply) {
            renewal.cancel(false);
            call(() -> redis.set(redisKey, ANSWERED + Base64.getEncoder().encodeToString(reply),
                    SetParams.setParams().px(windowMillis)), true);
            localLease.complete(reply);
        }

        @Override
        public void release() {
            renewal.cancel(false);
            call(() -> redis.eval(RELEASE, List.of(redisKey), List.of(owner)), true);
            localLease.release();
        }
    }

    @Override
    public void recordReply(DeliveryId id) {
        local.recordReply(id);
        // Not essential: during an outage memory protects this node, and a callback must not wait on Redis.
        call(() -> redis.set(PREFIX + id.hex(), SENT_AS_REPLY, SetParams.setParams().nx().px(windowMillis)), false);
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        redis.close();
    }

    @Override
    public String toString() {
        return "Redis at " + where + ", in memory while Redis cannot be used";
    }

    /**
     * Runs one Redis command: its result, or {@link #UNAVAILABLE} when Redis cannot be used. A broken connection
     * (a Redis restart leaves every pooled one broken) drops the idle connections and is retried once before it
     * counts as an outage. During an outage, claims skip Redis for a while (the circuit breaker); what keeps a
     * run's state true there (renewing its lease, recording its answer, releasing it) is always attempted,
     * bounded by the timeouts, so that a short hiccup elsewhere never lets a live node's lease lapse.
     */
    @SuppressWarnings("unchecked")
    private <T> T call(Supplier<T> command, boolean essential) {
        if (!essential && inOutage && System.nanoTime() - outageUntil < 0) {
            return (T) UNAVAILABLE;
        }
        try {
            T result;
            try {
                result = command.get();
            } catch (JedisConnectionException e) {
                redis.getPool().clear();
                result = command.get();
            }
            recovered();
            return result;
        } catch (JedisException | IllegalStateException e) {
            outage(e);
            return (T) UNAVAILABLE;
        }
    }

    private void outage(Exception e) {
        synchronized (outageLock) {
            outageUntil = System.nanoTime() + outagePauseNanos;
            if (!inOutage) {
                inOutage = true;
                LOG.log(Level.WARNING, "WeComCallbackFilter duplicate guard: cannot use Redis at " + where + " ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + "). Callbacks are still answered,"
                        + " and retries reaching this node are still recognised from memory; a retry reaching"
                        + " another node may run the application again until Redis is back. Redis is tried again"
                        + " every " + TimeUnit.NANOSECONDS.toMillis(outagePauseNanos) + " ms; one line when it"
                        + " is back.");
            }
        }
    }

    private void recovered() {
        if (inOutage) {
            synchronized (outageLock) {
                if (inOutage) {
                    inOutage = false;
                    LOG.log(Level.INFO, "WeComCallbackFilter duplicate guard: Redis at " + where + " is back;"
                            + " deliveries are shared by every node again.");
                }
            }
        }
    }
}
