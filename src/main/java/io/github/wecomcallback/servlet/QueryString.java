package io.github.wecomcallback.servlet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The query parameters of a callback (first occurrence of each), decoded exactly once, as WeCom encoded them once. Read from the
 * query string itself rather than {@code getParameter}, which would consume a form-encoded POST body and
 * depends on the container's URI charset settings.
 */
public final class QueryString {
    private final Map<String, String> values;

    private QueryString(Map<String, String> values) {
        this.values = values;
    }

    /** @throws IllegalArgumentException if a {@code %} escape is malformed */
    public static QueryString parse(String query) {
        Map<String, String> values = new HashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.putIfAbsent(name, value);
            }
        }
        return new QueryString(values);
    }

    /** The decoded value, or null when the parameter is absent. */
    public String get(String name) {
        return values.get(name);
    }

    boolean hasAnyOf(String... names) {
        for (String name : names) {
            if (values.containsKey(name)) {
                return true;
            }
        }
        return false;
    }
}
