package io.github.wecomcallback.servlet;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.crypto.WeComCryptoException;
import io.github.wecomcallback.dedup.DeliveryGuard;
import io.github.wecomcallback.dedup.DeliveryGuards;
import io.github.wecomcallback.dedup.DeliveryKeys;
import io.github.wecomcallback.dedup.RedisUrl;
import jakarta.servlet.ServletException;

/**
 * The filter's configuration, parsed and validated once at {@code init}: every init-param in one place, and
 * a message that names the parameter and what was expected, never the secret.
 */
public final class CallbackConfig {
    /**
     * Default of {@link WeComCallbackFilter#PARAM_MAX_BODY_BYTES}, 128 KiB. The largest callbacks in WeCom's
     * documentation (approval changes, contact changes with extended attributes) are about 3.5 KB of plaintext,
     * 5 KB on the wire: this leaves a margin of more than 20 times, while junk costs little to refuse.
     */
    public static final long DEFAULT_MAX_BODY_BYTES = 128 * 1024;
    /** Default of {@link WeComCallbackFilter#PARAM_TIMESTAMP_TOLERANCE_SECONDS}. */
    public static final long DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = WeComCrypto.DEFAULT_TIMESTAMP_TOLERANCE.toSeconds();
    /**
     * Default of {@link WeComCallbackFilter#PARAM_DUPLICATE_WINDOW_SECONDS}: 15 minutes, and never less than the
     * replay window ({@code 2 × timestampToleranceSeconds + 1}).
     */
    public static final long DEFAULT_DUPLICATE_WINDOW_SECONDS = 900;
    /** Default of {@link WeComCallbackFilter#PARAM_LEASE_MILLIS}. */
    public static final long DEFAULT_LEASE_MILLIS = 3000;
    /** Default of {@link WeComCallbackFilter#PARAM_RETRY_WAIT_MILLIS}. */
    public static final long DEFAULT_RETRY_WAIT_MILLIS = 3000;
    /** Answered deliveries remembered in memory at most, so that a flood of distinct messages cannot exhaust memory. */
    static final int MAX_REMEMBERED_DELIVERIES = 100_000;

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^}]*))?}");

    private final WeComCrypto crypto;
    private final String corpId;
    private final long maxBodyBytes;
    private final long duplicateWindowSeconds;
    private final long leaseMillis;
    private final long retryWaitMillis;
    private final RedisUrl redisUrl;
    private final DeliveryKeys deliveryKeys;

    private CallbackConfig(WeComCrypto crypto, String corpId, long maxBodyBytes, long duplicateWindowSeconds,
            long leaseMillis, long retryWaitMillis, RedisUrl redisUrl, DeliveryKeys deliveryKeys) {
        this.crypto = crypto;
        this.corpId = corpId;
        this.maxBodyBytes = maxBodyBytes;
        this.duplicateWindowSeconds = duplicateWindowSeconds;
        this.leaseMillis = leaseMillis;
        this.retryWaitMillis = retryWaitMillis;
        this.redisUrl = redisUrl;
        this.deliveryKeys = deliveryKeys;
    }

    /**
     * Parses and validates the parameters of one filter. Nothing is built here but values: the duplicate guard
     * is built from them by {@link #newDeliveryGuard()}.
     *
     * @param params the value of a parameter by name (init-param, else context-param), or null
     * @param variables the value of {@code ${NAME}} (system property, else environment variable), or null
     */
    public static CallbackConfig parse(Function<String, String> params, Function<String, String> variables, Clock clock)
            throws ServletException {
        Reader reader = new Reader(params, variables);
        String token = reader.required(WeComCallbackFilter.PARAM_TOKEN);
        String key = reader.required(WeComCallbackFilter.PARAM_ENCODING_AES_KEY);
        String corpId = reader.required(WeComCallbackFilter.PARAM_CORP_ID);
        String receiveId = reader.optional(WeComCallbackFilter.PARAM_RECEIVE_ID);
        String urlCheckReceiveId = reader.optional(WeComCallbackFilter.PARAM_URL_CHECK_RECEIVE_ID);
        String previousKey = reader.optional(WeComCallbackFilter.PARAM_PREVIOUS_ENCODING_AES_KEY);
        long tolerance = reader.number(WeComCallbackFilter.PARAM_TIMESTAMP_TOLERANCE_SECONDS,
                DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, 0, Duration.ofDays(1).toSeconds());
        long maxBody = reader.number(WeComCallbackFilter.PARAM_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 1024,
                64 * 1024 * 1024);
        long replayWindow = 2 * tolerance + 1;
        long duplicateWindow = reader.number(WeComCallbackFilter.PARAM_DUPLICATE_WINDOW_SECONDS,
                Math.max(DEFAULT_DUPLICATE_WINDOW_SECONDS, replayWindow), 0, Duration.ofDays(3).toSeconds());
        if (duplicateWindow > 0 && tolerance > 0 && duplicateWindow < replayWindow) {
            throw new ServletException(invalid(WeComCallbackFilter.PARAM_DUPLICATE_WINDOW_SECONDS, "it is "
                    + duplicateWindow + " s, shorter than the replay window: a callback is accepted while its"
                    + " timestamp is within " + tolerance + " s of the clock, either way, so it must be remembered"
                    + " for at least 2 × " + WeComCallbackFilter.PARAM_TIMESTAMP_TOLERANCE_SECONDS + " + 1 = "
                    + replayWindow + " s, or a replay would run the application twice"));
        }
        long lease = reader.number(WeComCallbackFilter.PARAM_LEASE_MILLIS, DEFAULT_LEASE_MILLIS, 500, 60_000);
        long retryWait = reader.number(WeComCallbackFilter.PARAM_RETRY_WAIT_MILLIS, DEFAULT_RETRY_WAIT_MILLIS, 0,
                4_500);
        String redis = reader.optional(WeComCallbackFilter.PARAM_REDIS_URL);
        RedisUrl redisUrl = null;
        if (redis != null && !redis.isEmpty()) {
            try {
                redisUrl = RedisUrl.parse(redis);
            } catch (IllegalArgumentException e) {
                throw new ServletException(invalid(WeComCallbackFilter.PARAM_REDIS_URL, e.getMessage()), e);
            }
        }

        // receiveId: absent (the corp id), one id, a comma-separated list, or * for any (a provider's data URL).
        boolean anyReceiveId = "*".equals(receiveId);
        java.util.List<String> receiveIds = receiveId == null || anyReceiveId ? java.util.List.of(corpId)
                : splitList(receiveId);
        String expectedReceiveId = receiveIds.get(0);
        WeComCrypto.Builder builder = WeComCrypto.builder(token, key, expectedReceiveId)
                .clock(clock).timestampTolerance(Duration.ofSeconds(tolerance))
                .acceptReceiveIds(receiveIds.subList(1, receiveIds.size()))
                // WeCom checks a provider's URLs with the provider's corp id; bots' with the empty receive id.
                .urlCheckReceiveId(urlCheckReceiveId != null ? urlCheckReceiveId
                        : "".equals(receiveId) ? "" : corpId);
        if (anyReceiveId) {
            builder.acceptAnyReceiveId();
        }
        if (previousKey != null && !previousKey.isEmpty()) {
            builder.previousEncodingAesKey(previousKey);
        }
        WeComCrypto crypto;
        try {
            crypto = builder.build();
        } catch (WeComCryptoException e) {
            throw new ServletException(invalid(parameterOf(e, receiveId, previousKey), e.detail()), e);
        }
        return new CallbackConfig(crypto, corpId, maxBody, duplicateWindow, lease, retryWait, redisUrl,
                new DeliveryKeys(token, key, receiveId == null ? corpId : receiveId));
    }

    private static java.util.List<String> splitList(String value) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (String id : value.split(",", -1)) {
            ids.add(id.strip());
        }
        return ids;
    }

    /**
     * Builds the guard against WeCom's retries that this configuration asks for: null when duplicate detection is
     * off; in memory; or Redis in front of memory.
     *
     * @throws ServletException if Redis is configured but its client is missing
     */
    public DeliveryGuard newDeliveryGuard() throws ServletException {
        if (duplicateWindowSeconds == 0) {
            return null;
        }
        try {
            return DeliveryGuards.create(redisUrl, Duration.ofSeconds(duplicateWindowSeconds),
                    Duration.ofMillis(leaseMillis), Duration.ofMillis(retryWaitMillis), MAX_REMEMBERED_DELIVERIES);
        } catch (IllegalStateException e) {
            throw new ServletException(invalid(WeComCallbackFilter.PARAM_REDIS_URL, e.getMessage()), e);
        }
    }

    /** Names deliveries for the guard: per application. */
    public DeliveryKeys deliveryKeys() {
        return deliveryKeys;
    }

    /** The core, built once. */
    public WeComCrypto crypto() {
        return crypto;
    }

    public String corpId() {
        return corpId;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }


    /** One line for the start-up log; no secrets. */
    String summary() {
        long tolerance = crypto.timestampToleranceSeconds();
        return "corpId=" + corpId + ", receiveId="
                + (crypto.acceptedReceiveIds() == null ? "* (any: the application checks it)"
                        : crypto.acceptedReceiveIds().size() == 1 ? "[" + crypto.receiveId() + "]"
                                + (crypto.receiveId().equals(corpId) ? " (the corpId)" : "")
                                : crypto.acceptedReceiveIds().toString())
                + ", urlCheckReceiveId=[" + crypto.urlCheckReceiveId() + "]"
                + ", encodingAesKey=set, previousEncodingAesKey=" + (crypto.hasPreviousKey() ? "set" : "not set")
                + ", timestampToleranceSeconds=" + tolerance + (tolerance == 0 ? " (off)" : "")
                + ", maxBodyBytes=" + maxBodyBytes + ", duplicateWindowSeconds=" + duplicateWindowSeconds
                + (duplicateWindowSeconds == 0 ? " (off)"
                        : ", leaseMillis=" + leaseMillis + ", retryWaitMillis=" + retryWaitMillis + ", deliveries"
                                + " remembered " + (redisUrl == null ? "in memory" : "in Redis at " + redisUrl));
    }

    private static String parameterOf(WeComCryptoException e, String receiveId, String previousKey) {
        return switch (e.error()) {
            case ILLEGAL_AES_KEY -> WeComCallbackFilter.PARAM_ENCODING_AES_KEY
                    + (previousKey != null ? " or " + WeComCallbackFilter.PARAM_PREVIOUS_ENCODING_AES_KEY : "");
            case VALIDATE_CORPID_ERROR -> receiveId == null ? WeComCallbackFilter.PARAM_CORP_ID
                    : WeComCallbackFilter.PARAM_RECEIVE_ID;
            default -> WeComCallbackFilter.PARAM_TOKEN;
        };
    }

    /**
     * Resolves {@code ${NAME}} and {@code ${NAME:default}} in a parameter value as the filter does (system
     * property, else environment variable), for the WAR's other components.
     *
     * @throws ServletException if the value refers to a variable that is not set and has no default
     */
    public static String resolve(String parameter, String value) throws ServletException {
        return new Reader(name -> value, WeComCallbackFilter::variable).optional(parameter);
    }

    static String invalid(String parameter, String problem) {
        return "WeComCallbackFilter: init-param " + parameter + " is invalid: " + problem;
    }

    /**
     * Reads parameters, trims them (web.xml values often carry indentation) and resolves {@code ${NAME}} and
     * {@code ${NAME:default}}.
     */
    private static final class Reader {
        private final Function<String, String> params;
        private final Function<String, String> variables;

        Reader(Function<String, String> params, Function<String, String> variables) {
            this.params = params;
            this.variables = variables;
        }

        String required(String name) throws ServletException {
            String value = optional(name);
            if (value == null || value.isEmpty()) {
                throw new ServletException("WeComCallbackFilter: init-param " + name + " is required but "
                        + (value == null ? "missing" : "empty")
                        + "; set it in web.xml (<init-param> of the filter or <context-param>), or write ${ENV_VAR}"
                        + " to read it from an environment variable or system property");
            }
            return value;
        }

        String optional(String name) throws ServletException {
            String raw = params.apply(name);
            if (raw == null) {
                return null;
            }
            String value = raw.strip();
            Matcher m = VARIABLE.matcher(value);
            if (m.matches()) {
                String variable = m.group(1);
                String resolved = variables.apply(variable);
                if (resolved == null) {
                    resolved = m.group(2);
                }
                if (resolved == null) {
                    throw new ServletException(invalid(name, "it refers to ${" + variable
                            + "}, but neither a system property nor an environment variable of that name is set"));
                }
                return resolved.strip();
            }
            return value;
        }

        long number(String name, long defaultValue, long min, long max) throws ServletException {
            String value = optional(name);
            if (value == null || value.isEmpty()) {
                return defaultValue;
            }
            long number;
            try {
                number = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new ServletException(invalid(name, "expected a whole number, got [" + value + "]"), e);
            }
            if (number < min || number > max) {
                throw new ServletException(invalid(name, "expected a number from " + min + " to " + max + ", got " + number));
            }
            return number;
        }
    }
}
