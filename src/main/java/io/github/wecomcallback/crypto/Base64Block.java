package io.github.wecomcallback.crypto;

import java.util.Arrays;

/**
 * Base64 as WeCom writes it (the standard alphabet, whole 4-character units, '=' only to pad the last one), decoded
 * from ASCII bytes where they lie into a buffer the caller owns: no intermediate array, no {@code ByteBuffer}. It
 * decodes only that canonical form and declines everything else, which the JDK decoder then judges, so that what is
 * accepted and how it is refused stays exactly the JDK's (a property test compares the two on random and mutated
 * input). Like the JDK decoder it ignores the unused low bits of a padded last unit.
 */
final class Base64Block {
    /** Bytes of the alphabet map to their 6-bit values; everything else, '=' included, to -1. */
    private static final byte[] VALUES = values();

    private Base64Block() {
    }

    /** How many bytes {@link #decode} may write for {@code length} characters. */
    static int maxDecodedLength(int length) {
        return length / 4 * 3;
    }

    /**
     * Decodes {@code src[offset, offset + length)} into {@code dst} from index 0, which must hold
     * {@link #maxDecodedLength}{@code (length)} bytes.
     *
     * @return the number of bytes decoded, or -1 when the input is not canonical Base64 (empty, a length that is not
     *     a multiple of 4, a byte outside the alphabet, '=' other than one or two at the very end); {@code dst} then
     *     holds garbage
     */
    static int decode(byte[] src, int offset, int length, byte[] dst) {
        if (length == 0 || length % 4 != 0) {
            return -1;
        }
        int end = offset + length - 4; // the last unit is decoded apart: it may be padded
        int out = 0;
        int invalid = 0; // any byte outside the alphabet makes this negative: one test after the loop, not four per unit
        for (int i = offset; i < end; i += 4) {
            int a = VALUES[src[i] & 0xFF];
            int b = VALUES[src[i + 1] & 0xFF];
            int c = VALUES[src[i + 2] & 0xFF];
            int d = VALUES[src[i + 3] & 0xFF];
            invalid |= a | b | c | d;
            int bits = a << 18 | b << 12 | c << 6 | d;
            dst[out] = (byte) (bits >> 16);
            dst[out + 1] = (byte) (bits >> 8);
            dst[out + 2] = (byte) bits;
            out += 3;
        }
        int a = VALUES[src[end] & 0xFF];
        int b = VALUES[src[end + 1] & 0xFF];
        byte third = src[end + 2];
        byte fourth = src[end + 3];
        invalid |= a | b;
        if (invalid < 0) {
            return -1;
        }
        if (fourth == '=') {
            if (third == '=') { // "xx==": one byte
                dst[out] = (byte) ((a << 18 | b << 12) >> 16);
                return out + 1;
            }
            int c = VALUES[third & 0xFF];
            if (c < 0) {
                return -1;
            }
            int bits = a << 18 | b << 12 | c << 6; // "xxx=": two bytes
            dst[out] = (byte) (bits >> 16);
            dst[out + 1] = (byte) (bits >> 8);
            return out + 2;
        }
        int c = VALUES[third & 0xFF];
        int d = VALUES[fourth & 0xFF];
        if ((c | d) < 0) {
            return -1;
        }
        int bits = a << 18 | b << 12 | c << 6 | d;
        dst[out] = (byte) (bits >> 16);
        dst[out + 1] = (byte) (bits >> 8);
        dst[out + 2] = (byte) bits;
        return out + 3;
    }

    private static byte[] values() {
        byte[] values = new byte[256];
        Arrays.fill(values, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            values[alphabet.charAt(i)] = (byte) i;
        }
        return values;
    }
}
