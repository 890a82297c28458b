package io.github.wecomcallback.tool;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.testing.Queries;
import java.util.Map;
import io.github.wecomcallback.testing.SetA;

/**
 * A zoo of deployments that answer the URL check in the ways seen in the field: one correct, the others
 * each with one classic mistake. They decrypt echostr correctly (with the Set A credentials) and then
 * spoil the answer.
 */
final class BrokenEndpoints implements AutoCloseable {
    private final HttpServer server;
    private final WeComCrypto crypto;

    BrokenEndpoints() throws Exception {
        crypto = WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID).timestampTolerance(java.time.Duration.ZERO).build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/correct", e -> answer(e, 200, plaintext(e)));
        server.createContext("/bom", e -> answer(e, 200, concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
                plaintext(e))));
        server.createContext("/newline", e -> answer(e, 200, concat(plaintext(e), "\n".getBytes(StandardCharsets.UTF_8))));
        server.createContext("/quoted", e -> answer(e, 200, concat(concat("\"".getBytes(StandardCharsets.UTF_8),
                plaintext(e)), "\"".getBytes(StandardCharsets.UTF_8))));
        server.createContext("/redirect", e -> {
            e.getResponseHeaders().add("Location", "https://example.invalid/callback");
            answer(e, 302, new byte[0]);
        });
        server.createContext("/notfound", e -> answer(e, 404,
                "<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>".getBytes(StandardCharsets.UTF_8)));
        server.createContext("/slow", e -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            answer(e, 200, plaintext(e));
        });
        server.createContext("/echostr-itself", e -> answer(e, 200,
                query(e).get("echostr").getBytes(StandardCharsets.UTF_8)));
        server.createContext("/python-bytes", e -> answer(e, 200, ("b'" + new String(plaintext(e),
                StandardCharsets.UTF_8) + "'").getBytes(StandardCharsets.UTF_8)));
        server.createContext("/json-object", e -> answer(e, 200, ("{\"echostr\":\"" + new String(plaintext(e),
                StandardCharsets.UTF_8) + "\"}").getBytes(StandardCharsets.UTF_8)));
        server.createContext("/with-receive-id", e -> answer(e, 200, concat(plaintext(e),
                SetA.CORP_ID.getBytes(StandardCharsets.UTF_8))));
        server.createContext("/with-padding", e -> answer(e, 200, concat(plaintext(e), new byte[] {7, 7, 7, 7, 7, 7, 7})));
        server.createContext("/empty", e -> answer(e, 200, new byte[0]));
        server.createContext("/crlf", e -> answer(e, 200, concat(plaintext(e), "\r\n".getBytes(StandardCharsets.UTF_8))));
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private byte[] plaintext(HttpExchange e) throws IOException {
        Map<String, String> q = query(e);
        try {
            return crypto.verifyUrl(q.get("msg_signature"), q.get("timestamp"), q.get("nonce"), q.get("echostr"))
                    .plaintext();
        } catch (Exception ex) {
            throw new IOException(ex);
        }
    }

    private static Map<String, String> query(HttpExchange e) {
        return Queries.parse(e.getRequestURI().getRawQuery());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void answer(HttpExchange e, int status, byte[] body) throws IOException {
        e.getResponseHeaders().add("Content-Type", "text/plain");
        e.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = e.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
