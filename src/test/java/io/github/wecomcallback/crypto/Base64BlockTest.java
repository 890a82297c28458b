package io.github.wecomcallback.crypto;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link Base64Block} against the JDK's decoder, which it stands in for on the callback path: whatever it decodes,
 * the JDK decodes to the same bytes; whatever the JDK's encoder writes, it decodes (it declines only what is not
 * canonical, and the JDK then decides).
 */
class Base64BlockTest {

    @Property(tries = 3000)
    void everyCanonicalEncoding_isDecoded_asTheJdkDecodesIt(@ForAll @Size(max = 400) byte[] data,
            @ForAll @IntRange(max = 7) int before, @ForAll @IntRange(max = 7) int after) {
        byte[] encoded = Base64.getEncoder().encode(data);
        if (data.length == 0) {
            assertNull(decodeAt(encoded, before, after), "nothing to decode is not a ciphertext: declined");
            return;
        }
        assertArrayEquals(data, decodeAt(encoded, before, after));
    }

    /**
     * Text near Base64 (one byte changed to anything, padding moved or missing, bytes added or cut, the URL-safe
     * alphabet): decoded exactly as the JDK decodes it, or declined.
     */
    @Property(tries = 5000)
    void nearBase64_isDecodedAsTheJdkDecodesIt_orDeclined(@ForAll @Size(min = 1, max = 200) byte[] data,
            @ForAll("mutations") int mutation, @ForAll @IntRange(max = 10_000) int position, @ForAll byte replacement) {
        byte[] text = Base64.getEncoder().encode(data);
        int at = position % text.length;
        text = switch (mutation) {
            case 0 -> replaced(text, at, replacement);
            case 1 -> replaced(text, at, (byte) '=');
            case 2 -> Arrays.copyOf(text, at); // cut short
            case 3 -> concat(text, new byte[] {replacement}); // a byte after the padding
            case 4 -> strippedPadding(text);
            case 5 -> Base64.getUrlEncoder().encode(data);
            case 6 -> replaced(text, at, (byte) (text[at] ^ 0x80)); // the same character, non-ASCII
            default -> throw new IllegalStateException();
        };
        assertAgreesWithTheJdk(text);
    }

    @Property(tries = 3000)
    void anyBytes_areDecodedAsTheJdkDecodesThem_orDeclined(@ForAll @Size(max = 64) byte[] text) {
        assertAgreesWithTheJdk(text);
    }

    /** A padded last unit's unused low bits: ignored, as the JDK ignores them (and WeCom never sets them). */
    @Test
    void unusedLowBitsOfThePaddedUnit_areIgnoredLikeTheJdk() {
        for (String text : new String[] {"QQ==", "QR==", "QUE=", "QUF=", "QUJD", "////", "AA==", "AB==", "A/=="}) {
            byte[] ascii = text.getBytes(ISO_8859_1);
            assertArrayEquals(Base64.getDecoder().decode(ascii), decodeAt(ascii, 0, 0), text);
        }
    }

    @Test
    void nonCanonicalForms_areDeclined() {
        for (String text : new String[] {"", "Q", "QQ", "QUE", "QQ=", "Q===", "====", "QQ==QQ==", "Q=Q=", "QU=E",
                "QU E", "QU\nE", "QUE-", "QUE_", "QUJDRA"}) {
            assertNull(decodeAt(text.getBytes(ISO_8859_1), 3, 2), text);
        }
    }

    @Provide
    Arbitrary<Integer> mutations() {
        return Arbitraries.integers().between(0, 6);
    }

    private static void assertAgreesWithTheJdk(byte[] text) {
        byte[] ours = decodeAt(text, 2, 3);
        if (ours == null) {
            return; // declined: the JDK decides, on the callback path as here
        }
        byte[] jdk;
        try {
            jdk = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("decoded what the JDK refuses (" + e.getMessage() + "): "
                    + new String(text, ISO_8859_1));
        }
        assertArrayEquals(jdk, ours, new String(text, ISO_8859_1));
    }

    /**
     * Decodes {@code text} lying in a larger array ({@code before} and {@code after} bytes of Base64 letters around
     * it, which must not be read) into a buffer that held garbage: the decoded bytes, or null when declined.
     */
    private static byte[] decodeAt(byte[] text, int before, int after) {
        byte[] src = new byte[before + text.length + after];
        Arrays.fill(src, (byte) 'A');
        System.arraycopy(text, 0, src, before, text.length);
        byte[] dst = new byte[Base64Block.maxDecodedLength(text.length)];
        Arrays.fill(dst, (byte) 0x5A);
        int decoded = Base64Block.decode(src, before, text.length, dst);
        return decoded < 0 ? null : Arrays.copyOf(dst, decoded);
    }

    private static byte[] replaced(byte[] text, int at, byte value) {
        byte[] copy = text.clone();
        copy[at] = value;
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    private static byte[] strippedPadding(byte[] text) {
        int end = text.length;
        while (end > 0 && text[end - 1] == '=') {
            end--;
        }
        return Arrays.copyOf(text, end);
    }
}
