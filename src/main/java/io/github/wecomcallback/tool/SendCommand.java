package io.github.wecomcallback.tool;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.wecomcallback.crypto.DecryptedMessage;
import io.github.wecomcallback.crypto.EncryptedReply;
import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.crypto.WeComCryptoException;
import io.github.wecomcallback.message.Escaping;
import io.github.wecomcallback.message.MessageFormatException;
import io.github.wecomcallback.message.ReplyEnvelope;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Posts an encrypted message or event as WeCom does, verifies and decrypts the reply and prints it.",
            "With --repeat, sends the same delivery again as WeCom's retries do, and prints a summary."})
final class SendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "the callback URL")
    URI url;

    @Mixin
    CredentialOptions credentials;

    @Mixin
    TrustOptions trust;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Content content;

    static final class Content {
        @Option(names = "--text", description = "send a text message with this content")
        String text;

        @Option(names = "--event", description = "send an event of this type (subscribe, enter_agent, click, ...)")
        String event;

        @Option(names = "--file", description = "send this plaintext file (XML, or JSON with --bot) as is")
        Path file;
    }

    @Option(names = "--bot", description = "smart-bot style: JSON envelope {\"encrypt\":...} and JSON reply")
    boolean bot;

    @Option(names = "--agent-id", defaultValue = "1000002", description = "AgentID (default ${DEFAULT-VALUE})")
    String agentId;

    @Option(names = "--from", defaultValue = "wecom-callback-tool", description = "FromUserName (default ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--repeat", defaultValue = "1", description = "send the same delivery N times (WeCom retries up to 3)")
    int repeat;

    @Option(names = "--concurrency", defaultValue = "1", description = "parallel connections with --repeat")
    int concurrency;

    private final SecureRandom random = new SecureRandom();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (repeat < 1 || concurrency < 1) {
            err.println("error: --repeat and --concurrency must be at least 1");
            return 2;
        }
        WeComCrypto crypto = credentials.crypto();
        String plaintext = plaintext();
        String nonce = crypto.newNonce();
        EncryptedReply sealed = crypto.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), nonce);
        String body = bot ? "{\"encrypt\":\"" + sealed.encrypt() + "\"}"
                : "<xml><ToUserName><![CDATA[" + credentials.corpId + "]]></ToUserName><Encrypt><![CDATA["
                        + sealed.encrypt() + "]]></Encrypt><AgentID><![CDATA[" + agentId + "]]></AgentID></xml>";
        URI target = URI.create(url + (url.getRawQuery() == null ? "?" : "&") + "msg_signature="
                + sealed.msgSignature() + "&timestamp=" + sealed.timeStamp() + "&nonce=" + nonce);
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5))
                .header("Content-Type", bot ? "application/json" : "text/xml")
                .header("User-Agent", "wecom-callback-tool send")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpClient client = trust.clientBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();

        if (repeat == 1) {
            out.println("POST " + target);
            out.println("plaintext sent:");
            out.println(plaintext);
            Outcome outcome = send(client, request, crypto, nonce);
            out.println("answer: " + outcome.describe());
            if (outcome.reply != null) {
                out.println("reply (decrypted, signature verified):");
                out.println(outcome.reply);
            }
            return outcome.ok ? 0 : 1;
        }
        return sendRepeatedly(client, request, crypto, nonce, out, err);
    }

    private int sendRepeatedly(HttpClient client, HttpRequest request, WeComCrypto crypto, String nonce,
            PrintWriter out, PrintWriter err) throws Exception {
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < repeat; i++) {
            futures.add(pool.submit(() -> {
                Outcome outcome = send(client, request, crypto, nonce);
                latencies.add(outcome.nanos);
                answers.computeIfAbsent(outcome.summary(), k -> new AtomicInteger()).incrementAndGet();
                if (!outcome.ok) {
                    failed.incrementAndGet();
                }
                done.incrementAndGet();
                return null;
            }));
        }
        pool.shutdown();
        long lastProgress = System.nanoTime();
        while (!pool.awaitTermination(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (System.nanoTime() - lastProgress > 1_000_000_000L) {
                err.println("progress: " + done.get() + "/" + repeat + " sent, " + failed.get() + " failed");
                lastProgress = System.nanoTime();
            }
        }
        for (Future<?> future : futures) {
            future.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        out.println("sent " + repeat + " copies of one delivery in " + String.format(java.util.Locale.ROOT, "%.2f s (%.0f/s)",
                seconds, repeat / seconds) + ", concurrency " + concurrency);
        new TreeMap<>(answers).forEach((answer, count) -> out.println("  " + count.get() + " x " + answer));
        out.println("latency ms: p50 " + ms(percentile(sorted, 50)) + ", p90 " + ms(percentile(sorted, 90)) + ", p99 "
                + ms(percentile(sorted, 99)) + ", max " + ms(sorted.get(sorted.size() - 1)));
        return failed.get() == 0 ? 0 : 1;
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /** The result of one POST, judged as WeCom judges it. */
    private record Outcome(boolean ok, int status, String problem, String reply, long nanos) {
        /** How a provider's command callbacks are acknowledged: the literal, not encrypted. */
        static final String SUCCESS = "success";

        String summary() {
            if (problem != null) {
                return "FAILED: " + problem;
            }
            return status + (reply == null ? " empty (no reply)" : SUCCESS.equals(reply)
                    ? " success (as is: how command callbacks are acknowledged)" : " encrypted reply, verified");
        }

        String describe() {
            return summary() + " in " + ms(nanos) + " ms";
        }
    }

    private Outcome send(HttpClient client, HttpRequest request, WeComCrypto crypto, String nonce) {
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (Exception e) {
            return new Outcome(false, 0, "no answer: " + e, null, System.nanoTime() - start);
        }
        long nanos = System.nanoTime() - start;
        int status = response.statusCode();
        String body = response.body();
        if (status != 200) {
            return new Outcome(false, status, "status " + status + " [" + UrlCheck.abbreviate(body)
                    + "]; WeCom retries anything but 200", null, nanos);
        }
        if (nanos > 5_000_000_000L) {
            return new Outcome(false, status, "answered after 5 s: WeCom has given up and retries", null, nanos);
        }
        if (body.isEmpty()) {
            return new Outcome(true, status, null, null, nanos);
        }
        if (body.equals(Outcome.SUCCESS)) {
            return new Outcome(true, status, null, Outcome.SUCCESS, nanos);
        }
        try {
            return new Outcome(true, status, null, decryptReply(body, crypto, nonce), nanos);
        } catch (WeComCryptoException | MessageFormatException | IllegalArgumentException e) {
            return new Outcome(false, status, "the reply is not a valid encrypted envelope: " + e.getMessage(), null,
                    nanos);
        }
    }

    private String decryptReply(String body, WeComCrypto crypto, String nonce)
            throws WeComCryptoException, MessageFormatException {
        EncryptedReply reply;
        try {
            reply = bot ? ReplyEnvelope.fromJson(body) : ReplyEnvelope.fromXml(body);
        } catch (MessageFormatException e) {
            throw new MessageFormatException(e.getMessage() + " [" + UrlCheck.abbreviate(body) + "]", e);
        }
        if (bot && !nonce.equals(reply.nonce())) {
            throw new IllegalArgumentException("a bot reply must carry the request's nonce " + nonce);
        }
        long seconds = reply.timeStamp();
        if (Math.abs(seconds - Instant.now().getEpochSecond()) > 86_400) {
            throw new IllegalArgumentException("TimeStamp " + seconds + " is not the current time in seconds"
                    + (seconds > 100_000_000_000L ? " (milliseconds?)" : ""));
        }
        DecryptedMessage decrypted = crypto.decrypt(reply.msgSignature(), Long.toString(seconds), reply.nonce(),
                reply.encrypt());
        return decrypted.plaintextUtf8();
    }

    private String plaintext() throws Exception {
        if (content.file != null) {
            return Files.readString(content.file, StandardCharsets.UTF_8);
        }
        long now = Instant.now().getEpochSecond();
        if (bot) {
            String msgid = Long.toHexString(random.nextLong());
            return content.text != null
                    ? "{\"msgid\":\"" + msgid + "\",\"aibotid\":\"" + agentId + "\",\"from\":{\"userid\":\"" + from
                            + "\"},\"msgtype\":\"text\",\"text\":{\"content\":\"" + Escaping.jsonString(content.text) + "\"}}"
                    : "{\"msgid\":\"" + msgid + "\",\"aibotid\":\"" + agentId + "\",\"from\":{\"userid\":\"" + from
                            + "\"},\"msgtype\":\"event\",\"event\":{\"eventtype\":\"" + Escaping.jsonString(content.event) + "\"}}";
        }
        String head = "<xml><ToUserName>" + Escaping.cdata(credentials.corpId) + "</ToUserName><FromUserName>" + Escaping.cdata(from)
                + "</FromUserName><CreateTime>" + now + "</CreateTime>";
        if (content.text != null) {
            return head + "<MsgType><![CDATA[text]]></MsgType><Content>" + Escaping.cdata(content.text) + "</Content><MsgId>"
                    + Math.floorMod(random.nextLong(), Long.MAX_VALUE) + "</MsgId><AgentID>" + agentId + "</AgentID></xml>";
        }
        return head + "<MsgType><![CDATA[event]]></MsgType><Event>" + Escaping.cdata(content.event)
                + "</Event><EventKey><![CDATA[]]></EventKey><AgentID>" + agentId + "</AgentID></xml>";
    }
}
