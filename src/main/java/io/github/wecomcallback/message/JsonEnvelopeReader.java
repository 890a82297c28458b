package io.github.wecomcallback.message;

import java.nio.charset.StandardCharsets;

/**
 * Reads named members of a JSON envelope: the ciphertext of a smart bot's callback, {@code {"encrypt":"..."}}
 * (older samples write {@code "Encrypt"}), or the four members of a bot's encrypted reply. A strict, bounded
 * reader of exactly what that needs: a top-level object whose other members are skipped whatever they hold,
 * with a nesting limit. No JSON library is worth its weight here.
 */
final class JsonEnvelopeReader {
    private static final int MAX_DEPTH = 16;

    private final String text;
    private int pos;

    private JsonEnvelopeReader(String text) {
        this.text = text;
    }

    /** A top-level member to read: a string, or a number (returned as its text), or either. */
    record Member(String name, boolean string, boolean number) {
        static Member string(String name) {
            return new Member(name, true, false);
        }

        static Member number(String name) {
            return new Member(name, false, true);
        }

        static Member stringOrNumber(String name) {
            return new Member(name, true, true);
        }
    }

    /** Returns the value of {@code encrypt} (or {@code Encrypt}, never both); null when absent. */
    static String readEncrypt(byte[] json) throws MessageFormatException {
        String[] values = readMembers(json, Member.string("encrypt"), Member.string("Encrypt"));
        if (values[0] != null && values[1] != null) {
            throw new MessageFormatException("the JSON envelope has more than one \"encrypt\"");
        }
        return values[0] != null ? values[0] : values[1];
    }

    /**
     * Reads the given members of a top-level object, each at most once and of its type; every other member is
     * skipped whatever it holds. A value is null when its member is absent.
     */
    static String[] readMembers(byte[] json, Member... members) throws MessageFormatException {
        JsonEnvelopeReader reader = new JsonEnvelopeReader(new String(json, StandardCharsets.UTF_8));
        try {
            return reader.readObject(members);
        } catch (IndexOutOfBoundsException e) {
            throw new MessageFormatException("the JSON envelope ends too early", e);
        }
    }

    private String[] readObject(Member[] members) throws MessageFormatException {
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == '\uFEFF') {
            pos++;
            skipWhitespace();
        }
        expect('{');
        String[] values = new String[members.length];
        skipWhitespace();
        if (peek() == '}') {
            pos++;
        } else {
            while (true) {
                skipWhitespace();
                String name = readString();
                skipWhitespace();
                expect(':');
                skipWhitespace();
                int member = indexOf(members, name);
                if (member < 0) {
                    skipValue(1);
                } else {
                    if (values[member] != null) {
                        throw new MessageFormatException("the JSON envelope has more than one \"" + name + "\"");
                    }
                    values[member] = readValue(members[member]);
                }
                skipWhitespace();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new MessageFormatException("expected ',' or '}' at offset " + (pos - 1));
                }
            }
        }
        skipWhitespace();
        if (pos != text.length()) {
            throw new MessageFormatException("unexpected content after the JSON envelope at offset " + pos);
        }
        return values;
    }

    private String readValue(Member member) throws MessageFormatException {
        char c = peek();
        if (c == '"' && member.string()) {
            return readString();
        }
        if ((c == '-' || (c >= '0' && c <= '9')) && member.number()) {
            int start = pos;
            skipNumber();
            return text.substring(start, pos);
        }
        throw new MessageFormatException("\"" + member.name() + "\" must be "
                + (member.string() ? member.number() ? "a string or a number" : "a string" : "a number"));
    }

    private static int indexOf(Member[] members, String name) {
        for (int i = 0; i < members.length; i++) {
            if (members[i].name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private void skipValue(int depth) throws MessageFormatException {
        if (depth > MAX_DEPTH) {
            throw new MessageFormatException("the JSON nests deeper than " + MAX_DEPTH);
        }
        char c = peek();
        switch (c) {
            case '"' -> readString();
            case '{', '[' -> {
                char close = c == '{' ? '}' : ']';
                pos++;
                skipWhitespace();
                if (peek() == close) {
                    pos++;
                    return;
                }
                while (true) {
                    skipWhitespace();
                    if (c == '{') {
                        readString();
                        skipWhitespace();
                        expect(':');
                        skipWhitespace();
                    }
                    skipValue(depth + 1);
                    skipWhitespace();
                    char sep = next();
                    if (sep == close) {
                        return;
                    }
                    if (sep != ',') {
                        throw new MessageFormatException("expected ',' or '" + close + "' at offset " + (pos - 1));
                    }
                }
            }
            case 't' -> expectWord("true");
            case 'f' -> expectWord("false");
            case 'n' -> expectWord("null");
            default -> skipNumber();
        }
    }

    private String readString() throws MessageFormatException {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw new MessageFormatException("control character in a JSON string at offset " + (pos - 1));
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = next();
            switch (escaped) {
                case '"', '\\', '/' -> out.append(escaped);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    int value = 0;
                    for (int i = 0; i < 4; i++) {
                        int digit = Character.digit(next(), 16);
                        if (digit < 0) {
                            throw new MessageFormatException("invalid \\u escape at offset " + (pos - 1));
                        }
                        value = value << 4 | digit;
                    }
                    out.append((char) value);
                }
                default -> throw new MessageFormatException("invalid escape at offset " + (pos - 1));
            }
        }
    }

    private void expectWord(String word) throws MessageFormatException {
        if (!text.startsWith(word, pos)) {
            throw new MessageFormatException("invalid JSON value at offset " + pos);
        }
        pos += word.length();
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, scanned by hand: linear, no regex per token. */
    private void skipNumber() throws MessageFormatException {
        int start = pos;
        if (peekIs('-')) {
            pos++;
        }
        if (peekIs('0')) {
            pos++;
        } else if (!skipDigits()) {
            throw new MessageFormatException("invalid JSON value at offset " + start);
        }
        if (peekIs('.')) {
            pos++;
            if (!skipDigits()) {
                throw new MessageFormatException("invalid JSON number at offset " + start);
            }
        }
        if (peekIs('e') || peekIs('E')) {
            pos++;
            if (peekIs('+') || peekIs('-')) {
                pos++;
            }
            if (!skipDigits()) {
                throw new MessageFormatException("invalid JSON number at offset " + start);
            }
        }
    }

    private boolean skipDigits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private boolean peekIs(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char expected) throws MessageFormatException {
        char c = next();
        if (c != expected) {
            throw new MessageFormatException("expected '" + expected + "' at offset " + (pos - 1));
        }
    }

    private char peek() {
        return text.charAt(pos);
    }

    private char next() {
        return text.charAt(pos++);
    }

    private void skipWhitespace() {
        while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
    }
}
