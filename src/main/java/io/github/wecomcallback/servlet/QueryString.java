package io.github.wecomcallback.servlet;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

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
    private static final String[] NAMES = {MSG_SIGNATURE, TIMESTAMP, NONCE, ECHOSTR};

    /** The protocol parameters, in the order of {@link #NAMES}; null when absent. Others are not kept. */
    private final String[] values;

    private QueryString(String[] values) {
        this.values = values;
    }

    /** @throws IllegalArgumentException if a {@code %} escape is malformed or a protocol parameter repeats */
    static QueryString parse(String query) {
        String[] values = new String[NAMES.length];
        if (query != null && !query.isEmpty()) {
            int start = 0;
            while (start <= query.length()) {
                int end = query.indexOf('&', start);
                if (end < 0) {
                    end = query.length();
                }
                if (end > start) {
                    add(values, query, start, end);
                }
                start = end + 1;
            }
        }
        return new QueryString(values);
    }

    private static void add(String[] values, String query, int start, int end) {
        int eq = query.indexOf('=', start);
        if (eq < 0 || eq > end) {
            eq = end;
        }
        int i = protocolName(query, start, eq);
        if (i < 0) {
            return; // not ours: other parameters are neither read nor checked
        }
        if (values[i] != null) {
            throw new IllegalArgumentException(NAMES[i] + " is given more than once");
        }
        values[i] = eq >= end ? "" : decode(query.substring(eq + 1, end));
    }

    /**
     * The index in {@link #NAMES} of the name {@code query[start, end)} decodes to, or -1. WeCom's names need no
     * decoding: they are compared where they lie, and only an escaped name is decoded into a String.
     */
    private static int protocolName(String query, int start, int end) {
        boolean escaped = false;
        for (int i = start; i < end && !escaped; i++) {
            char c = query.charAt(i);
            escaped = c == '%' || c == '+';
        }
        if (!escaped) {
            for (int i = 0; i < NAMES.length; i++) {
                if (NAMES[i].length() == end - start && query.startsWith(NAMES[i], start)) {
                    return i;
                }
            }
            return -1;
        }
        String name;
        try {
            name = decode(query.substring(start, end));
        } catch (IllegalArgumentException notAProtocolName) {
            return -1; // a malformed name is none of ours: other parameters are neither read nor checked
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * As {@link URLDecoder#decode(String, java.nio.charset.Charset)} with UTF-8 does ({@code +} is a space), exactly.
     * ASCII text whose escapes decode to ASCII — all that WeCom sends: {@code %2B}, {@code %2F} and {@code %3D} in an
     * echostr — is decoded here in one pass into one array (URLDecoder's StringBuilder and a charset decoder for each
     * run of escapes cost more than the URL check's cryptography); anything else, a malformed escape included, is left
     * to URLDecoder itself, which decides and says why.
     */
    static String decode(String text) {
        int length = text.length();
        if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
            return text;
        }
        byte[] ascii = new byte[length];
        int n = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < length ? hexDigit(text.charAt(i + 1)) : -1;
                int low = high >= 0 ? hexDigit(text.charAt(i + 2)) : -1;
                if (low < 0 || high > 7) { // malformed, or a byte beyond ASCII (UTF-8 to decode)
                    return URLDecoder.decode(text, StandardCharsets.UTF_8);
                }
                ascii[n++] = (byte) (high << 4 | low);
                i += 2;
            } else if (c == '+') {
                ascii[n++] = ' ';
            } else if (c < 0x80) {
                ascii[n++] = (byte) c;
            } else {
                return URLDecoder.decode(text, StandardCharsets.UTF_8);
            }
        }
        return new String(ascii, 0, n, StandardCharsets.US_ASCII);
    }

    /** The value of an ASCII hex digit (either case), or -1 (for any other character, a Unicode digit included). */
    private static int hexDigit(char c) {
        return HexFormat.isHexDigit(c) ? HexFormat.fromHexDigit(c) : -1;
    }

    /** The decoded value of a protocol parameter, or null when it is absent. */
    String get(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return values[i];
            }
        }
        throw new IllegalArgumentException("not a protocol parameter: " + name);
    }

    boolean hasAnyOf(String... names) {
        for (String name : names) {
            if (get(name) != null) {
                return true;
            }
        }
        return false;
    }
}
