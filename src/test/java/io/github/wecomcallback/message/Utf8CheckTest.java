package io.github.wecomcallback.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The hand-written UTF-8 check agrees with the JDK's strict decoder on any bytes. */
class Utf8CheckTest {
    @Property(tries = 5000)
    void agreesWithTheJdksStrictDecoder(@ForAll byte[] bytes) {
        assertEquals(jdkAccepts(bytes), SafeXml.firstMalformedUtf8(bytes) < 0);
    }

    @Property(tries = 2000)
    void acceptsEveryString(@ForAll String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(jdkAccepts(bytes), SafeXml.firstMalformedUtf8(bytes) < 0);
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
