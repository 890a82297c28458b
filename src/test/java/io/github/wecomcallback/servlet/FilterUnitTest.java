package io.github.wecomcallback.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.SetA;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

/** The filter with fakes and a config factory: fast, no container. */
class FilterUnitTest {
    private static final Map<String, String> SET_A = SetA.replayParams();

    private final AtomicInteger chainCalls = new AtomicInteger();
    private final AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
    private final FilterChain chain = (request, response) -> {
        chainCalls.incrementAndGet();
        seen.set((HttpServletRequest) request);
    };

    private WeComCallbackFilter filter(Map<String, String> init, Map<String, String> context) throws ServletException {
        WeComCallbackFilter filter = new WeComCallbackFilter();
        filter.init(Fakes.filterConfig("unit", init, context));
        return filter;
    }

    @Test
    void getOfficialVector_answersThePlaintext_withoutTheChain() throws Exception {
        Fakes.Response response = new Fakes.Response();
        filter(SET_A, Map.of()).doFilter(Fakes.request("GET", "msg_signature=" + SetA.GET_MSG_SIGNATURE
                + "&timestamp=" + SetA.GET_TIMESTAMP + "&nonce=" + SetA.GET_NONCE + "&echostr="
                + SetA.GET_ECHOSTR_ON_THE_WIRE, new byte[0]), response.servlet, chain);
        assertEquals(200, response.status);
        assertEquals(SetA.GET_PLAINTEXT, response.body.toString(UTF_8));
        assertEquals("text/plain;charset=UTF-8", response.headers.get("Content-Type"));
        assertEquals("19", response.headers.get("Content-Length"));
        assertEquals(0, chainCalls.get());
    }

    /**
     * The application's body is a view of the decrypted bytes, not a copy: every way of reading it gives exactly the
     * plaintext, and none hands out the bytes themselves, so an OutputStream given to transferTo that scribbles on
     * what it is given cannot change what the filter's lazy attributes read afterwards.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60) // a read that never reports the end would loop forever in contentLengthLoop
    void everyWayOfReadingTheBody_givesThePlaintext_andNoneCanChangeIt() throws Exception {
        byte[] expected = SetA.POST_PLAINTEXT.getBytes(UTF_8);
        java.util.List<String> ways = java.util.List.of("transferTo", "readAllBytes", "read", "readInChunks",
                "contentLengthLoop", "readNBytes", "skipAndAvailable", "reader");
        for (String way : ways) {
            AtomicReference<byte[]> read = new AtomicReference<>();
            AtomicReference<Object> plaintextAttribute = new AtomicReference<>();
            AtomicReference<Object> message = new AtomicReference<>();
            AtomicReference<Throwable> failed = new AtomicReference<>(); // the filter answers 500 to what it throws
            FilterChain reading = (req, res) -> {
                try {
                    read(way, req, expected, read, plaintextAttribute, message);
                } catch (Throwable e) {
                    failed.set(e);
                    throw e;
                }
            };
            filter(SET_A, Map.of()).doFilter(Fakes.request("POST", "msg_signature=" + SetA.POST_MSG_SIGNATURE
                    + "&timestamp=" + SetA.POST_TIMESTAMP + "&nonce=" + SetA.POST_NONCE,
                    SetA.POST_BODY.getBytes(UTF_8)), new Fakes.Response().servlet, reading);
            if (failed.get() != null) {
                throw new AssertionError(way + ": " + failed.get(), failed.get());
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, read.get(), way);
            assertEquals(SetA.POST_PLAINTEXT, plaintextAttribute.get(), way);
            assertEquals("hello", ((io.github.wecomcallback.message.WeComMessage) message.get()).content(), way);
        }
    }

    /** Reads the application's body one way, then the lazy attributes. */
    private static void read(String way, jakarta.servlet.ServletRequest req, byte[] expected,
            AtomicReference<byte[]> read, AtomicReference<Object> plaintextAttribute, AtomicReference<Object> message)
            throws java.io.IOException {
        jakarta.servlet.ServletInputStream in = way.equals("reader") ? null : req.getInputStream();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        switch (way) {
            case "transferTo" -> {
                assertEquals(expected.length, in.transferTo(new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        out.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        out.write(b, off, len);
                        java.util.Arrays.fill(b, off, off + len, (byte) 'X'); // a hostile stream
                    }
                }));
                assertEquals(0, in.transferTo(java.io.OutputStream.nullOutputStream()));
            }
            case "readAllBytes" -> out.writeBytes(in.readAllBytes());
            case "read" -> {
                for (int b = in.read(); b != -1; b = in.read()) {
                    assertEquals(out.size() + 1 == expected.length, in.isFinished()); // b is read, not yet kept
                    out.write(b);
                }
                assertTrue(in.isFinished());
                assertEquals(-1, in.read());
            }
            case "readInChunks" -> {
                byte[] chunk = new byte[7];
                assertEquals(0, in.read(chunk, 0, 0));
                assertThrows(IndexOutOfBoundsException.class, () -> in.read(chunk, 2, 6));
                assertThrows(IndexOutOfBoundsException.class, () -> in.read(chunk, -1, 1));
                for (int n = in.read(chunk, 1, 6); n != -1; n = in.read(chunk, 1, 6)) {
                    out.write(chunk, 1, n);
                }
                assertEquals(-1, in.read(chunk, 0, 7));
                // As ByteArrayInputStream and Tomcat answer: the end, also to a read of 0 bytes (a loop that
                // fills a buffer sized by the Content-Length asks for 0 once it is full).
                assertEquals(-1, in.read(chunk, 0, 0));
            }
            case "contentLengthLoop" -> {
                byte[] all = new byte[req.getContentLength()];
                int off = 0;
                for (int n; (n = in.read(all, off, all.length - off)) != -1; ) {
                    off += n;
                }
                out.write(all, 0, off);
            }
            case "readNBytes" -> {
                assertThrows(IllegalArgumentException.class, () -> in.readNBytes(-1));
                assertThrows(IndexOutOfBoundsException.class, () -> in.readNBytes(new byte[4], 2, 3));
                org.junit.jupiter.api.Assertions.assertFalse(in.isFinished());
                out.writeBytes(in.readNBytes(100));
                byte[] rest = new byte[expected.length];
                int n = in.readNBytes(rest, 0, rest.length);
                assertEquals(expected.length - 100, n);
                out.write(rest, 0, n);
                assertEquals(0, in.readNBytes(5).length);
            }
            case "skipAndAvailable" -> {
                assertEquals(expected.length, in.available());
                assertEquals(0, in.skip(-3));
                assertEquals(10, in.skip(10));
                out.write(expected, 0, 10); // what was skipped, to compare the whole
                assertEquals(expected.length - 10, in.available());
                out.writeBytes(in.readAllBytes());
                assertEquals(0, in.skip(10));
            }
            default -> {
                java.io.StringWriter text = new java.io.StringWriter();
                req.getReader().transferTo(text);
                out.writeBytes(text.toString().getBytes(UTF_8));
            }
        }
        read.set(out.toByteArray());
        plaintextAttribute.set(req.getAttribute(WeComCallbackFilter.ATTRIBUTE_PLAINTEXT));
        message.set(req.getAttribute(WeComCallbackFilter.ATTRIBUTE_MESSAGE));
    }

    @Test
    void postOfficialVector_handsThePlaintextToTheChain() throws Exception {
        Fakes.Response response = new Fakes.Response();
        filter(SET_A, Map.of()).doFilter(Fakes.request("POST", "msg_signature=" + SetA.POST_MSG_SIGNATURE
                + "&timestamp=" + SetA.POST_TIMESTAMP + "&nonce=" + SetA.POST_NONCE, SetA.POST_BODY.getBytes(UTF_8)),
                response.servlet, chain);
        assertEquals(1, chainCalls.get());
        HttpServletRequest request = seen.get();
        assertEquals(SetA.POST_PLAINTEXT, new String(request.getInputStream().readAllBytes(), UTF_8));
        assertEquals("text/xml;charset=UTF-8", request.getContentType());
        assertEquals(284, request.getContentLength());
        assertEquals("218", request.getAttribute(WeComCallbackFilter.ATTRIBUTE_AGENT_ID));
        assertEquals(200, response.status);
        assertEquals("0", response.headers.get("Content-Length"));
    }

    @Test
    void credentialsFromContextParams_areAccepted() throws Exception {
        Fakes.Response response = new Fakes.Response();
        filter(Map.of("corpId", SetA.CORP_ID, "timestampToleranceSeconds", "0"),
                Map.of("token", SetA.TOKEN, "encodingAesKey", SetA.ENCODING_AES_KEY))
                .doFilter(Fakes.request("GET", "msg_signature=" + SetA.GET_MSG_SIGNATURE + "&timestamp="
                        + SetA.GET_TIMESTAMP + "&nonce=" + SetA.GET_NONCE + "&echostr=" + SetA.GET_ECHOSTR_ON_THE_WIRE,
                        new byte[0]), response.servlet, chain);
        assertEquals(SetA.GET_PLAINTEXT, response.body.toString(UTF_8));
    }

    @Test
    void initParam_winsOverContextParam() throws Exception {
        WeComCallbackFilter filter = filter(SET_A, Map.of("corpId", "ww_context"));
        assertEquals(SetA.CORP_ID, filter.config().corpId());
    }

    @Test
    void init_withoutToken_fails() {
        ServletException e = assertThrows(ServletException.class,
                () -> filter(Map.of("encodingAesKey", SetA.ENCODING_AES_KEY, "corpId", SetA.CORP_ID), Map.of()));
        assertTrue(e.getMessage().contains("init-param token is required but missing"), e.getMessage());
    }

    @Test
    void forgedPost_isRefusedWithoutTheChain() throws Exception {
        Fakes.Response response = new Fakes.Response();
        filter(SET_A, Map.of()).doFilter(Fakes.request("POST", "msg_signature=" + "f".repeat(40)
                + "&timestamp=1&nonce=2", SetA.POST_BODY.getBytes(UTF_8)), response.servlet, chain);
        assertEquals(403, response.status);
        assertEquals("-40001", response.body.toString(UTF_8));
        assertEquals(0, chainCalls.get());
    }

    @Test
    void delete_isRefused405WithAllow() throws Exception {
        Fakes.Response response = new Fakes.Response();
        filter(SET_A, Map.of()).doFilter(Fakes.request("DELETE", null, new byte[0]), response.servlet, chain);
        assertEquals(405, response.status);
        assertEquals("GET, POST", response.headers.get("Allow"));
        assertEquals(0, chainCalls.get());
    }
}
