package io.github.wecomcallback.tool;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLHandshakeException;

import com.sun.net.httpserver.HttpServer;

import io.github.wecomcallback.crypto.EncodingAesKey;
import io.github.wecomcallback.crypto.PayloadCipher;
import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.crypto.WeComCryptoException;

/**
 * Does what the WeCom console does when the admin presses "save" (a signed GET with a fresh timestamp,
 * nonce and random echostr), then judges the answer as WeCom does and names every mistake it finds.
 */
final class UrlCheck {
    /** WeCom's limit for the answer to the URL check. */
    static final Duration LIMIT = Duration.ofSeconds(1);
    static final String CONSOLE_URL_FAILED = "回调URL校验失败";
    static final String CONSOLE_ECHOSTR_FAILED = "echostr校验失败，请您检查是否正确解密并输出明文echostr";

    private final WeComCrypto crypto;
    private final String encodingAesKey;
    private final HttpClient client;
    private final SecureRandom random = new SecureRandom();

    UrlCheck(WeComCrypto crypto, String encodingAesKey, HttpClient client) {
        this.crypto = crypto;
        this.encodingAesKey = encodingAesKey;
        this.client = client;
    }

    /** The outcome: accepted when no finding is a failure. */
    record Verdict(List<String> failures, List<String> notes, String request) {
        boolean accepted() {
            return failures.isEmpty();
        }
    }

    Verdict check(URI url) throws WeComCryptoException, InterruptedException {
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String plaintext = randomDigits(19);
        String echostr = echostrFor(plaintext);
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String nonce = randomDigits(10);
        String signature = crypto.sign(timestamp, nonce, echostr);
        URI target = URI.create(url + (url.getRawQuery() == null ? "?" : "&") + "msg_signature=" + signature
                + "&timestamp=" + timestamp + "&nonce=" + nonce + "&echostr="
                + URLEncoder.encode(echostr, StandardCharsets.UTF_8));

        HttpRequest request = HttpRequest.newBuilder(target).GET().timeout(Duration.ofSeconds(5))
                .header("User-Agent", "wecom-callback-tool verify-url").build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            failures.add("no answer within 5 s (WeCom waits 1 s): the server hangs or is too slow. → " + CONSOLE_URL_FAILED);
            return new Verdict(failures, notes, target.toString());
        } catch (SSLHandshakeException e) {
            failures.add("HTTPS handshake failed: " + certificateProblem(e) + " → " + CONSOLE_URL_FAILED);
            return new Verdict(failures, notes, target.toString());
        } catch (ConnectException e) {
            failures.add("cannot connect to " + url.getHost() + ":" + port(url) + " (connection refused): nothing"
                    + " listens there, or a firewall blocks it. → " + CONSOLE_URL_FAILED);
            return new Verdict(failures, notes, target.toString());
        } catch (IOException e) {
            failures.add("the request failed: " + e + " → " + CONSOLE_URL_FAILED);
            return new Verdict(failures, notes, target.toString());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        notes.add("answered " + response.statusCode() + " in " + elapsed.toMillis() + " ms, " + response.body().length
                + " bytes");
        response.sslSession().ifPresent(session -> {
            try {
                describeCertificate(session.getPeerCertificates(), failures, notes);
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                failures.add("the server presented no verifiable certificate → " + CONSOLE_URL_FAILED);
            }
        });
        judge(response, plaintext, elapsed, failures);
        return new Verdict(failures, notes, target.toString());
    }

    private void judge(HttpResponse<byte[]> response, String plaintext, Duration elapsed, List<String> failures) {
        int status = response.statusCode();
        if (elapsed.compareTo(LIMIT) > 0) {
            failures.add(String.format(Locale.ROOT, "answered after %.1f s; WeCom waits at most 1 s → %s",
                    elapsed.toMillis() / 1000.0, CONSOLE_URL_FAILED));
        }
        if (status >= 300 && status < 400) {
            failures.add("status " + status + " redirect to " + response.headers().firstValue("Location").orElse("?")
                    + ": WeCom does not follow redirects; register the final URL (https, exact path) in the"
                    + " console → " + CONSOLE_URL_FAILED);
            return;
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (status != 200) {
            failures.add("status " + status + (status == 404 ? " (not found: check the path and the context path)" : "")
                    + (looksLikeHtml(body) ? ", an HTML page" : "") + (status == 400 || status == 403
                            ? ", body [" + abbreviate(body) + "]: the filter refused the check; its log says why"
                            : "") + "; WeCom needs 200 → " + CONSOLE_URL_FAILED);
            return;
        }
        byte[] bytes = response.body();
        byte[] expected = plaintext.getBytes(StandardCharsets.UTF_8);
        if (Arrays.equals(bytes, expected)) {
            return;
        }
        String rest = body;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            failures.add("the answer starts with a UTF-8 BOM (EF BB BF): save the source without BOM, write bytes"
                    + " not a BOM-writing stream → " + CONSOLE_ECHOSTR_FAILED);
            rest = rest.substring(1);
        }
        if (!rest.equals(rest.stripTrailing())) {
            failures.add("the answer ends with " + describeTrailing(rest) + ": use print, not println, and no"
                    + " template whitespace → " + CONSOLE_ECHOSTR_FAILED);
            rest = rest.stripTrailing();
        }
        if (!rest.equals(rest.stripLeading())) {
            failures.add("the answer starts with whitespace → " + CONSOLE_ECHOSTR_FAILED);
            rest = rest.stripLeading();
        }
        if (rest.length() >= 2 && rest.startsWith("\"") && rest.endsWith("\"")) {
            failures.add("the answer is in JSON quotes (a REST framework serialised the String): answer"
                    + " text/plain with the bare plaintext → " + CONSOLE_ECHOSTR_FAILED);
            rest = rest.substring(1, rest.length() - 1);
        }
        if (rest.startsWith("b'") && rest.endsWith("'")) {
            failures.add("the answer is a Python bytes literal b'...': decode it to str before answering → "
                    + CONSOLE_ECHOSTR_FAILED);
            rest = rest.substring(2, rest.length() - 1);
        } else if (rest.length() >= 2 && rest.startsWith("'") && rest.endsWith("'")) {
            failures.add("the answer is in single quotes: answer the bare plaintext → " + CONSOLE_ECHOSTR_FAILED);
            rest = rest.substring(1, rest.length() - 1);
        }
        if (rest.isEmpty() && !body.isEmpty()) {
            return;
        }
        if (looksLikeHtml(rest)) {
            failures.add("the answer is an HTML page, not the plaintext echostr → " + CONSOLE_ECHOSTR_FAILED);
        } else if (rest.isEmpty()) {
            failures.add("the answer is empty: answer the decrypted echostr → " + CONSOLE_ECHOSTR_FAILED);
        } else if (!rest.equals(plaintext) && rest.contains(plaintext)) {
            failures.add("the answer [" + abbreviate(rest) + "] contains the decrypted echostr but also "
                    + leftover(rest, plaintext) + ": answer only the plaintext → " + CONSOLE_ECHOSTR_FAILED);
        } else if (!rest.equals(plaintext)) {
            failures.add("the answer [" + abbreviate(rest) + "] is not the decrypted echostr [" + plaintext
                    + "]: decrypt echostr with this EncodingAESKey and answer its plaintext, not echostr itself → "
                    + CONSOLE_ECHOSTR_FAILED);
        }
    }

    /** What else a decrypting answer kept: the usual slips of hand-written unpadding. */
    private String leftover(String answer, String plaintext) {
        String after = answer.substring(answer.indexOf(plaintext) + plaintext.length());
        String before = answer.substring(0, answer.indexOf(plaintext));
        String receiveId = crypto.receiveId();
        if (!receiveId.isEmpty() && after.startsWith(receiveId)) {
            return "the receive id [" + receiveId + "] after it (the whole decrypted buffer was answered: cut it at"
                    + " the 4-byte length that follows the 16 random bytes)";
        }
        if (!after.isEmpty() && after.chars().allMatch(c -> c == after.charAt(0)) && after.charAt(0) <= 32) {
            return "PKCS#7 padding bytes after it (the padding was not removed)";
        }
        if (before.length() >= 16) {
            return "bytes before it (the 16 random bytes and the length were not removed)";
        }
        return "other characters (a JSON object, XML, a message)";
    }

    private static void describeCertificate(Certificate[] chain, List<String> failures, List<String> notes) {
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            return;
        }
        Instant notAfter = leaf.getNotAfter().toInstant();
        long days = Duration.between(Instant.now(), notAfter).toDays();
        notes.add("certificate " + leaf.getSubjectX500Principal().getName() + " valid until " + notAfter
                + " (" + days + " days)");
        if (days < 14) {
            failures.add("the certificate expires in " + days + " days (" + notAfter + "): renew it now");
        }
    }

    /** Names a failed handshake by the exception types in its cause chain, not by their message text. */
    static String certificateProblem(SSLHandshakeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException
                    || (cause instanceof CertPathValidatorException v && v.getReason() == BasicReason.EXPIRED)) {
                return "a certificate of the chain has expired: renew it (" + cause.getMessage() + ")";
            }
            if (cause instanceof CertificateNotYetValidException
                    || (cause instanceof CertPathValidatorException v && v.getReason() == BasicReason.NOT_YET_VALID)) {
                return "the certificate is not valid yet: check this machine's and the server's clock ("
                        + cause.getMessage() + ")";
            }
            if (cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException) {
                return "the certificate chain is not trusted (self-signed, a private CA, or the intermediate"
                        + " certificates are missing: install the full chain, e.g. fullchain.pem; for a private CA"
                        + " of your own give --trust)";
            }
            if (cause instanceof CertificateException && isHostMismatch(cause.getMessage())) {
                return "the certificate does not name this host: " + cause.getMessage();
            }
        }
        return String.valueOf(e.getMessage());
    }

    // The JDK reports a host name mismatch as a plain CertificateException: only its text tells it apart.
    private static boolean isHostMismatch(String message) {
        return message != null && (message.contains("No subject alternative") || message.contains("No name matching"));
    }

    private String echostrFor(String plaintext) throws WeComCryptoException {
        // WeCom's echostr is Base64 and usually contains '+', '/' and '='; make sure ours does, so that a
        // deployment that mangles them fails here rather than in the console.
        EncodingAesKey key = EncodingAesKey.of(encodingAesKey);
        byte[] receiveId = crypto.receiveId().getBytes(StandardCharsets.UTF_8);
        while (true) {
            byte[] salt = new byte[PayloadCipher.RANDOM_LENGTH];
            random.nextBytes(salt);
            String echostr = PayloadCipher.encrypt(key, salt, plaintext.getBytes(StandardCharsets.UTF_8), receiveId);
            if (echostr.contains("+") && echostr.contains("/") && echostr.contains("=")) {
                return echostr;
            }
        }
    }

    private String randomDigits(int length) {
        StringBuilder out = new StringBuilder(length);
        out.append((char) ('1' + random.nextInt(9)));
        while (out.length() < length) {
            out.append((char) ('0' + random.nextInt(10)));
        }
        return out.toString();
    }

    private static boolean looksLikeHtml(String body) {
        String head = body.stripLeading().toLowerCase(Locale.ROOT);
        return head.startsWith("<!doctype html") || head.startsWith("<html") || head.contains("<body");
    }

    private static String describeTrailing(String text) {
        String tail = text.substring(text.stripTrailing().length());
        if (tail.equals("\n")) {
            return "a newline (\\n)";
        }
        if (tail.equals("\r\n")) {
            return "a CRLF newline (\\r\\n)";
        }
        return tail.length() + " whitespace characters";
    }

    static String abbreviate(String text) {
        String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() > 80 ? oneLine.substring(0, 80) + "..." : oneLine;
    }

    private static int port(URI url) {
        return url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }

    /**
     * Warms this JVM up so that WeCom's 1 s limit judges the server, not the tool's own cold start: the HTTP
     * client against a throwaway local server and, for an https:// URL, the TLS stack with one HEAD request to the
     * server's root through {@code tlsWarmUp}, a client of its own: the check must not reuse that connection,
     * since WeCom's 1 s includes connecting and the handshake. Skipped when the callback is the root itself
     * (its refusal would be logged as an attack).
     */
    static void warmUp(HttpClient client, HttpClient tlsWarmUp, URI url) {
        warmUp(client);
        String path = url.getRawPath();
        if ("https".equalsIgnoreCase(url.getScheme()) && path != null && !path.isEmpty() && !path.equals("/")) {
            try {
                tlsWarmUp.send(HttpRequest.newBuilder(url.resolve("/")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(5)).header("User-Agent", "wecom-callback-tool warm-up").build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // The check itself reports what is wrong with the connection.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One request through the client against a throwaway local server: its class loading is not timed. */
    private static void warmUp(HttpClient client) {
        HttpServer server = null;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // Warm-up is best effort.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (server != null) {
                server.stop(0);
            }
        }
    }
}
