package io.github.wecomcallback.servlet;

/**
 * Makes text that an attacker controls safe for one log line: control, line-separator and bidirectional
 * characters escaped as {@code \}{@code uXXXX} (so that nobody can forge a second log line or reorder what a
 * reader sees), and the length bounded.
 */
final class LogText {
    /** Longest attacker-controlled value put into a log line. */
    static final int MAX_VALUE = 64;
    /** Longest detail sentence (which may quote parser messages about the input). */
    static final int MAX_DETAIL = 300;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /** A value the client sent, in quotes, escaped and truncated to {@link #MAX_VALUE}. */
    static String quote(String value) {
        return value == null ? "null" : "\"" + escape(value, MAX_VALUE) + "\"";
    }

    /** A detail sentence that may contain client text, escaped and truncated to {@link #MAX_DETAIL}. */
    static String detail(String text) {
        return escape(text, MAX_DETAIL);
    }

    static String escape(String text, int max) {
        int end = Math.min(text.length(), max);
        StringBuilder out = new StringBuilder(end + 16);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (needsEscape(c)) {
                out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                        .append(HEX[c & 0xF]);
            } else {
                out.append(c);
            }
        }
        if (text.length() > max) {
            out.append("...[").append(text.length() - max).append(" more characters]");
        }
        return out.toString();
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) // C0 and C1 controls, DEL
                || c == '\u2028' || c == '\u2029' // line and paragraph separators
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') // bidi embeddings, isolates
                || c == '\u200E' || c == '\u200F' || c == '\u061C' // bidi marks
                || c == '\uFEFF';
    }
}
