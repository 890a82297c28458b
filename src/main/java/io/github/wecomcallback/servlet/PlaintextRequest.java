package io.github.wecomcallback.servlet;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.wecomcallback.crypto.DecryptedMessage;
import io.github.wecomcallback.message.WeComMessage;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request the application sees on a verified POST: the same request, with the body replaced by the
 * decrypted plaintext and the content type and length describing it. The request attributes of the filter are
 * made when first asked for: an application that reads the body itself never pays for parsing it.
 */
final class PlaintextRequest extends HttpServletRequestWrapper {
    private final DecryptedMessage message;
    /** The plaintext, read in place (read-only) and never moved: each reader works on its own duplicate. */
    private final ByteBuffer body;
    private final String contentType;
    private final Supplier<WeComMessage> parser;
    private ServletInputStream stream;
    private BufferedReader reader;
    private boolean plaintextMade;
    private boolean messageParsed;

    /**
     * @param message the verified message, whose plaintext is the body; not copied
     * @param parser parses the plaintext into a message, or returns null when it cannot (JSON, or a shape not
     *     modelled); called at most once, when the application first asks for the message or the agent id
     */
    PlaintextRequest(HttpServletRequest request, DecryptedMessage message, String contentType,
            Supplier<WeComMessage> parser) {
        super(request);
        this.message = message;
        this.body = message.plaintextBuffer();
        this.contentType = contentType;
        this.parser = parser;
        super.setAttribute(WeComCallbackFilter.ATTRIBUTE_RECEIVE_ID, message.receiveId());
    }

    @Override
    public Object getAttribute(String name) {
        make(name);
        return super.getAttribute(name);
    }

    @Override
    public Enumeration<String> getAttributeNames() {
        make(WeComCallbackFilter.ATTRIBUTE_PLAINTEXT);
        parseMessage();
        return super.getAttributeNames();
    }

    @Override
    public void setAttribute(String name, Object value) {
        markMade(name);
        super.setAttribute(name, value);
    }

    @Override
    public void removeAttribute(String name) {
        markMade(name);
        super.removeAttribute(name);
    }

    /** Sets a lazy attribute the first time it is asked for. */
    private void make(String name) {
        if (!plaintextMade && WeComCallbackFilter.ATTRIBUTE_PLAINTEXT.equals(name)) {
            plaintextMade = true;
            super.setAttribute(name, message.plaintextUtf8());
        } else if (!messageParsed && (WeComCallbackFilter.ATTRIBUTE_MESSAGE.equals(name)
                || WeComCallbackFilter.ATTRIBUTE_AGENT_ID.equals(name))) {
            parseMessage();
        }
    }

    /** What the application set or removed itself is never overwritten by a lazy value. */
    private void markMade(String name) {
        if (WeComCallbackFilter.ATTRIBUTE_PLAINTEXT.equals(name)) {
            plaintextMade = true;
        } else if (WeComCallbackFilter.ATTRIBUTE_MESSAGE.equals(name)) {
            parseMessage();
        }
    }

    /** The agent id comes from the signed message only, never from the envelope (which the signature does not cover). */
    private void parseMessage() {
        if (messageParsed) {
            return;
        }
        messageParsed = true;
        WeComMessage message = parser.get();
        if (message != null) {
            super.setAttribute(WeComCallbackFilter.ATTRIBUTE_MESSAGE, message);
            if (message.agentId() != null && super.getAttribute(WeComCallbackFilter.ATTRIBUTE_AGENT_ID) == null) {
                super.setAttribute(WeComCallbackFilter.ATTRIBUTE_AGENT_ID, message.agentId());
            }
        }
    }

    @Override
    public boolean isAsyncSupported() {
        return false;
    }

    @Override
    public AsyncContext startAsync() {
        throw asyncRefused();
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
        throw asyncRefused();
    }

    private static IllegalStateException asyncRefused() {
        // The reply must be encrypted before the filter returns; an asynchronous reply would escape it.
        return new IllegalStateException("WeComCallbackFilter: asynchronous processing (startAsync) is not supported"
                + " behind the filter; the reply must be written before the servlet returns, so that it can be"
                + " encrypted. Handle slow work after answering (WeCom retries after 5 s anyway).");
    }

    @Override
    public ServletInputStream getInputStream() {
        if (reader != null) {
            throw new IllegalStateException("getReader() has already been called for this request");
        }
        if (stream == null) {
            stream = new BodyStream(body);
        }
        return stream;
    }

    @Override
    public BufferedReader getReader() {
        if (stream != null) {
            throw new IllegalStateException("getInputStream() has already been called for this request");
        }
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(new BodyStream(body), StandardCharsets.UTF_8));
        }
        return reader;
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public String getCharacterEncoding() {
        return StandardCharsets.UTF_8.name();
    }

    @Override
    public void setCharacterEncoding(String encoding) {
        // The plaintext is UTF-8 by protocol; nothing to change.
    }

    @Override
    public int getContentLength() {
        return body.remaining();
    }

    @Override
    public long getContentLengthLong() {
        return body.remaining();
    }

    @Override
    public String getHeader(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "content-type" -> contentType;
            case "content-length" -> Integer.toString(body.remaining());
            default -> super.getHeader(name);
        };
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "content-type", "content-length" -> Collections.enumeration(List.of(getHeader(name)));
            default -> super.getHeaders(name);
        };
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        List<String> names = new ArrayList<>();
        for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
            String name = e.nextElement();
            if (!name.equalsIgnoreCase("content-type") && !name.equalsIgnoreCase("content-length")
                    && !name.equalsIgnoreCase("transfer-encoding")) {
                names.add(name);
            }
        }
        names.add("content-type");
        names.add("content-length");
        return Collections.enumeration(names);
    }

    /**
     * A servlet input stream over bytes already in memory. Bulk reads copy straight out of the buffer (InputStream's
     * defaults read through fresh 8 KiB buffers); nothing hands out the buffer itself, so no reader, not even an
     * OutputStream given to {@link #transferTo}, can change the plaintext that the filter's lazy attributes read.
     */
    static final class BodyStream extends ServletInputStream {
        private final ByteBuffer in;

        /** Reads {@code body} from its position to its limit, through a duplicate: {@code body} itself never moves. */
        BodyStream(ByteBuffer body) {
            this.in = body.duplicate();
        }

        @Override
        public int read() {
            return in.hasRemaining() ? in.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (!in.hasRemaining()) {
                // -1 even when len is 0, as ByteArrayInputStream and Tomcat's own request stream answer: a loop reading
                // into a buffer sized by the Content-Length asks for 0 bytes once it is full, and must see the end.
                return -1;
            }
            int n = Math.min(len, in.remaining());
            in.get(b, off, n);
            return n;
        }

        @Override
        public byte[] readAllBytes() {
            byte[] all = new byte[in.remaining()];
            in.get(all);
            return all;
        }

        @Override
        public byte[] readNBytes(int len) {
            if (len < 0) {
                throw new IllegalArgumentException("len < 0");
            }
            byte[] some = new byte[Math.min(len, in.remaining())];
            in.get(some);
            return some;
        }

        @Override
        public int readNBytes(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            int n = Math.min(len, in.remaining());
            in.get(b, off, n);
            return n;
        }

        @Override
        public long transferTo(OutputStream out) throws IOException {
            Objects.requireNonNull(out, "out");
            byte[] rest = readAllBytes(); // a copy: out may keep or change what it is given
            out.write(rest);
            return rest.length;
        }

        @Override
        public long skip(long n) {
            int skipped = (int) Math.max(0, Math.min(n, in.remaining()));
            in.position(in.position() + skipped);
            return skipped;
        }

        @Override
        public int available() {
            return in.remaining();
        }

        @Override
        public boolean isFinished() {
            return !in.hasRemaining();
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new IllegalStateException("the plaintext body is already in memory; read it synchronously");
        }
    }
}
