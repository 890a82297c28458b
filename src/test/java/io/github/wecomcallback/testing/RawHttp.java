package io.github.wecomcallback.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 over a plain socket, so that tests see every byte on the wire. */
public final class RawHttp {
    private RawHttp() {
    }

    /** A response as it came over the wire. */
    public record Response(int status, Map<String, String> headers, byte[] body, byte[] raw) {
        /** The whole answer as it came over the wire, head and body. */
        public String rawText() {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** WeCom's POST of this callback to {@code path}: its query string, its envelope, text/xml. */
    public static Response post(int port, String path, Platform.Callback callback) throws IOException {
        byte[] body = callback.body().getBytes(StandardCharsets.UTF_8);
        return request(port, "POST", path + "?" + callback.query(),
                "Content-Type: text/xml\r\nContent-Length: " + body.length + "\r\n", body);
    }

    /** Runs a call on another thread, its checked exceptions made unchecked: for requests made concurrently. */
    public static <T> java.util.concurrent.CompletableFuture<T> async(java.util.concurrent.Callable<T> call) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public static Response get(int port, String pathAndQuery) throws IOException {
        return exchange(port, "GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                new byte[0]);
    }

    public static Response request(int port, String method, String pathAndQuery, String extraHeaders, byte[] body)
            throws IOException {
        String head = method + " " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + extraHeaders + "\r\n";
        return exchange(port, head, body);
    }

    private static Response exchange(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000); // above the slowest application a test plays (20 s)
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            try {
                out.write(body);
                out.flush();
            } catch (IOException serverClosedEarly) {
                // A server may answer (413) and close before reading a large body; read what it said.
            }
            byte[] raw = readAll(socket.getInputStream());
            return parse(raw);
        }
    }

    /** Reads one response: by Content-Length or chunked framing when given, else up to the end of the stream. */
    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        try {
            while (!complete(out.toByteArray()) && (n = in.read(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // Connection reset after the response: keep what arrived.
        }
        return out.toByteArray();
    }

    private static boolean complete(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("\r\ncontent-length: *([0-9]+)").matcher(head);
        if (length.find()) {
            return raw.length >= end + 4 + Long.parseLong(length.group(1));
        }
        if (head.contains("\r\ntransfer-encoding: chunked")) {
            return text.endsWith("\r\n0\r\n\r\n");
        }
        return false;
    }

    static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no complete HTTP response: [" + text + "]");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, body, raw);
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int lineEnd = indexOf(chunked, pos);
            int size = Integer.parseInt(new String(chunked, pos, lineEnd - pos, StandardCharsets.ISO_8859_1).trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(chunked, lineEnd + 2, size);
            pos = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i < data.length - 1; i++) {
            if (data[i] == '\r' && data[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("truncated chunk");
    }
}
