package io.github.wecomcallback.servlet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The query parameters of a callback, decoded exactly once, as WeCom encoded them once. Read from the query
 * string itself rather than {@code getParameter}, which would consume a form-encoded POST body and depends on
 * the container's URI charset settings. A protocol parameter given twice is refused: which of two values a
 * proxy, the signature and the application each see must never be a question.
 */
final class QueryString {
    static final String MSG_SIGNATURE = "msg_signature";
    static final String TIMESTAMP = "timestamp";
    static final String NONCE = "nonce";
    static final String ECHOSTR = "echostr";

    private final Map<String, String> values;

    private QueryString(Map<String, String> values) {
        this.values = values;
    }

    /** @throws IllegalArgumentException if a {@code %} escape is malformed or a protocol parameter repeats */
    static QueryString parse(String query) {
        Map<String, String> values = new HashMap<>();
        if (query != null && !query.isEmpty()) {
            int start = 0;
            while (start <= query.length()) {
                int end = query.indexOf('&', start);
                if (end < 0) {
                    end = query.length();
                }
                if (end > start) {
                    add(values, query.substring(start, end));
                }
                start = end + 1;
            }
        }
        return new QueryString(values);
    }

    private static void add(Map<String, String> values, String pair) {
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (values.putIfAbsent(name, value) != null && isProtocolParameter(name)) {
            throw new IllegalArgumentException(name + " is given more than once");
        }
    }

    private static boolean isProtocolParameter(String name) {
        return name.equals(MSG_SIGNATURE) || name.equals(TIMESTAMP) || name.equals(NONCE) || name.equals(ECHOSTR);
    }

    /** The decoded value, or null when the parameter is absent. */
    String get(String name) {
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
