package io.github.wecomcallback.message;

/** Writing untrusted text into the two syntaxes of the protocol. */
public final class Escaping {
    private Escaping() {
    }

    /** A CDATA section holding {@code text}; a {@code ]]>} inside is split across two sections. */
    public static String cdata(String text) {
        return appendCdata(new StringBuilder(text.length() + 12), text).toString();
    }

    /** Appends {@link #cdata(String)} of the text. */
    static StringBuilder appendCdata(StringBuilder out, String text) {
        out.append("<![CDATA[");
        int from = 0;
        for (int end; (end = text.indexOf("]]>", from)) >= 0; from = end + 3) {
            out.append(text, from, end).append("]]]]><![CDATA[>");
        }
        return out.append(text, from, text.length()).append("]]>");
    }

    /** The body of a JSON string literal (without the quotes) holding {@code text}. */
    public static String jsonString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
