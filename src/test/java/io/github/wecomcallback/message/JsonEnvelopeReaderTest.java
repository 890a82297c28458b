package io.github.wecomcallback.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written bot envelope reader against Gson's strict {@link JsonReader}, a well-kept JSON library: on
 * every input, both accept with the same {@code encrypt}, or both refuse (duplicates and a non-string
 * {@code encrypt} are refused by ours; Gson is taught the same two rules).
 */
class JsonEnvelopeReaderTest {
    @Property(tries = 3000)
    void agreesWithGson(@ForAll("envelopes") String json) {
        String ours;
        try {
            ours = JsonEnvelopeReader.readEncrypt(json.getBytes(UTF_8));
        } catch (MessageFormatException e) {
            ours = "REFUSED";
        }
        assertEquals(gson(json), ours, json);
    }

    /** Gson strict, with our two rules: one {@code encrypt} (or {@code Encrypt}) at most, and a string. */
    private static String gson(String json) {
        try (JsonReader reader = new JsonReader(new StringReader(json))) {
            reader.setStrictness(Strictness.STRICT);
            reader.setNestingLimit(16);
            String encrypt = null;
            reader.beginObject();
            while (reader.hasNext()) {
                String name = reader.nextName();
                if (name.equals("encrypt") || name.equals("Encrypt")) {
                    if (encrypt != null || reader.peek() != JsonToken.STRING) {
                        return "REFUSED";
                    }
                    encrypt = reader.nextString();
                } else {
                    reader.skipValue();
                }
            }
            reader.endObject();
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                return "REFUSED";
            }
            return encrypt;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            return "REFUSED";
        }
    }

    @Provide
    Arbitrary<String> envelopes() {
        Arbitrary<String> string = Arbitraries.strings().withChars("aZ09+/=\\\"u\u4e2d ").ofMaxLength(8)
                .map(s -> "\"" + s + "\"");
        Arbitrary<String> number = Arbitraries.of("0", "-1", "1.5", "1e9", "-0.0E+2", "01", "1.", ".5", "-", "1e");
        Arbitrary<String> literal = Arbitraries.of("true", "false", "null", "tru", "nul");
        Arbitrary<String> scalar = Arbitraries.oneOf(string, number, literal, Arbitraries.of("[]", "{}", "[1,[2]]",
                "{\"a\":{\"b\":[]}}", "[1,]", "{,}"));
        Arbitrary<String> name = Arbitraries.of("\"encrypt\"", "\"Encrypt\"", "\"other\"", "\"encrypt\"", "\"x\\u0041\"");
        Arbitrary<String> member = Combinators.combine(name, scalar, Arbitraries.of("", " ", "\n"))
                .as((n, v, ws) -> ws + n + ws + ":" + ws + v);
        return Combinators.combine(member.list().ofMaxSize(4), Arbitraries.of("", " ", "\n", "x", ","))
                .as((members, tail) -> "{" + String.join(",", members) + "}" + tail);
    }
}
