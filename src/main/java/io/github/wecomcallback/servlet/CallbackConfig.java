package io.github.wecomcallback.servlet;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.crypto.WeComCryptoException;
import io.github.wecomcallback.dedup.DeliveryGuard;
import io.github.wecomcallback.dedup.InMemoryDeliveryGuard;
import jakarta.servlet.ServletException;

/**
 * The filter's configuration, parsed and validated once at {@code init}: every init-param in one place, and
 * a message that names the parameter and what was expected, never the secret.
 */
public final class CallbackConfig {
    /** Default of {@link WeComCallbackFilter#PARAM_MAX_BODY_BYTES}: WeCom callbacks are a few KiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** Default of {@link WeComCallbackFilter#PARAM_TIMESTAMP_TOLERANCE_SECONDS}: off, as in the official libraries. */
    public static final long DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 0;

    /** Default of {@link WeComCallbackFilter#PARAM_DUPLICATE_WINDOW_SECONDS}: WeCom's three tries span seconds, not minutes. */
    public static final long DEFAULT_DUPLICATE_WINDOW_SECONDS = 300;
    /** Deliveries remembered at most, so that a flood of distinct messages cannot exhaust memory. */
    static final int MAX_REMEMBERED_DELIVERIES = 100_000;

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)(?::([^}]*))?}");

    private final WeComCrypto crypto;
    private final String corpId;
    private final long maxBodyBytes;
    private final long duplicateWindowSeconds;
    private final DeliveryGuard deliveryGuard;

    private CallbackConfig(WeComCrypto crypto, String corpId, long maxBodyBytes, long duplicateWindowSeconds,
            DeliveryGuard deliveryGuard) {
        this.crypto = crypto;
        this.corpId = corpId;
        this.maxBodyBytes = maxBodyBytes;
        this.duplicateWindowSeconds = duplicateWindowSeconds;
        this.deliveryGuard = deliveryGuard;
    }

    /**
     * Parses the parameters of one filter.
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
        String previousKey = reader.optional(WeComCallbackFilter.PARAM_PREVIOUS_ENCODING_AES_KEY);
        long tolerance = reader.number(WeComCallbackFilter.PARAM_TIMESTAMP_TOLERANCE_SECONDS,
                DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, 0, Duration.ofDays(366).toSeconds());
        long maxBody = reader.number(WeComCallbackFilter.PARAM_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES, 1,
                Integer.MAX_VALUE - 8);
        long duplicateWindow = reader.number(WeComCallbackFilter.PARAM_DUPLICATE_WINDOW_SECONDS,
                DEFAULT_DUPLICATE_WINDOW_SECONDS, 0, Duration.ofDays(1).toSeconds());
        String redisUrl = reader.optional(WeComCallbackFilter.PARAM_REDIS_URL);

        WeComCrypto.Builder builder = WeComCrypto.builder(token, key, receiveId == null ? corpId : receiveId)
                .clock(clock).timestampTolerance(Duration.ofSeconds(tolerance));
        if (previousKey != null && !previousKey.isEmpty()) {
            builder.previousEncodingAesKey(previousKey);
        }
        WeComCrypto crypto;
        try {
            crypto = builder.build();
        } catch (WeComCryptoException e) {
            throw new ServletException(invalid(parameterOf(e, receiveId, previousKey), e.detail()), e);
        }
        return new CallbackConfig(crypto, corpId, maxBody, duplicateWindow, deliveryGuard(duplicateWindow, redisUrl));
    }

    private static DeliveryGuard deliveryGuard(long windowSeconds, String redisUrl) throws ServletException {
        if (windowSeconds == 0) {
            return null;
        }
        if (redisUrl == null || redisUrl.isEmpty()) {
            return new InMemoryDeliveryGuard(windowSeconds, MAX_REMEMBERED_DELIVERIES);
        }
        // By name, so that the Redis client is needed only where Redis is configured.
        try {
            Class<?> type = Class.forName("io.github.wecomcallback.dedup.RedisDeliveryGuard");
            DeliveryGuard guard = (DeliveryGuard) type.getConstructor(String.class, long.class)
                    .newInstance(redisUrl, windowSeconds);
            type.getMethod("ping").invoke(guard);
            return guard;
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new ServletException(invalid(WeComCallbackFilter.PARAM_REDIS_URL, "it is set, but the Redis"
                    + " client is not on the classpath: add redis.clients:jedis (the WAR bundles it)"), e);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new ServletException(invalid(WeComCallbackFilter.PARAM_REDIS_URL,
                    String.valueOf(e.getCause().getMessage())), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new ServletException("WeComCallbackFilter: cannot create the Redis duplicate guard", e);
        }
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

    /** The guard against WeCom's retries; null when duplicate detection is off. */
    public DeliveryGuard deliveryGuard() {
        return deliveryGuard;
    }

    /** One line for the start-up log; no secrets. */
    String summary() {
        long tolerance = crypto.timestampToleranceSeconds();
        return "corpId=" + corpId + ", receiveId=[" + crypto.receiveId() + "]"
                + (crypto.receiveId().equals(corpId) ? " (the corpId)" : "")
                + ", encodingAesKey=set, previousEncodingAesKey=" + (crypto.hasPreviousKey() ? "set" : "not set")
                + ", timestampToleranceSeconds=" + tolerance + (tolerance == 0 ? " (off)" : "")
                + ", maxBodyBytes=" + maxBodyBytes + ", duplicateWindowSeconds=" + duplicateWindowSeconds
                + (deliveryGuard == null ? " (off)" : " (" + deliveryGuard + ")");
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
