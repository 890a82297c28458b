package io.github.wecomcallback.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The query parser against the plainest reading of the rule: decode every name and value once. */
class QueryStringTest {
    private static final List<String> NAMES = List.of(QueryString.MSG_SIGNATURE, QueryString.TIMESTAMP,
            QueryString.NONCE, QueryString.ECHOSTR);

    /** The rule, written without shortcuts: the parameters' values in NAMES order, or the exception's message. */
    private static String reference(String query) {
        String[] values = new String[NAMES.size()];
        for (String part : query.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name;
            try {
                name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                continue;
            }
            int i = NAMES.indexOf(name);
            if (i < 0) {
                continue;
            }
            if (values[i] != null) {
                return "refused: " + name + " is given more than once";
            }
            try {
                values[i] = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "refused";
            }
        }
        return Arrays.toString(values);
    }

    private static String parsed(String query) {
        try {
            QueryString q = QueryString.parse(query);
            return Arrays.toString(NAMES.stream().map(q::get).toArray());
        } catch (IllegalArgumentException e) {
            return e.getMessage().contains("more than once") ? "refused: " + e.getMessage() : "refused";
        }
    }

    @Property(tries = 3000)
    void agreesWithTheRule(@ForAll("queries") String query) {
        assertEquals(reference(query), parsed(query), query);
    }

    @Provide
    Arbitrary<String> queries() {
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of(NAMES),
                Arbitraries.of("n%6Fnce", "msg%5Fsignature", "time+stamp", "%65chostr", "nonce%", "%zz", "nonc",
                        "noncee", "Nonce", "echostr%20", ""),
                Arbitraries.strings().withChars("aemnos%+_=2F5").ofMaxLength(6));
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789abcXYZ+/=").ofMaxLength(12),
                Arbitraries.of("%2B", "%3D%3D", "a%2", "%E4%BD%A0", "%", "a+b"));
        Arbitrary<String> pair = Arbitraries.oneOf(name.flatMap(n -> value.map(v -> n + "=" + v)), name);
        return pair.list().ofMaxSize(7).map(parts -> String.join("&", parts));
    }

    @Test
    void escapedNames_areTheirDecodedSelves_andRepeatsAreRefusedWhateverTheSpelling() {
        QueryString q = QueryString.parse("n%6Fnce=1&msg%5Fsignature=a%2Bb&other=%zz");
        assertEquals("1", q.get(QueryString.NONCE));
        assertEquals("a+b", q.get(QueryString.MSG_SIGNATURE));
        assertThrows(IllegalArgumentException.class, () -> QueryString.parse("nonce=1&n%6Fnce=2"));
    }

    /**
     * The value decoder against URLDecoder itself, which it stands in for: the same text or a refusal for the same
     * input, for ASCII and beyond, escapes well formed or not (a sign in an escape, one cut short, bytes of UTF-8 whole
     * or broken).
     */
    @Property(tries = 20_000)
    void decode_readsAsUrlDecoderReads(@ForAll("escapedText") String text) {
        assertEquals(urlDecoded(text), decoded(text), text);
    }

    @Test
    void decode_ofWhatWeComEscapes() {
        assertEquals("a+b/c==", QueryString.decode("a%2Bb%2fc%3D%3d"));
        assertEquals("a b", QueryString.decode("a+b"));
        assertEquals("\u4f60", QueryString.decode("%E4%BD%A0"));
        assertEquals("refused", decoded("a%2"));
        String plain = "1409659813";
        assertSame(plain, QueryString.decode(plain)); // nothing to decode: no copy
    }

    @Provide
    Arbitrary<String> escapedText() {
        Arbitrary<String> piece = Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ09fFgG+/=-.~ ").ofMinLength(1).ofMaxLength(3),
                Arbitraries.of("%2B", "%2f", "%3D", "%7F", "%00", "%0a", "%80", "%C3%A9", "%E4%BD%A0", "%E4%BD", "%FF",
                        "%+1", "%-1", "%2", "%", "%g0", "%0g", "\u4e2d", "\u00e9"));
        return piece.list().ofMaxSize(8).map(parts -> String.join("", parts));
    }

    private static String urlDecoded(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "refused";
        }
    }

    private static String decoded(String text) {
        try {
            return QueryString.decode(text);
        } catch (IllegalArgumentException e) {
            return "refused";
        }
    }
}
