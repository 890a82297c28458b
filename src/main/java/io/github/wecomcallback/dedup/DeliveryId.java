package io.github.wecomcallback.dedup;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Names one delivery: the 256 bits of {@link DeliveryKeys}' HMAC of its plaintext. Held as four longs, so that
 * remembering an answered delivery needs no object per entry and comparing two is four comparisons; the 64 hex
 * digits (Redis keys, the request attribute) are made only when asked for.
 */
public final class DeliveryId {
    /** Bytes in an id. */
    public static final int LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    final long w0;
    final long w1;
    final long w2;
    final long w3;

    DeliveryId(long w0, long w1, long w2, long w3) {
        this.w0 = w0;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    /** The id made of these 32 bytes (big-endian words). */
    public static DeliveryId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a delivery id is " + LENGTH + " bytes, got " + bytes.length);
        }
        return new DeliveryId(word(bytes, 0), word(bytes, 8), word(bytes, 16), word(bytes, 24));
    }

    /** The id written as {@link #hex()} writes it. */
    public static DeliveryId parse(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a delivery id is " + 2 * LENGTH + " hex digits, got " + hex.length());
        }
        return of(HEX.parseHex(hex));
    }

    private static long word(byte[] bytes, int offset) {
        long word = 0;
        for (int i = offset; i < offset + 8; i++) {
            word = word << 8 | (bytes[i] & 0xFF);
        }
        return word;
    }

    /** The 64 lower-case hex digits of the id. */
    public String hex() {
        byte[] digits = new byte[4 * 16]; // one array and one String: this runs for every callback
        hexInto(digits, 0, w0);
        hexInto(digits, 16, w1);
        hexInto(digits, 32, w2);
        hexInto(digits, 48, w3);
        return new String(digits, StandardCharsets.ISO_8859_1);
    }

    private static void hexInto(byte[] digits, int at, long word) {
        for (int i = 15; i >= 0; i--, word >>>= 4) {
            digits[at + i] = HEX_DIGITS[(int) word & 0xF];
        }
    }

    /** A hash for tables, from the first word: the bits of an HMAC are uniform, any of them will do. */
    static int hash(long w0) {
        return (int) (w0 ^ (w0 >>> 32));
    }

    boolean sameAs(long v0, long v1, long v2, long v3) {
        return w0 == v0 && w1 == v1 && w2 == v2 && w3 == v3;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeliveryId id && sameAs(id.w0, id.w1, id.w2, id.w3);
    }

    @Override
    public int hashCode() {
        return hash(w0);
    }

    @Override
    public String toString() {
        return hex();
    }
}
