package io.github.wecomcallback.message;

/** Writing untrusted text into the two syntaxes of the protocol. */
public final class Escaping {
    private Escaping() {
    }

    /** A CDATA section holding {@code text}; a {@code ]]>} inside is split across two sections. */
    public static String cdata(String text) {
        return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>";
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
