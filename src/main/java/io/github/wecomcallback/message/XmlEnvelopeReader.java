package io.github.wecomcallback.message;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the XML envelope of a POST callback: {@code <xml>} with at most one each of {@code ToUserName},
 * {@code Encrypt} and {@code AgentID}. Two paths that agree on every input they both accept (a differential
 * property test holds them to it):
 *
 * <ul>
 * <li>A fast path for the exact shapes WeCom sends: ASCII only, the three fields as CDATA or plain text, nothing
 * else but whitespace between them. No DTD, entity, comment or processing instruction can appear in what it
 * accepts; anything it does not recognise it hands on, untouched, to</li>
 * <li>the safe StAX path ({@link SafeXml}: DTDs refused, no entities, bounded depth), which decides: it skips
 * unknown elements, as a tolerant reader should, and refuses a field given twice.</li>
 * </ul>
 */
final class XmlEnvelopeReader {
    private static final Literal OPEN_ROOT = new Literal("<xml>");
    private static final Literal CLOSE_ROOT = new Literal("</xml>");
    private static final Literal CDATA_OPEN = new Literal("<![CDATA[");
    private static final int CDATA_CLOSE_LENGTH = "]]>".length();
    private static final String[] FIELDS = {"ToUserName", "Encrypt", "AgentID"};
    /** Bytes a CDATA value may hold on the fast path, besides ']': printable ASCII and space. */
    private static final boolean[] CDATA_TEXT = asciiTable("]");
    /** Bytes a plain-text value may hold on the fast path: printable ASCII and space but markup and ']'. */
    private static final boolean[] PLAIN_TEXT = asciiTable("<&>]");
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** The markup before, between and after the three fields' values, as WeCom writes it (docs/PROTOCOL.md). */
    private static final Literal[] CANONICAL = {new Literal("<xml><ToUserName><![CDATA["),
        new Literal("]]></ToUserName><Encrypt><![CDATA["), new Literal("]]></Encrypt><AgentID><![CDATA["),
        new Literal("]]></AgentID></xml>")};
    private static final Literal[] FIELD_NAMES = {new Literal(FIELDS[0]), new Literal(FIELDS[1]), new Literal(FIELDS[2])};

    private XmlEnvelopeReader() {
    }

    static EncryptedEnvelope read(byte[] body) throws MessageFormatException {
        int[] ranges = scanFast(body);
        if (ranges == null) {
            String[] fields = readWithStax(body);
            return EncryptedEnvelope.ofXml(fields[0], fields[1], fields[2]);
        }
        // The fields stay where they lie in the body: the signature reads Encrypt from there, no String is made of it.
        return EncryptedEnvelope.ofXml(body, ranges);
    }

    /**
     * The fields (ToUserName, Encrypt, AgentID; null when absent) of an envelope in one of WeCom's exact shapes,
     * or null for anything else, which the StAX path then judges.
     */
    static String[] readFast(byte[] body) {
        int[] ranges = scanFast(body);
        return ranges == null ? null : new String[] {text(body, ranges, 0), text(body, ranges, 1), text(body, ranges, 2)};
    }

    /** A field of the body as text (ASCII: the fast path checked it), or null when absent. */
    static String text(byte[] body, int[] ranges, int field) {
        int start = ranges[2 * field];
        return start < 0 ? null : new String(body, start, ranges[2 * field + 1] - start, StandardCharsets.US_ASCII);
    }

    /**
     * Where the fields' values lie ({@code [start0, end0, start1, end1, start2, end2]}, -1 for an absent field) in
     * an envelope of one of WeCom's exact shapes, or null for anything else.
     */
    private static int[] scanFast(byte[] body) {
        int[] canonical = scanCanonical(body);
        return canonical != null ? canonical : scanAnyOrder(body);
    }

    /**
     * The ranges of an envelope laid out exactly as WeCom writes it (all three fields, in its order, as CDATA, no
     * whitespace but at the end), or null for any other layout: four stretches of constant markup compared whole,
     * instead of a dozen tags and names one at a time (the envelope in about two thirds of the time, in a probe).
     * What it accepts, {@link #scanAnyOrder} reads the same (a test holds them to it).
     */
    static int[] scanCanonical(byte[] body) {
        int end = body.length;
        if (!CANONICAL[0].at(body, 0)) {
            return null;
        }
        int[] ranges = new int[6];
        int pos = 0;
        for (int field = 0; field < 3; field++) {
            int valueStart = pos + CANONICAL[field].length();
            int valueEnd = skipCdataText(body, valueStart, end);
            if (!CANONICAL[field + 1].at(body, valueEnd)) {
                return null; // a ']' inside the value, a byte the fast path does not take, or other markup
            }
            ranges[2 * field] = valueStart;
            ranges[2 * field + 1] = valueEnd;
            pos = valueEnd;
        }
        // An empty Encrypt is refused (by StAX, with its reason): the any-order scan hands it on as well.
        return skipWhitespace(body, pos + CANONICAL[3].length(), end) == end && ranges[3] > ranges[2] ? ranges : null;
    }

    /** The ranges of an envelope of one of WeCom's exact shapes, in any order, or null for anything else. */
    static int[] scanAnyOrder(byte[] body) {
        int end = body.length;
        int pos = skipWhitespace(body, 0, end);
        if (!OPEN_ROOT.at(body, pos)) {
            return null;
        }
        pos += OPEN_ROOT.length();
        int[] ranges = {-1, -1, -1, -1, -1, -1};
        while (true) {
            pos = skipWhitespace(body, pos, end);
            if (CLOSE_ROOT.at(body, pos)) {
                pos = skipWhitespace(body, pos + CLOSE_ROOT.length(), end);
                return pos == end && ranges[2] >= 0 && ranges[3] > ranges[2] ? ranges : null;
            }
            int field = openingTag(body, pos);
            if (field < 0 || ranges[2 * field] >= 0) {
                return null;
            }
            pos += FIELD_NAMES[field].length() + 2;
            // One pass over the value: find its end and check that it is ASCII without controls (nothing to
            // decode or normalise, so both paths must read the same characters).
            int valueStart;
            int valueEnd;
            if (CDATA_OPEN.at(body, pos)) {
                valueStart = pos + CDATA_OPEN.length();
                int i = valueStart;
                while (true) {
                    i = skipCdataText(body, i, end);
                    if (i + 2 >= end || body[i] != ']') {
                        return null; // the end of the body, a control or a non-ASCII byte: the StAX path decides
                    }
                    if (body[i + 1] == ']' && body[i + 2] == '>') {
                        break;
                    }
                    i++; // a ']' that does not close the section
                }
                valueEnd = i;
                pos = i + CDATA_CLOSE_LENGTH;
            } else {
                valueStart = pos;
                while (pos < end && PLAIN_TEXT[body[pos] & 0xFF]) {
                    pos++;
                }
                if (pos < end && body[pos] != '<') {
                    return null; // a control, a non-ASCII byte, '&', '>' or ']': the StAX path decides
                }
                valueEnd = pos;
            }
            if (!closingTag(body, pos, field)) {
                return null;
            }
            ranges[2 * field] = valueStart;
            ranges[2 * field + 1] = valueEnd;
            pos += FIELD_NAMES[field].length() + 3;
        }
    }

    /**
     * The index of the first byte at or after {@code pos} that a CDATA value may not hold on the fast path (']', a
     * control, DEL or a non-ASCII byte), or {@code end}. The hot loop of the envelope (the ciphertext is most of a
     * body): eight bytes per step, tested together for the four kinds of byte (SWAR: each test sets a byte's top
     * bit where it holds such a byte, and may set it in later bytes too, carried or borrowed from a true one; so the
     * first byte flagged is the first such byte), the last few bytes one by one.
     *
     * <p>No byte before the first stop byte starts a carry or a borrow (each is 0x20..0x7E and not ']'), so that one
     * is tested as it is; and a byte of 0x80 and up flags itself (its top bit), so the other tests need to be exact
     * only for ASCII bytes, where an add or a subtract sets the top bit alone: no masking with {@code ~x} (a probe
     * measured the scan of a 472-byte ciphertext at 196 ns against 301 ns with it).
     */
    static int skipCdataText(byte[] body, int pos, int end) {
        int i = pos;
        while (i <= end - Long.BYTES) {
            long x = (long) LONGS.get(body, i);
            long stops = (x // 0x80 and up
                    | (x - ONES * 0x20) // an ASCII byte below 0x20
                    | (x + ONES) // 0x7F
                    | ((x ^ (ONES * ']')) - ONES)) // ']' (made zero by the exclusive or)
                    & HIGHS;
            if (stops != 0) {
                return i + (Long.numberOfTrailingZeros(stops) >>> 3); // little-endian: the lowest is first
            }
            i += Long.BYTES;
        }
        while (i < end && CDATA_TEXT[body[i] & 0xFF]) {
            i++;
        }
        return i;
    }

    private static int openingTag(byte[] body, int pos) {
        if (pos >= body.length || body[pos] != '<') {
            return -1;
        }
        int f = pos + 1 < body.length ? fieldStartingWith(body[pos + 1]) : -1;
        if (f < 0) {
            return -1;
        }
        int after = pos + 1 + FIELD_NAMES[f].length();
        return FIELD_NAMES[f].at(body, pos + 1) && after < body.length && body[after] == '>' ? f : -1;
    }

    /** The only field whose name starts with this byte (the three start with different letters), or -1. */
    private static int fieldStartingWith(byte first) {
        return switch (first) {
            case 'T' -> 0;
            case 'E' -> 1;
            case 'A' -> 2;
            default -> -1;
        };
    }

    private static boolean closingTag(byte[] body, int pos, int field) {
        int after = pos + 2 + FIELD_NAMES[field].length();
        return pos + 1 < body.length && body[pos] == '<' && body[pos + 1] == '/'
                && FIELD_NAMES[field].at(body, pos + 2) && after < body.length && body[after] == '>';
    }

    /** The safe, general path: any well-formed envelope, unknown elements skipped, a field given twice refused. */
    static String[] readWithStax(byte[] body) throws MessageFormatException {
        String[] fields = SafeXml.readFields(body, FIELDS);
        if (fields[1] == null || fields[1].isEmpty()) {
            throw new MessageFormatException("the envelope has no Encrypt field");
        }
        return fields;
    }

    private static int skipWhitespace(byte[] body, int pos, int end) {
        while (pos < end && (body[pos] == ' ' || body[pos] == '\t' || body[pos] == '\r' || body[pos] == '\n')) {
            pos++;
        }
        return pos;
    }

    /**
     * A constant ASCII text of the envelope (a tag, a name, a stretch of markup), compared with the body eight bytes at
     * once where the body has room: up to 16 bytes as their first eight (fewer, masked) and their last eight,
     * overlapping, with no loop; longer ones by the JDK's vectorised {@code Arrays.equals}. A dozen such comparisons
     * per envelope took as long as scanning its ciphertext did byte by byte.
     */
    private static final class Literal {
        private final byte[] bytes;
        /** The first eight bytes (fewer, masked) as the little-endian long the body's view reads. */
        private final long head;
        private final long headMask;
        /** The last eight bytes when there are more than eight (and at most 16), as {@link #head}; else unused. */
        private final long tail;

        Literal(String text) {
            bytes = text.getBytes(StandardCharsets.US_ASCII);
            head = littleEndian(bytes, 0, Math.min(Long.BYTES, bytes.length));
            headMask = bytes.length >= Long.BYTES ? -1L : (1L << (8 * bytes.length)) - 1;
            tail = bytes.length > Long.BYTES ? littleEndian(bytes, bytes.length - Long.BYTES, Long.BYTES) : 0;
        }

        private static long littleEndian(byte[] bytes, int from, int count) {
            long value = 0;
            for (int i = 0; i < count; i++) {
                value |= (bytes[from + i] & 0xFFL) << (8 * i);
            }
            return value;
        }

        int length() {
            return bytes.length;
        }

        /** Whether the body holds this text at {@code pos}. */
        boolean at(byte[] body, int pos) {
            int length = bytes.length;
            if (pos < 0 || pos > body.length - length) {
                return false;
            }
            if (length > 2 * Long.BYTES || pos > body.length - Long.BYTES) {
                // A stretch of markup longer than two words (the JDK compares it several bytes at once), or too near
                // the end of the body to read eight bytes.
                return Arrays.equals(body, pos, pos + length, bytes, 0, length);
            }
            return (((long) LONGS.get(body, pos) ^ head) & headMask) == 0
                    && (length <= Long.BYTES || (long) LONGS.get(body, pos + length - Long.BYTES) == tail);
        }
    }

    private static boolean[] asciiTable(String excluded) {
        boolean[] table = new boolean[256];
        for (int b = 0x20; b < 0x7F; b++) {
            table[b] = excluded.indexOf(b) < 0;
        }
        return table;
    }
}
