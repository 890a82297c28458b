package io.github.wecomcallback.message;

import java.nio.charset.StandardCharsets;

/**
 * Reads the ciphertext out of a smart bot's JSON envelope, {@code {"encrypt":"..."}} (older samples write
 * {@code "Encrypt"}). A strict, bounded reader of exactly what that needs: a top-level object whose other
 * members are skipped whatever they hold, with a nesting limit. No JSON library is worth its weight here.
 */
final class JsonEnvelopeReader {
    private static final int MAX_DEPTH = 16;

    private final String text;
    private int pos;

    private JsonEnvelopeReader(String text) {
        this.text = text;
    }

    /** Returns the value of {@code encrypt} (or {@code Encrypt}); null when absent. */
    static String readEncrypt(byte[] json) throws MessageFormatException {
        JsonEnvelopeReader reader = new JsonEnvelopeReader(new String(json, StandardCharsets.UTF_8));
        try {
            return reader.readEnvelope();
        } catch (IndexOutOfBoundsException e) {
            throw new MessageFormatException("the JSON envelope ends too early", e);
        }
    }

    private String readEnvelope() throws MessageFormatException {
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == '\uFEFF') {
            pos++;
            skipWhitespace();
        }
        expect('{');
        String encrypt = null;
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
                if (name.equals("encrypt") || name.equals("Encrypt")) {
                    if (peek() != '"') {
                        throw new MessageFormatException("\"" + name + "\" must be a string");
                    }
                    if (encrypt != null) {
                        throw new MessageFormatException("the JSON envelope has more than one \"encrypt\"");
                    }
                    encrypt = readString();
                } else {
                    skipValue(1);
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
        return encrypt;
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
