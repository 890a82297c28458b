package io.github.wecomcallback.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile XML is refused before it can read files, open sockets or expand entities. */
class SafeXmlTest {
    private static final String CANARY = "CANARY-7f3a9c";

    @TempDir
    Path dir;

    @Test
    void externalEntity_pointingAtAFile_isRefused_andTheCanaryNeverAppears() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), CANARY);
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + "<xml><ToUserName>&xxe;</ToUserName><Encrypt>&xxe;</Encrypt><MsgType>&xxe;</MsgType></xml>";
        MessageFormatException envelope = assertThrows(MessageFormatException.class,
                () -> MessageCodec.parseEnvelope(xml.getBytes(UTF_8)));
        MessageFormatException message = assertThrows(MessageFormatException.class,
                () -> MessageCodec.parseMessage(xml.getBytes(UTF_8)));
        assertFalse(envelope.getMessage().contains(CANARY));
        assertFalse(message.getMessage().contains(CANARY));
    }

    @Test
    void externalEntityAndDtd_pointingAtALocalSocket_neverConnect() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/x";
            String[] attacks = {
                "<!DOCTYPE xml [<!ENTITY xxe SYSTEM \"" + url + "\">]><xml><Encrypt>&xxe;</Encrypt></xml>",
                "<!DOCTYPE xml SYSTEM \"" + url + "\"><xml><Encrypt>abc</Encrypt></xml>",
                "<!DOCTYPE xml [<!ENTITY % p SYSTEM \"" + url + "\"> %p;]><xml><Encrypt>abc</Encrypt></xml>"};
            for (String attack : attacks) {
                assertThrows(MessageFormatException.class, () -> MessageCodec.parseEnvelope(attack.getBytes(UTF_8)));
                assertThrows(MessageFormatException.class, () -> MessageCodec.parseMessage(attack.getBytes(UTF_8)));
            }
            listener.setSoTimeout(200);
            assertThrows(SocketTimeoutException.class, listener::accept, "the parser connected to the socket");
        }
    }

    @Test
    void billionLaughs_isRefusedAtTheDtd_beforeAnyExpansion() {
        StringBuilder dtd = new StringBuilder("<!DOCTYPE xml [<!ENTITY lol0 \"lol\">");
        for (int i = 1; i <= 9; i++) {
            String previous = "&lol" + (i - 1) + ";";
            dtd.append("<!ENTITY lol").append(i).append(" \"").append(previous.repeat(10)).append("\">");
        }
        byte[] bomb = (dtd + "]><xml><Encrypt>&lol9;</Encrypt></xml>").getBytes(UTF_8);
        MessageCodec.class.getName(); // load and initialise outside the timed part
        assertThrows(MessageFormatException.class, () -> MessageCodec.parseEnvelope(new byte[] {'<'}));
        // Expanded, this is 10^9 "lol"s: gigabytes and minutes. Refused at the DOCTYPE it takes microseconds; the
        // bound is generous so that a loaded CI machine cannot fail it, yet far below what an expansion would take.
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertThrows(MessageFormatException.class, () -> MessageCodec.parseEnvelope(bomb));
            assertThrows(MessageFormatException.class, () -> MessageCodec.parseMessage(bomb));
        });
    }

    @Test
    void deepNesting_isRefused() {
        String deep = "<xml>" + "<a>".repeat(100) + "</a>".repeat(100) + "</xml>";
        assertThrows(MessageFormatException.class, () -> MessageCodec.parseMessage(deep.getBytes(UTF_8)));
    }

    @Test
    void oversizedDocument_isRefusedBeforeParsing() {
        byte[] huge = new byte[SafeXml.MAX_BYTES + 1];
        assertThrows(MessageFormatException.class, () -> MessageCodec.parseMessage(huge));
    }

    @Test
    void malformedOrForeignDocuments_areRefused() {
        for (String body : new String[] {"", "   ", "<xml>", "<html><body>hi</body></html>", "<xml></xml>",
            "<xml><ToUserName>a</ToUserName></xml>", "\u0000", "{}", "{\"encrypt\":1}", "{\"encrypt\":\"a\"",
            "{\"encrypt\":\"a\"} trailing", "{\"encrypt\":\"a\",\"encrypt\":\"b\"}"}) {
            assertThrows(MessageFormatException.class, () -> MessageCodec.parseEnvelope(body.getBytes(UTF_8)),
                    body);
        }
    }

    @Test
    void jsonEnvelope_acceptsBothSpellings_andSkipsOtherMembers() throws Exception {
        assertEquals("abc+/=", MessageCodec.parseEnvelope("{\"encrypt\":\"abc+/=\"}".getBytes(UTF_8)).encrypt());
        EncryptedEnvelope legacy = MessageCodec.parseEnvelope(
                " {\"x\":[1,2.5e3,{\"y\":null}],\"Encrypt\":\"a\\/b\",\"z\":true}\n".getBytes(UTF_8));
        assertEquals("a/b", legacy.encrypt());
        assertEquals(true, legacy.isJson());
    }

    @Test
    void jsonEnvelope_deepNesting_isRefused() {
        String deep = "{\"x\":" + "[".repeat(1000) + "]".repeat(1000) + ",\"encrypt\":\"a\"}";
        assertThrows(MessageFormatException.class, () -> MessageCodec.parseEnvelope(deep.getBytes(UTF_8)));
    }
}
