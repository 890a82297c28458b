package io.github.wecomcallback.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.crypto.EncryptedReply;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** What the simulator reads back is exactly what the filter wrote, and nothing looser passes for a reply. */
class ReplyEnvelopeTest {
    @Property(tries = 500)
    void xml_readsBackWhatItWrote(@ForAll("replies") EncryptedReply reply) throws MessageFormatException {
        assertEquals(reply, ReplyEnvelope.fromXml(ReplyEnvelope.toXml(reply)));
    }

    @Property(tries = 500)
    void json_readsBackWhatItWrote(@ForAll("replies") EncryptedReply reply) throws MessageFormatException {
        assertEquals(reply, ReplyEnvelope.fromJson(ReplyEnvelope.toJson(reply)));
    }

    @Test
    void cdata_splitsEveryEndMarker_acrossTwoSections() {
        assertEquals("<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>]]>", Escaping.cdata("a]]>b]]>"));
        assertEquals("<![CDATA[]]>", Escaping.cdata(""));
        assertEquals("<![CDATA[x]]y>]]>", Escaping.cdata("x]]y>"));
    }

    @Test
    void theOfficialSampleShape_withWhitespaceAndPlainText_isRead() throws MessageFormatException {
        EncryptedReply reply = ReplyEnvelope.fromXml("<xml>\n  <Encrypt><![CDATA[abc+/=]]></Encrypt>\n"
                + "  <MsgSignature>0123456789abcdef0123456789abcdef01234567</MsgSignature>\n"
                + "  <TimeStamp>1409659813</TimeStamp>\n  <Nonce><![CDATA[1372623149]]></Nonce>\n</xml>\n");
        assertEquals(new EncryptedReply("abc+/=", "0123456789abcdef0123456789abcdef01234567", 1409659813L,
                "1372623149"), reply);
    }

    @Test
    void aQuotedTimestamp_asWeComsPythonSampleWritesIt_isRead() throws MessageFormatException {
        // WXBizJsonMsgCrypt.py: {"encrypt": "%(msg_encrypt)s", "msgsignature": ..., "timestamp": "%(timestamp)s", ...}
        assertEquals(new EncryptedReply("abc", "sig", 1700000000L, "n1"), ReplyEnvelope.fromJson(
                "{\"encrypt\": \"abc\", \"msgsignature\": \"sig\", \"timestamp\": \"1700000000\", \"nonce\": \"n1\"}"));
    }

    @Test
    void aPlaintextReply_isNamedAsSuch() {
        MessageFormatException e = assertThrows(MessageFormatException.class, () -> ReplyEnvelope.fromXml(
                "<xml><ToUserName><![CDATA[u]]></ToUserName><MsgType><![CDATA[text]]></MsgType></xml>"));
        assertTrue(e.getMessage().contains("no <Encrypt>") && e.getMessage().contains("plaintext reply"),
                e.getMessage());
    }

    @Test
    void aFieldTwice_aDtd_aTextTimeStamp_andANonNumericTimestamp_areRefused() {
        String two = "<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt><MsgSignature>s</MsgSignature>"
                + "<TimeStamp>1</TimeStamp><Nonce>n</Nonce></xml>";
        assertTrue(assertThrows(MessageFormatException.class, () -> ReplyEnvelope.fromXml(two)).getMessage()
                .contains("more than one <Encrypt>"));
        String dtd = "<!DOCTYPE xml [<!ENTITY e \"x\">]><xml><Encrypt>&e;</Encrypt><MsgSignature>s</MsgSignature>"
                + "<TimeStamp>1</TimeStamp><Nonce>n</Nonce></xml>";
        assertThrows(MessageFormatException.class, () -> ReplyEnvelope.fromXml(dtd));
        String text = "<xml><Encrypt>a</Encrypt><MsgSignature>s</MsgSignature><TimeStamp>now</TimeStamp>"
                + "<Nonce>n</Nonce></xml>";
        assertTrue(assertThrows(MessageFormatException.class, () -> ReplyEnvelope.fromXml(text)).getMessage()
                .contains("not a number of seconds"));
        String object = "{\"encrypt\":\"a\",\"msgsignature\":\"s\",\"timestamp\":{},\"nonce\":\"n\"}";
        assertTrue(assertThrows(MessageFormatException.class, () -> ReplyEnvelope.fromJson(object)).getMessage()
                .contains("\"timestamp\" must be a string or a number"));
        String quotedText = "{\"encrypt\":\"a\",\"msgsignature\":\"s\",\"timestamp\":\"now\",\"nonce\":\"n\"}";
        assertThrows(MessageFormatException.class, () -> ReplyEnvelope.fromJson(quotedText));
        String fraction = "{\"encrypt\":\"a\",\"msgsignature\":\"s\",\"timestamp\":1.5,\"nonce\":\"n\"}";
        assertThrows(MessageFormatException.class, () -> ReplyEnvelope.fromJson(fraction));
    }

    @Provide
    Arbitrary<EncryptedReply> replies() {
        Arbitrary<String> base64 = Arbitraries.strings().withChars("ABCxyz019+/=").ofMinLength(1).ofMaxLength(200);
        Arbitrary<String> hex = Arbitraries.strings().withChars("0123456789abcdef").ofLength(40);
        Arbitrary<Long> seconds = Arbitraries.longs().between(0, 99_999_999_999L);
        // Nonces are the callback's: anything WeCom sends, including characters XML and JSON must escape.
        Arbitrary<String> nonce = Arbitraries.strings().withChars("0123456789az<&>\"]\\ \u4e2d").ofMinLength(1)
                .ofMaxLength(20).filter(n -> n.equals(n.strip()));
        return Combinators.combine(base64, hex, seconds, nonce).as(EncryptedReply::new);
    }
}
