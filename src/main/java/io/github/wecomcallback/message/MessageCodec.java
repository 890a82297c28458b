package io.github.wecomcallback.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Unmarshaller;

/**
 * Parses untrusted envelopes and messages safely (see {@link SafeXml}) and writes replies as WeCom expects
 * them. The JAXB context is built once; this class is thread-safe.
 */
public final class MessageCodec {
    private static final JAXBContext CONTEXT = newContext();

    private MessageCodec() {
    }

    private static JAXBContext newContext() {
        try {
            return JAXBContext.newInstance(WeComMessage.class);
        } catch (JAXBException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Builds the JAXB context and the parsers now (a few hundred milliseconds) rather than on the first
     * callback. Call it at start-up; calling it again costs nothing.
     */
    public static void initialize() {
        try {
            parseEnvelope("<xml><Encrypt>x</Encrypt></xml>".getBytes(StandardCharsets.UTF_8));
            XmlEnvelopeReader.readWithStax("<xml><Encrypt>x</Encrypt></xml>".getBytes(StandardCharsets.UTF_8));
            parseMessage("<xml><MsgType>text</MsgType></xml>".getBytes(StandardCharsets.UTF_8));
        } catch (MessageFormatException e) {
            throw new IllegalStateException("the XML codec does not work on this JVM", e);
        }
    }

    /**
     * Reads the envelope of a POST callback: XML ({@code <xml><Encrypt>...}) or, when the body starts with
     * <code>&#123;</code>, the JSON envelope of smart bots. The envelope may read its fields from {@code body} where
     * they lie, later: do not change the array while the envelope is in use.
     *
     * @throws MessageFormatException if the body is neither, or carries no ciphertext
     */
    public static EncryptedEnvelope parseEnvelope(byte[] body) throws MessageFormatException {
        EncryptedEnvelope envelope;
        if (firstSignificantByte(ByteBuffer.wrap(body)) == '{') {
            envelope = EncryptedEnvelope.ofJson(JsonEnvelopeReader.readEncrypt(body));
        } else {
            envelope = XmlEnvelopeReader.read(body);
        }
        if (!envelope.hasEncrypt()) {
            throw new MessageFormatException("the envelope has no Encrypt field");
        }
        return envelope;
    }

    /** Parses a decrypted XML message. */
    public static WeComMessage parseMessage(byte[] xml) throws MessageFormatException {
        return unmarshal(xml, WeComMessage.class);
    }

    /** Serialises a reply as the official samples do: no declaration, CDATA for text, numbers bare. */
    public static String toXml(Reply reply) {
        return reply.toXml();
    }

    private static <T> T unmarshal(byte[] xml, Class<T> type) throws MessageFormatException {
        XMLStreamReader reader = null;
        try {
            reader = SafeXml.openAtRoot(xml);
            if (!"xml".equals(reader.getLocalName())) {
                throw new MessageFormatException("the root element is <" + reader.getLocalName() + ">, not <xml>");
            }
            Unmarshaller unmarshaller = CONTEXT.createUnmarshaller();
            return unmarshaller.unmarshal(reader, type).getValue();
        } catch (XMLStreamException | JAXBException | RuntimeException e) {
            throw new MessageFormatException("not a well-formed WeCom XML document: " + SafeXml.rootMessage(e), e);
        } finally {
            SafeXml.closeQuietly(reader);
        }
    }

    /** True when the text starts, after a BOM and whitespace, as XML ({@code <}) or JSON (<code>&#123;</code>) does. */
    public static boolean looksLikeXmlOrJson(byte[] text) {
        return looksLikeXmlOrJson(ByteBuffer.wrap(text));
    }

    /** The same for the remaining bytes of a buffer (read in place: its position does not move). */
    public static boolean looksLikeXmlOrJson(ByteBuffer text) {
        int first = firstSignificantByte(text);
        return first == '<' || first == '{';
    }

    /** The first byte after an optional UTF-8 BOM and whitespace, or -1 when there is none. */
    private static int firstSignificantByte(ByteBuffer body) {
        int i = body.position();
        int end = body.limit();
        if (end - i >= 3 && (body.get(i) & 0xFF) == 0xEF && (body.get(i + 1) & 0xFF) == 0xBB
                && (body.get(i + 2) & 0xFF) == 0xBF) {
            i += 3;
        }
        while (i < end && (body.get(i) == ' ' || body.get(i) == '\t' || body.get(i) == '\r' || body.get(i) == '\n')) {
            i++;
        }
        return i < end ? body.get(i) : -1;
    }
}
