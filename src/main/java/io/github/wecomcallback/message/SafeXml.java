package io.github.wecomcallback.message;

import java.io.ByteArrayInputStream;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

/**
 * The one StAX setup for untrusted XML: created once, DTDs refused outright (so no external entity, no
 * entity expansion, no billion laughs), bounded depth and size. Callbacks are flat documents a few levels
 * deep; anything deeper or larger is not from WeCom.
 */
final class SafeXml {
    static final int MAX_DEPTH = 16;
    static final int MAX_BYTES = 4 * 1024 * 1024;

    private static final XMLInputFactory FACTORY = newFactory();

    private SafeXml() {
    }

    private static XMLInputFactory newFactory() {
        // The JDK's own implementation, whatever StAX parser the application brings (Woodstox, ...).
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external entities are not allowed");
        });
        trySet(factory, XMLConstants.ACCESS_EXTERNAL_DTD, "");
        trySet(factory, XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return factory;
    }

    private static void trySet(XMLInputFactory factory, String name, Object value) {
        try {
            factory.setProperty(name, value);
        } catch (IllegalArgumentException notSupported) {
            // Other StAX implementations may not know these names; DTDs are refused anyway.
        }
    }

    /**
     * A reader positioned on the root element. Throws before any content is read if the document is too
     * large or declares a DTD.
     */
    static XMLStreamReader openAtRoot(byte[] xml) throws XMLStreamException {
        if (xml.length > MAX_BYTES) {
            throw new XMLStreamException("the document is " + xml.length + " bytes, more than " + MAX_BYTES);
        }
        // Checked here because the JDK's parser prints "[Fatal Error]" to stderr (catalina.out) for every
        // malformed byte sequence it meets: a line per request that no rate limit would hold back.
        int malformed = firstMalformedUtf8(xml);
        if (malformed >= 0) {
            throw new XMLStreamException("the document is not UTF-8: malformed byte sequence at offset " + malformed);
        }
        XMLStreamReader reader = new Guarded(FACTORY.createXMLStreamReader(new ByteArrayInputStream(xml)));
        int event = reader.getEventType();
        while (event != XMLStreamConstants.START_ELEMENT) {
            if (event == XMLStreamConstants.END_DOCUMENT) {
                throw new XMLStreamException("the document has no root element");
            }
            event = reader.next();
        }
        return reader;
    }

    /**
     * The text of the named children of an {@code <xml>} root (null when absent): any well-formed document,
     * unknown elements skipped, a named field given twice refused.
     */
    static String[] readFields(byte[] xml, String... names) throws MessageFormatException {
        XMLStreamReader reader = null;
        try {
            reader = openAtRoot(xml);
            if (!"xml".equals(reader.getLocalName()) || !isEmpty(reader.getNamespaceURI())) {
                throw new MessageFormatException("the root element is <" + reader.getLocalName() + ">, not <xml>");
            }
            String[] fields = new String[names.length];
            int event;
            while ((event = reader.next()) != XMLStreamConstants.END_ELEMENT) {
                if (event != XMLStreamConstants.START_ELEMENT) {
                    continue; // whitespace, comments, processing instructions between the fields
                }
                int field = isEmpty(reader.getNamespaceURI()) ? indexOf(names, reader.getLocalName()) : -1;
                if (field < 0) {
                    skipElement(reader);
                    continue;
                }
                if (fields[field] != null) {
                    throw new MessageFormatException("the envelope has more than one <" + names[field] + ">");
                }
                fields[field] = reader.getElementText();
            }
            while (reader.next() != XMLStreamConstants.END_DOCUMENT) {
                // the parser checks that nothing but comments, processing instructions and whitespace follows
            }
            return fields;
        } catch (XMLStreamException | RuntimeException e) {
            throw new MessageFormatException("not a well-formed WeCom XML document: " + rootMessage(e), e);
        } finally {
            closeQuietly(reader);
        }
    }

    private static void skipElement(XMLStreamReader reader) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isEmpty(String text) {
        return text == null || text.isEmpty();
    }

    /** The innermost cause's message on one line: what a parser failure was really about. */
    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.replaceAll("\\s+", " ");
    }

    static void closeQuietly(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // Nothing to release from a byte array.
            }
        }
    }

    /** The offset of the first byte that does not start a well-formed UTF-8 sequence, or -1 if there is none. */
    static int firstMalformedUtf8(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + length > bytes.length) {
                return i;
            }
            int code = b & (0xFF >> (length + 1));
            for (int k = 1; k < length; k++) {
                int next = bytes[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    return i;
                }
                code = code << 6 | (next & 0x3F);
            }
            if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                return i; // overlong, beyond Unicode, or a surrogate
            }
            i += length;
        }
        return -1;
    }

    /** Refuses DTDs, entity references and excessive depth as the parser reaches them. */
    private static final class Guarded extends StreamReaderDelegate {
        private int depth;

        Guarded(XMLStreamReader reader) throws XMLStreamException {
            super(reader);
            check(reader.getEventType());
        }

        @Override
        public int next() throws XMLStreamException {
            return check(super.next());
        }

        @Override
        public int nextTag() throws XMLStreamException {
            int event = next();
            while ((event == XMLStreamConstants.CHARACTERS && isWhiteSpace())
                    || (event == XMLStreamConstants.CDATA && isWhiteSpace())
                    || event == XMLStreamConstants.SPACE
                    || event == XMLStreamConstants.PROCESSING_INSTRUCTION
                    || event == XMLStreamConstants.COMMENT) {
                event = next();
            }
            if (event != XMLStreamConstants.START_ELEMENT && event != XMLStreamConstants.END_ELEMENT) {
                throw new XMLStreamException("expected an element, found event " + event);
            }
            return event;
        }

        @Override
        public String getElementText() throws XMLStreamException {
            StringBuilder text = new StringBuilder();
            int event = next();
            while (event != XMLStreamConstants.END_ELEMENT) {
                if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA
                        || event == XMLStreamConstants.SPACE) {
                    text.append(getText());
                } else if (event != XMLStreamConstants.COMMENT && event != XMLStreamConstants.PROCESSING_INSTRUCTION) {
                    throw new XMLStreamException("unexpected content in a text-only element");
                }
                event = next();
            }
            return text.toString();
        }

        private int check(int event) throws XMLStreamException {
            switch (event) {
                case XMLStreamConstants.DTD -> throw new XMLStreamException("DTDs are not allowed");
                case XMLStreamConstants.ENTITY_REFERENCE ->
                        throw new XMLStreamException("entity references are not allowed");
                case XMLStreamConstants.START_ELEMENT -> {
                    if (++depth > MAX_DEPTH) {
                        throw new XMLStreamException("elements nest deeper than " + MAX_DEPTH);
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> depth--;
                default -> {
                }
            }
            return event;
        }
    }
}
