package io.github.wecomcallback.testing;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.github.wecomcallback.crypto.WeComCrypto;

/** An HTTPS endpoint on 127.0.0.1 that answers Set A's URL check correctly, presenting a key store's certificate. */
public final class UrlCheckHttpsServer implements AutoCloseable {
    private final HttpsServer server;

    public UrlCheckHttpsServer(Path keystore) throws Exception {
        WeComCrypto crypto = WeComCrypto.builder(SetA.TOKEN, SetA.ENCODING_AES_KEY, SetA.CORP_ID)
                .timestampTolerance(Duration.ZERO).build();
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext(keystore)));
        server.createContext("/callback", exchange -> {
            Map<String, String> q = Queries.parse(exchange.getRequestURI().getRawQuery());
            byte[] body;
            try {
                body = crypto.verifyUrl(q.get("msg_signature"), q.get("timestamp"), q.get("nonce"), q.get("echostr"))
                        .plaintext();
            } catch (Exception e) {
                body = new byte[0];
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/callback";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
