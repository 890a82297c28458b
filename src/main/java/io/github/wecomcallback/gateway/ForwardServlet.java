package io.github.wecomcallback.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.wecomcallback.demo.EchoServlet;
import io.github.wecomcallback.servlet.CallbackConfig;
import io.github.wecomcallback.servlet.WeComCallbackFilter;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The stock WAR's application: a gateway for backends in any language. Behind {@link WeComCallbackFilter}, it
 * POSTs each verified plaintext (XML or JSON, as received) to {@code forwardUrl}, signed in the Standard
 * Webhooks format ({@link StandardWebhookSigner}), and hands the backend's answer back to the filter, which
 * encrypts it as the passive reply. A backend failure (non-2xx, refused connection, timeout) is answered with
 * a bare 502 or 504: the filter forgets the delivery, WeCom retries it, and the retry is forwarded again with
 * the same {@code webhook-id}. The backend's own error body never reaches WeCom.
 *
 * <p>Without {@code forwardUrl} it forwards nothing: callbacks for the documentation's example corp id get the
 * echo demo, every other callback an empty 200 (verified, acknowledged, and dropped), and the start-up line
 * and one WARNING say so.
 *
 * <p>Init-params: {@code forwardUrl} (http or https), {@code forwardSecret} ({@code whsec_} + Base64, required
 * with a URL), {@code forwardTimeoutMillis} (default 3000, at most 4500 so that WeCom's 5 s hold).
 */
public class ForwardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = System.getLogger("io.github.wecomcallback");

    public static final String PARAM_FORWARD_URL = "forwardUrl";
    public static final String PARAM_FORWARD_SECRET = "forwardSecret";
    public static final String PARAM_FORWARD_TIMEOUT_MILLIS = "forwardTimeoutMillis";
    /** Largest backend answer relayed: WeCom's passive replies are a few hundred bytes; more is a backend bug. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** The corp id of WeCom's documentation example, for which the demo answers without a forwardUrl. */
    static final String EXAMPLE_CORP_ID = "wx5823bf96d3bd56c7";
    /** Headers that carry what the backend needs beside the body. */
    public static final String HEADER_RECEIVE_ID = "X-WeCom-Receive-Id";
    public static final String HEADER_AGENT_ID = "X-WeCom-Agent-Id";

    private transient HttpClient client;
    private transient java.util.concurrent.ExecutorService clientThreads;
    private transient StandardWebhookSigner signer;
    private URI forwardUrl;
    private Duration timeout;
    private final EchoServlet demo = new EchoServlet();
    private volatile boolean droppedWarned;

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        String url = param(config, PARAM_FORWARD_URL);
        if (url == null || url.isEmpty()) {
            demo.init(config);
            LOG.log(Level.INFO, "ForwardServlet [" + config.getServletName() + "] ready: no forwardUrl"
                    + " (WECOM_FORWARD_URL), so nothing is forwarded; callbacks of the documentation's example corp"
                    + " id get the echo demo, all others an empty 200");
            return;
        }
        try {
            forwardUrl = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ServletException(invalid(PARAM_FORWARD_URL, "not a URL")); // its text may hold a password
        }
        if (!("http".equals(forwardUrl.getScheme()) || "https".equals(forwardUrl.getScheme()))
                || forwardUrl.getHost() == null) {
            throw new ServletException(invalid(PARAM_FORWARD_URL, "expected http://host:port/path or https://..."));
        }
        // Thrown without their cause: Tomcat logs only the innermost exception of a failed load-on-startup, and
        // the line must name the parameter and its variable.
        try {
            signer = new StandardWebhookSigner(param(config, PARAM_FORWARD_SECRET));
        } catch (IllegalArgumentException e) {
            throw new ServletException(invalid(PARAM_FORWARD_SECRET, e.getMessage()));
        }
        String millis = param(config, PARAM_FORWARD_TIMEOUT_MILLIS);
        long timeoutMillis;
        try {
            timeoutMillis = millis == null || millis.isEmpty() ? 3000 : Long.parseLong(millis);
        } catch (NumberFormatException e) {
            throw new ServletException(invalid(PARAM_FORWARD_TIMEOUT_MILLIS, "expected a whole number, got " + millis));
        }
        if (timeoutMillis < 100 || timeoutMillis > 4500) {
            throw new ServletException(invalid(PARAM_FORWARD_TIMEOUT_MILLIS,
                    "expected 100 to 4500 (WeCom gives up after 5 s), got " + timeoutMillis));
        }
        timeout = Duration.ofMillis(timeoutMillis);
        // One client for the servlet's life: connections to the backend are kept and reused.
        // Its own threads, stopped in destroy(): nothing of this application outlives an undeploy.
        clientThreads = java.util.concurrent.Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "wecom-callback forward");
            thread.setDaemon(true);
            return thread;
        });
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
                .connectTimeout(Duration.ofMillis(Math.min(timeoutMillis, 2000))).build();
        LOG.log(Level.INFO, "ForwardServlet [" + config.getServletName() + "] ready: forwarding verified callbacks to "
                + describe(forwardUrl) + ", Standard Webhooks signed, timeout " + timeoutMillis + " ms");
    }

    private static String param(ServletConfig config, String name) throws ServletException {
        String value = config.getInitParameter(name);
        if (value == null) {
            value = config.getServletContext().getInitParameter(name);
        }
        return value == null ? null : CallbackConfig.resolve(name, value);
    }

    private static String invalid(String parameter, String problem) {
        // The stock WAR's web.xml fills each init-param from an environment variable: name both.
        String variable = "WECOM_" + parameter.replaceAll("([A-Z])", "_$1").toUpperCase(java.util.Locale.ROOT);
        return "ForwardServlet: init-param " + parameter + " (in the stock WAR: " + variable + ") is invalid: "
                + problem;
    }

    /** Scheme, host, port and path: never a password from the URL's user info or its query. */
    private static String describe(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getPath() == null ? "" : uri.getPath());
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (forwardUrl == null) {
            if (EXAMPLE_CORP_ID.equals(request.getAttribute(WeComCallbackFilter.ATTRIBUTE_RECEIVE_ID))) {
                demo.service(request, response);
            } else if (!droppedWarned) {
                droppedWarned = true;
                LOG.log(Level.WARNING, "ForwardServlet: a verified callback was acknowledged and dropped: set"
                        + " WECOM_FORWARD_URL (init-param forwardUrl) to forward callbacks to your backend. Logged once.");
            }
            return;
        }
        String deliveryId = (String) request.getAttribute(WeComCallbackFilter.ATTRIBUTE_DELIVERY_ID);
        if (deliveryId == null) {
            throw new ServletException("ForwardServlet must run behind WeComCallbackFilter (no delivery id)");
        }
        byte[] body = request.getInputStream().readAllBytes();
        String id = "msg_" + deliveryId.substring(0, 32); // stable across WeCom's retries of one delivery
        long timestamp = System.currentTimeMillis() / 1000;
        HttpRequest.Builder forward = HttpRequest.newBuilder(forwardUrl).timeout(timeout)
                .header("Content-Type", request.getContentType())
                .header(StandardWebhookSigner.HEADER_ID, id)
                .header(StandardWebhookSigner.HEADER_TIMESTAMP, Long.toString(timestamp))
                .header(StandardWebhookSigner.HEADER_SIGNATURE, signer.sign(id, timestamp, body))
                .header(HEADER_RECEIVE_ID, String.valueOf(request.getAttribute(WeComCallbackFilter.ATTRIBUTE_RECEIVE_ID)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Object agentId = request.getAttribute(WeComCallbackFilter.ATTRIBUTE_AGENT_ID);
        if (agentId != null) {
            forward.header(HEADER_AGENT_ID, agentId.toString());
        }
        HttpResponse<byte[]> answer;
        // One deadline for the whole exchange, headers and body: a backend that stalls mid-answer must not hold
        // this thread past WeCom's 5 s (the request timeout alone covers only the headers).
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(forward.build(),
                info -> new LimitedBody(MAX_ANSWER_BYTES));
        try {
            answer = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            fail(response, HttpServletResponse.SC_GATEWAY_TIMEOUT, "did not answer within " + timeout.toMillis() + " ms");
            return;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                fail(response, HttpServletResponse.SC_GATEWAY_TIMEOUT, "did not answer within " + timeout.toMillis() + " ms");
            } else if (cause instanceof AnswerTooLarge) {
                fail(response, HttpServletResponse.SC_BAD_GATEWAY, "answered more than " + MAX_ANSWER_BYTES
                        + " bytes (a passive reply is a few hundred); nothing of it was relayed");
            } else if (cause instanceof ConnectException) {
                fail(response, HttpServletResponse.SC_BAD_GATEWAY, "refused the connection or cannot be reached ("
                        + cause.getClass().getSimpleName() + ")");
            } else {
                fail(response, HttpServletResponse.SC_BAD_GATEWAY, "failed: " + cause);
            }
            return;
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            fail(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "was interrupted");
            return;
        }
        if (answer.statusCode() < 200 || answer.statusCode() > 299) {
            // Its error body stays here: the filter answers WeCom with the bare status.
            fail(response, HttpServletResponse.SC_BAD_GATEWAY, "answered " + answer.statusCode());
            return;
        }
        response.getOutputStream().write(answer.body()); // the filter encrypts it; empty stays an empty 200
    }

    @Override
    public void destroy() {
        if (clientThreads != null) {
            clientThreads.shutdownNow();
        }
        client = null;
    }

    /** The backend's answer, up to a limit: beyond it, the exchange is cancelled and nothing is kept. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (result.isDone()) {
                    return;
                }
                if (out.size() + buffer.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(new AnswerTooLarge());
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }
    }

    private static final class AnswerTooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private void fail(HttpServletResponse response, int status, String what) {
        LOG.log(Level.WARNING, "ForwardServlet: the backend at " + describe(forwardUrl) + " " + what
                + "; answered " + status + ", so WeCom will retry and the retry is forwarded again");
        response.setStatus(status);
    }
}
