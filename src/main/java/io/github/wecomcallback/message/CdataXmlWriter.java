package io.github.wecomcallback.message;

import java.util.Set;

import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes text as CDATA, as the official samples do, except in the numeric elements that WeCom writes
 * bare ({@code CreateTime}, {@code ArticleCount}, {@code TimeStamp}). A {@code ]]>} inside text is split
 * across two sections so the document stays well-formed.
 */
final class CdataXmlWriter extends DelegatingXmlStreamWriter {
    private static final Set<String> BARE = Set.of("CreateTime", "ArticleCount", "TimeStamp");

    private String element;

    CdataXmlWriter(XMLStreamWriter delegate) {
        super(delegate);
    }

    @Override
    public void writeStartElement(String localName) throws XMLStreamException {
        element = localName;
        super.writeStartElement(localName);
    }

    @Override
    public void writeStartElement(String namespaceUri, String localName) throws XMLStreamException {
        element = localName;
        super.writeStartElement(namespaceUri, localName);
    }

    @Override
    public void writeStartElement(String prefix, String localName, String namespaceUri) throws XMLStreamException {
        element = localName;
        super.writeStartElement(prefix, localName, namespaceUri);
    }

    @Override
    public void writeCharacters(String text) throws XMLStreamException {
        if (BARE.contains(element)) {
            super.writeCharacters(text);
            return;
        }
        int start = 0;
        int end;
        while ((end = text.indexOf("]]>", start)) >= 0) {
            super.writeCData(text.substring(start, end + 2));
            start = end + 2;
        }
        super.writeCData(text.substring(start));
    }

    @Override
    public void writeCharacters(char[] text, int start, int len) throws XMLStreamException {
        writeCharacters(new String(text, start, len));
    }
}
