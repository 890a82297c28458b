package io.github.wecomcallback.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.SetA;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The fast path and the StAX path of the envelope reader agree on every input the fast path accepts. */
class XmlEnvelopeReaderTest {
    @Test
    void wecomsShapes_takeTheFastPath() {
        assertArrayEquals(new String[] {SetA.CORP_ID, SetA.POST_ENCRYPT, "218"},
                XmlEnvelopeReader.readFast(SetA.POST_BODY.getBytes(UTF_8)));
        assertArrayEquals(new String[] {null, "abc", null},
                XmlEnvelopeReader.readFast("<xml>\n  <Encrypt><![CDATA[abc]]></Encrypt>\n</xml>\n".getBytes(UTF_8)));
        assertArrayEquals(new String[] {null, "abc", "1"},
                XmlEnvelopeReader.readFast("<xml><AgentID>1</AgentID><Encrypt>abc</Encrypt></xml>".getBytes(UTF_8)));
    }

    /**
     * The CDATA scan tests eight bytes at once: for every byte value at every position of values up to 40 bytes
     * (so at each of a word's eight places, and in the tail after the last whole word), from every start, it stops
     * exactly where a byte-by-byte reading does.
     */
    @Test
    void cdataScan_stopsWhereAByteByByteReadingStops() {
        for (int length = 0; length <= 40; length++) {
            for (int at = 0; at < length; at++) {
                for (int value = 0; value < 256; value++) {
                    byte[] text = new byte[length];
                    java.util.Arrays.fill(text, (byte) 'Q');
                    text[at] = (byte) value;
                    boolean allowed = value >= 0x20 && value <= 0x7E && value != ']';
                    for (int start = 0; start <= Math.min(at, 9); start++) {
                        int expected = allowed ? length : at;
                        assertEquals(expected, XmlEnvelopeReader.skipCdataText(text, start, length),
                                "byte " + value + " at " + at + " of " + length + ", from " + start);
                    }
                    if (length > 0) { // the end given short of the array: nothing beyond it is read
                        assertEquals(allowed || at >= length - 1 ? length - 1 : at,
                                XmlEnvelopeReader.skipCdataText(text, 0, length - 1));
                    }
                }
            }
        }
    }

    /**
     * Two stop bytes in one word: a SWAR test may also flag bytes after a true one (a carry or borrow), never before,
     * so the scan returns the first flagged byte; every pair of positions in two words, every pair of edge values.
     */
    @Test
    void cdataScan_withTwoStopBytes_stopsAtTheFirst() {
        int[] edges = {0x00, 0x1F, 0x20, 0x21, 0x5C, 0x5D, 0x5E, 0x7E, 0x7F, 0x80, 0xFE, 0xFF};
        for (int first = 0; first < 16; first++) {
            for (int second = first + 1; second < 16; second++) {
                for (int a : edges) {
                    for (int b : edges) {
                        byte[] text = new byte[16];
                        java.util.Arrays.fill(text, (byte) 'Q');
                        text[first] = (byte) a;
                        text[second] = (byte) b;
                        int expected = 16;
                        for (int i = 15; i >= 0; i--) {
                            int value = text[i] & 0xFF;
                            if (value < 0x20 || value > 0x7E || value == ']') {
                                expected = i;
                            }
                        }
                        assertEquals(expected, XmlEnvelopeReader.skipCdataText(text, 0, 16),
                                a + " at " + first + ", " + b + " at " + second);
                    }
                }
            }
        }
    }

    @Test
    void anythingElse_goesToTheStaxPath_whichRefusesAFieldGivenTwice() throws Exception {
        for (String other : List.of("<?xml version=\"1.0\"?><xml><Encrypt>a</Encrypt></xml>",
                "<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>", "<xml><!-- c --><Encrypt>a</Encrypt></xml>",
                "<xml><Encrypt>a&amp;b</Encrypt></xml>", "<xml><Encrypt><![CDATA[a]]><![CDATA[b]]></Encrypt></xml>",
                "<xml><Other>1</Other><Encrypt>a</Encrypt></xml>", "<xml><Encrypt>a</Encrypt></xml><x/>")) {
            assertNull(XmlEnvelopeReader.readFast(other.getBytes(UTF_8)), other);
        }
        MessageFormatException twice = assertThrows(MessageFormatException.class,
                () -> MessageCodec.parseEnvelope("<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>".getBytes(UTF_8)));
        assertTrue(twice.getMessage().contains("more than one <Encrypt>"), twice.getMessage());
        assertEquals("ab", MessageCodec.parseEnvelope(
                "<xml><Encrypt><![CDATA[a]]><![CDATA[b]]></Encrypt><Other><x/></Other></xml>".getBytes(UTF_8)).encrypt());
    }

    /**
     * Every byte of WeCom's own envelope changed, one at a time, to each of a set of telling values (markup, letters
     * next to the original, controls, non-ASCII): the fast path refuses the result or reads what StAX reads. With
     * room after the root and without, so that the tags are compared both eight bytes at once and near the end.
     */
    @Test
    void everySingleByteChange_isRefusedByTheFastPath_orReadAsStaxReadsIt() throws Exception {
        String corp = "ww0123456789abcdef";
        for (String tail : new String[] {"", "\n", "\n\n\n\n\n\n\n\n\n"}) {
            byte[] genuine = ("<xml><ToUserName><![CDATA[" + corp + "]]></ToUserName><Encrypt><![CDATA[QUJDRA+/==]]>"
                    + "</Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>" + tail).getBytes(UTF_8);
            int changed = 0;
            for (int at = 0; at < genuine.length; at++) {
                byte original = genuine[at];
                for (int value : new int[] {original - 1, original + 1, original ^ 0x20, '<', '>', '/', '!', '[', ']',
                        ' ', 'x', '&', 0, 0x1F, 0x7F, 0x80, 0xE9}) {
                    if ((byte) value == original) {
                        continue;
                    }
                    byte[] body = genuine.clone();
                    body[at] = (byte) value;
                    String[] fast = XmlEnvelopeReader.readFast(body);
                    if (fast == null) {
                        continue;
                    }
                    changed++;
                    String[] stax;
                    try {
                        stax = XmlEnvelopeReader.readWithStax(body);
                    } catch (MessageFormatException e) {
                        throw new AssertionError("the fast path read what StAX refuses: " + new String(body, UTF_8), e);
                    }
                    assertArrayEquals(stax, fast, new String(body, UTF_8));
                }
            }
            assertTrue(changed > 0, "some changes (inside the values) are still WeCom's shape");
        }
    }

    /**
     * WeCom's own layout takes the shortcut of constant markup, and whatever the shortcut accepts (WeCom's envelope
     * with any one byte changed, with whitespace after it or not), the scan of fields in any order and StAX read the
     * same (the property test's envelopes are seldom in exactly this layout).
     */
    @Test
    void wecomsLayout_readByTheShortcut_asTheAnyOrderScanAndStaxReadIt() throws Exception {
        int accepted = 0;
        for (String tail : new String[] {"", "\n", "\r\n  "}) {
            byte[] genuine = ("<xml><ToUserName><![CDATA[ww0123456789abcdef]]></ToUserName><Encrypt><![CDATA[QUJDRA+/"
                    + "==]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>" + tail).getBytes(UTF_8);
            assertNotNull(XmlEnvelopeReader.scanCanonical(genuine));
            assertArrayEquals(XmlEnvelopeReader.scanAnyOrder(genuine), XmlEnvelopeReader.scanCanonical(genuine));
            for (int at = 0; at < genuine.length; at++) {
                for (int value : new int[] {genuine[at] - 1, genuine[at] + 1, '<', '>', ']', ' ', 'x', 0, 0x7F, 0x80}) {
                    byte[] body = genuine.clone();
                    body[at] = (byte) value;
                    int[] canonical = XmlEnvelopeReader.scanCanonical(body);
                    if (canonical != null) {
                        accepted++;
                        assertArrayEquals(XmlEnvelopeReader.scanAnyOrder(body), canonical, new String(body, UTF_8));
                        String[] read = {XmlEnvelopeReader.text(body, canonical, 0),
                            XmlEnvelopeReader.text(body, canonical, 1), XmlEnvelopeReader.text(body, canonical, 2)};
                        assertArrayEquals(XmlEnvelopeReader.readWithStax(body), read, new String(body, UTF_8));
                    }
                }
            }
        }
        assertTrue(accepted > 100, "changes inside the values keep WeCom's layout: " + accepted);
        for (String other : List.of("<xml><Encrypt><![CDATA[abc]]></Encrypt></xml>",
                "<xml><ToUserName><![CDATA[w]]></ToUserName><Encrypt><![CDATA[]]></Encrypt><AgentID><![CDATA[1]]>"
                        + "</AgentID></xml>",
                "<xml><ToUserName><![CDATA[w]]></ToUserName>\n<Encrypt><![CDATA[a]]></Encrypt><AgentID><![CDATA[1]]>"
                        + "</AgentID></xml>")) {
            assertNull(XmlEnvelopeReader.scanCanonical(other.getBytes(UTF_8)), other);
        }
    }

    @Property(tries = 3000)
    void fastAndStaxAgree(@ForAll("envelopes") String envelope) throws Exception {
        byte[] body = envelope.getBytes(UTF_8);
        String[] fast = XmlEnvelopeReader.readFast(body);
        if (fast != null) {
            String[] stax = XmlEnvelopeReader.readWithStax(body);
            assertNotNull(stax);
            assertArrayEquals(stax, fast, envelope);
        }
    }

    @Provide
    Arbitrary<String> envelopes() {
        Arbitrary<String> whitespace = Arbitraries.of("", "", " ", "\n", "\r\n", "\t ");
        Arbitrary<String> content = Arbitraries.strings().withChars("aZ09+/= <>&]!-?\n\u00e9\u4e2d\u007f").ofMaxLength(40);
        Arbitrary<String> name = Arbitraries.of("ToUserName", "Encrypt", "AgentID", "Encrypt", "Other", "encrypt");
        Arbitrary<String> field = Combinators.combine(name, content, Arbitraries.of(true, false), whitespace)
                .as((n, c, cdata, ws) -> ws + "<" + n + ">" + (cdata ? "<![CDATA[" + c + "]]>" : c) + "</" + n + ">");
        Arbitrary<String> fields = field.list().ofMaxSize(5).map(list -> String.join("", list));
        Arbitrary<String> prefix = Arbitraries.of("", "", "", "\n", "<?xml version=\"1.0\"?>", "\ufeff", "x");
        Arbitrary<String> suffix = Arbitraries.of("", "", "", "\n", "<!-- c -->", "<x/>", "junk");
        return Combinators.combine(prefix, fields, whitespace, suffix)
                .as((p, f, ws, s) -> p + "<xml>" + f + ws + "</xml>" + s);
    }
}
