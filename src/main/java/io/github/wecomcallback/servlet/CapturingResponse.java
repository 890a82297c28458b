package io.github.wecomcallback.servlet;

import java.io.ByteArrayOutputStream;
import java.io.CharArrayWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Holds back everything the application writes, so that the filter can encrypt it: nothing the
 * application writes reaches the wire as plaintext. Flushes are absorbed; the response is never committed
 * by the application. Other headers pass through.
 */
final class CapturingResponse extends HttpServletResponseWrapper {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    /** What the application writes as characters: encoded once, at the end (no encoder and buffers per request). */
    private CharArrayWriter chars;
    private ServletOutputStream stream;
    private PrintWriter writer;
    private int status = SC_OK;

    CapturingResponse(HttpServletResponse response) {
        super(response);
    }

    /** The bytes the application wrote, as UTF-8. */
    byte[] captured() {
        if (writer != null) {
            writer.flush();
            return chars.toString().getBytes(StandardCharsets.UTF_8);
        }
        return buffer.toByteArray();
    }

    /** The status the application set; 200 unless it set another or called sendError/sendRedirect. */
    @Override
    public int getStatus() {
        return status;
    }

    @Override
    public void setStatus(int sc) {
        status = sc;
    }

    @Override
    public void sendError(int sc) {
        sendError(sc, null);
    }

    @Override
    public void sendError(int sc, String msg) {
        // Never commit: the filter answers, without the application's (plaintext) error page.
        status = sc;
        resetBuffer();
    }

    // Every overload, the Servlet 6.1 ones included: one left out passes straight to the real response.
    @Override
    public void sendRedirect(String location) {
        sendRedirect(location, SC_FOUND, true);
    }

    @Override
    public void sendRedirect(String location, int sc) {
        sendRedirect(location, sc, true);
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) {
        sendRedirect(location, SC_FOUND, clearBuffer);
    }

    @Override
    public void sendRedirect(String location, int sc, boolean clearBuffer) {
        // A redirect is a failure to WeCom; the filter answers the status with an empty body, never a Location.
        status = sc;
        resetBuffer();
    }

    @Override
    public void setTrailerFields(Supplier<Map<String, String>> supplier) {
        // Trailers would go out in plaintext after the encrypted body: absorbed.
    }

    @Override
    public ServletOutputStream getOutputStream() {
        if (writer != null) {
            throw new IllegalStateException("getWriter() has already been called for this response");
        }
        if (stream == null) {
            stream = new BufferStream(buffer);
        }
        return stream;
    }

    @Override
    public PrintWriter getWriter() {
        if (stream != null) {
            throw new IllegalStateException("getOutputStream() has already been called for this response");
        }
        if (writer == null) {
            chars = new CharArrayWriter(256);
            writer = new PrintWriter(chars);
        }
        return writer;
    }

    /** WeCom reads UTF-8 only: the application's writer always encodes UTF-8. */
    @Override
    public String getCharacterEncoding() {
        return StandardCharsets.UTF_8.name();
    }

    @Override
    public void setCharacterEncoding(String charset) {
        // Fixed to UTF-8, see getCharacterEncoding.
    }

    @Override
    public void setCharacterEncoding(Charset charset) {
        // Fixed to UTF-8, see getCharacterEncoding.
    }

    @Override
    public void setContentType(String type) {
        // The filter sets the content type of the encrypted envelope.
    }

    @Override
    public String getContentType() {
        return null;
    }

    @Override
    public void setContentLength(int len) {
        // The filter sets the length of the encrypted envelope.
    }

    @Override
    public void setContentLengthLong(long len) {
        // As setContentLength.
    }

    @Override
    public void setHeader(String name, String value) {
        if (!isBodyHeader(name)) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!isBodyHeader(name)) {
            super.addHeader(name, value);
        }
    }

    @Override
    public void setIntHeader(String name, int value) {
        if (!isBodyHeader(name)) {
            super.setIntHeader(name, value);
        }
    }

    @Override
    public void addIntHeader(String name, int value) {
        if (!isBodyHeader(name)) {
            super.addIntHeader(name, value);
        }
    }

    /** Headers that describe the plaintext body; the encrypted envelope gets its own. */
    private static boolean isBodyHeader(String name) {
        return name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Content-Length")
                || name.equalsIgnoreCase("Transfer-Encoding") || name.equalsIgnoreCase("Content-Encoding");
    }

    @Override
    public void setBufferSize(int size) {
        // Everything is buffered until the filter encrypts it.
    }

    @Override
    public void flushBuffer() {
        if (writer != null) {
            writer.flush();
        }
    }

    @Override
    public boolean isCommitted() {
        return false;
    }

    @Override
    public void resetBuffer() {
        if (writer != null) {
            writer.flush();
            chars.reset();
        }
        buffer.reset();
    }

    @Override
    public void reset() {
        resetBuffer();
        status = SC_OK;
        super.reset();
    }

    private static final class BufferStream extends ServletOutputStream {
        private final ByteArrayOutputStream buffer;

        BufferStream(ByteArrayOutputStream buffer) {
            this.buffer = buffer;
        }

        @Override
        public void write(int b) {
            buffer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new IllegalStateException("the reply is buffered for encryption; write it synchronously");
        }
    }
}
