package io.github.wecomcallback.servlet;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.wecomcallback.crypto.DecryptedMessage;
import io.github.wecomcallback.crypto.EncryptedReply;
import io.github.wecomcallback.crypto.WeComCryptoException;
import io.github.wecomcallback.dedup.DeliveryGuard;
import io.github.wecomcallback.dedup.DeliveryId;
import io.github.wecomcallback.message.EncryptedEnvelope;
import io.github.wecomcallback.message.MessageCodec;
import io.github.wecomcallback.message.MessageFormatException;
import io.github.wecomcallback.message.ReplyEnvelope;
import io.github.wecomcallback.message.WeComMessage;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Terminates WeCom (企业微信) callbacks in front of an application servlet.
 *
 * <ul>
 * <li>GET with {@code echostr} (the console's "save"): verified, decrypted and answered with the bare
 * plaintext; the application never runs.</li>
 * <li>POST: the signature over {@code Encrypt} is verified and the message decrypted; the application then
 * runs with the plaintext as its request body and the request attributes {@link #ATTRIBUTE_MESSAGE},
 * {@link #ATTRIBUTE_PLAINTEXT}, {@link #ATTRIBUTE_RECEIVE_ID} and {@link #ATTRIBUTE_AGENT_ID}. What it
 * writes is encrypted into the passive-reply envelope; an empty answer stays an empty 200.</li>
 * <li>Anything else is refused before the application sees it: 403 for a bad signature or receive id, 400
 * for a malformed or incomplete request, 413 for an oversized body, 405 for other methods. The body is the
 * official error code alone; a WARNING log line (rate-limited) gives the most likely cause.</li>
 * </ul>
 *
 * <pre>{@code
 * <filter>
 *   <filter-name>wecom</filter-name>
 *   <filter-class>io.github.wecomcallback.servlet.WeComCallbackFilter</filter-class>
 *   <init-param><param-name>token</param-name><param-value>${WECOM_TOKEN}</param-value></init-param>
 *   <init-param><param-name>encodingAesKey</param-name><param-value>${WECOM_AES_KEY}</param-value></init-param>
 *   <init-param><param-name>corpId</param-name><param-value>ww0123456789abcdef</param-value></init-param>
 * </filter>
 * <filter-mapping><filter-name>wecom</filter-name><url-pattern>/callback</url-pattern></filter-mapping>
 * }</pre>
 *
 * <p>Parameters are read from the filter's init-params, else from context-params of the same name; a value
 * written {@code ${NAME}} comes from the system property or environment variable {@code NAME}. Everything
 * is validated at {@code init}: a filter with a bad value does not start.
 */
public class WeComCallbackFilter implements Filter {
    /** The Token of the WeCom console (required). */
    public static final String PARAM_TOKEN = "token";
    /** The 43-character EncodingAESKey of the WeCom console (required). */
    public static final String PARAM_ENCODING_AES_KEY = "encodingAesKey";
    /** The corp id (required); messages must carry it as receive id unless {@link #PARAM_RECEIVE_ID} is set. */
    public static final String PARAM_CORP_ID = "corpId";
    /**
     * The receive id(s) messages must carry, if not the corp id: the empty string for bots and personal-subject
     * providers; the suite id (or 代开发 template id) on a provider's command URL; on a provider's data URL the
     * authorizing corps' ids, as a comma-separated list or {@code *} for any (then the application checks
     * {@link #ATTRIBUTE_RECEIVE_ID}). See docs/PROVIDERS.md.
     */
    public static final String PARAM_RECEIVE_ID = "receiveId";
    /**
     * The receive id of the URL check's echostr: by default the empty string when {@link #PARAM_RECEIVE_ID} is
     * empty, else the corp id (a provider's command and data URLs are checked with the provider's corp id).
     */
    public static final String PARAM_URL_CHECK_RECEIVE_ID = "urlCheckReceiveId";
    /** The previous EncodingAESKey, still accepted for decryption during a key rotation. */
    public static final String PARAM_PREVIOUS_ENCODING_AES_KEY = "previousEncodingAesKey";
    /**
     * Refuse callbacks whose timestamp is further from now than this, in seconds, in either direction; default
     * 300, 0 turns the check off (only for replaying old captured callbacks).
     */
    public static final String PARAM_TIMESTAMP_TOLERANCE_SECONDS = "timestampToleranceSeconds";
    /** Larger POST bodies are refused with 413 without being read whole; default 131072 (128 KiB). */
    public static final String PARAM_MAX_BODY_BYTES = "maxBodyBytes";
    /**
     * How long an answered delivery is remembered so that WeCom's retries and replays do not run the application
     * again, in seconds; default 900 and at least {@code 2 × timestampToleranceSeconds + 1}; 0 turns duplicate
     * detection off.
     */
    public static final String PARAM_DUPLICATE_WINDOW_SECONDS = "duplicateWindowSeconds";
    /**
     * How long a run in progress holds its delivery without renewal, in milliseconds (default 3000): renewed
     * while the application runs, it lapses this long after its node died, so that a retry runs it again.
     */
    public static final String PARAM_LEASE_MILLIS = "leaseMillis";
    /**
     * How long a retry that arrives during a run waits for that run's outcome, in milliseconds (default 3000,
     * at most 4500 so that WeCom's 5 s hold): its reply, or its failure (then the retry runs the application).
     */
    public static final String PARAM_RETRY_WAIT_MILLIS = "retryWaitMillis";
    /**
     * {@code redis://[:password@]host:port/db} (or {@code rediss://}): remember deliveries in Redis, shared by
     * several nodes; unset (the default) remembers them in this node's memory.
     */
    public static final String PARAM_REDIS_URL = "redisUrl";

    private static final String PREFIX = "io.github.wecomcallback.";
    /**
     * The parsed {@link WeComMessage} of an XML callback, parsed when first asked for; absent for JSON callbacks
     * and plaintext not in a modelled shape.
     */
    public static final String ATTRIBUTE_MESSAGE = PREFIX + "message";
    /** The decrypted plaintext as a String (UTF-8). */
    public static final String ATTRIBUTE_PLAINTEXT = PREFIX + "plaintext";
    /**
     * The receive id of the message, from inside the signed ciphertext: the corp id, a suite id, empty for bots,
     * or on a provider's data URL the authorizing corp's id.
     */
    public static final String ATTRIBUTE_RECEIVE_ID = PREFIX + "receiveId";
    /**
     * The agent id of the message ({@code <AgentID>} inside the signed, encrypted message; never the envelope's,
     * which the signature does not cover), when present.
     */
    public static final String ATTRIBUTE_AGENT_ID = PREFIX + "agentId";

    /**
     * Identifies the delivery, the same for each of WeCom's retries of it: 64 hex digits (an HMAC of the message
     * under the application's credentials, revealing nothing of it). Use it as an idempotency key.
     */
    public static final String ATTRIBUTE_DELIVERY_ID = PREFIX + "deliveryId";

    /** Content type of the plaintext body the application reads, and of XML replies. */
    public static final String XML_CONTENT_TYPE = "text/xml;charset=UTF-8";
    /** Content type of JSON (smart bot) plaintext and replies. */
    public static final String JSON_CONTENT_TYPE = "application/json;charset=UTF-8";
    /** Content type of the answer to the URL check. */
    public static final String ECHO_CONTENT_TYPE = "text/plain;charset=UTF-8";

    static final Logger LOG = System.getLogger("io.github.wecomcallback");
    /** The acknowledgement of third-party command callbacks, sent as is rather than encrypted. */
    private static final byte[] SUCCESS = "success".getBytes(StandardCharsets.US_ASCII);

    /** A POST body that has not fully arrived after this long is refused: WeCom itself gives up after 5 s. */
    static final long BODY_READ_DEADLINE_NANOS = 5_000_000_000L;

    private final Clock clock;
    private volatile CallbackConfig config;
    private volatile DeliveryGuard guard;
    private volatile RefusalLog refusals;
    private volatile String name = "unnamed";
    private final AtomicBoolean plusWarningLogged = new AtomicBoolean();
    private final LogThrottle urlCheckLog = new LogThrottle(System::nanoTime);

    public WeComCallbackFilter() {
        this(Clock.systemUTC());
    }

    /** For tests and embedding: the clock used for timestamps of replies and the timestamp window. */
    public WeComCallbackFilter(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        name = filterConfig.getFilterName();
        config = CallbackConfig.parse(param -> {
            String value = filterConfig.getInitParameter(param);
            return value != null ? value : filterConfig.getServletContext().getInitParameter(param);
        }, WeComCallbackFilter::variable, clock);
        refusals = new RefusalLog(LOG, name, System::nanoTime);
        try {
            MessageCodec.initialize();
        } catch (RuntimeException | LinkageError e) {
            throw new ServletException("WeComCallbackFilter [" + name + "]: the JAXB runtime is missing or broken;"
                    + " add org.glassfish.jaxb:jaxb-runtime 4.x (Tomcat has none; the WAR bundles it)", e);
        }
        guard = config.newDeliveryGuard();
        LOG.log(Level.INFO, "WeComCallbackFilter [" + name + "] ready: " + config.summary());
    }

    static String variable(String variableName) {
        String value = System.getProperty(variableName);
        return value != null ? value : System.getenv(variableName);
    }

    /** The validated configuration (after {@code init}). */
    public CallbackConfig config() {
        return config;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            throw new ServletException("WeComCallbackFilter handles HTTP requests only");
        }
        if (config == null) {
            throw new ServletException("WeComCallbackFilter [" + name + "] was not initialised");
        }
        String method = request.getMethod();
        boolean get = "GET".equals(method);
        if (!get && !"POST".equals(method)) {
            response.setHeader("Allow", "GET, POST");
            refuse(request, response, Refusal.METHOD_NOT_ALLOWED, null);
            return;
        }
        QueryString query;
        try {
            query = QueryString.parse(request.getQueryString());
        } catch (IllegalArgumentException e) {
            refuse(request, response, Refusal.MALFORMED_QUERY, e.getMessage());
            return;
        }
        if (get) {
            verifyUrl(request, response, query);
        } else {
            receive(request, response, chain, query);
        }
    }

    private void verifyUrl(HttpServletRequest request, HttpServletResponse response, QueryString query)
            throws IOException {
        DecryptedMessage echo;
        try {
            echo = config.crypto().verifyUrl(query.get(QueryString.MSG_SIGNATURE), query.get(QueryString.TIMESTAMP),
                    query.get(QueryString.NONCE), query.get(QueryString.ECHOSTR));
        } catch (WeComCryptoException e) {
            refuse(request, response, e);
            return;
        }
        noticeRestoredPlusSigns(echo);
        byte[] body = echo.plaintext();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(ECHO_CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        int heldBack = urlCheckLog.tryAcquire(); // a replayed URL check must not flood the log
        if (heldBack >= 0) {
            LOG.log(Level.INFO, "WeComCallbackFilter [" + name + "] answered the URL check from WeCom:"
                    + " the callback URL is verified" + LogThrottle.heldBack(heldBack, "URL checks"));
        }
    }

    /**
     * A POST: everything that needs no body is checked before the body is read, so that most junk costs no read
     * at all; then the body (bounded in size and time), the envelope, the signature and the decryption.
     */
    private void receive(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
            QueryString query) throws IOException, ServletException {
        if (!query.hasAnyOf(QueryString.MSG_SIGNATURE, QueryString.TIMESTAMP, QueryString.NONCE)) {
            refuseUnread(request, response, Refusal.NOT_FROM_WECOM, null);
            return;
        }
        String signature = query.get(QueryString.MSG_SIGNATURE);
        String timestamp = query.get(QueryString.TIMESTAMP);
        String nonce = query.get(QueryString.NONCE);
        try {
            config.crypto().checkParameters(signature, timestamp, nonce);
        } catch (WeComCryptoException e) {
            refuseUnread(request, response, Refusal.of(e.problem()), e.detail());
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            refuseUnread(request, response, Refusal.BODY_TOO_LARGE,
                    "Content-Length " + declared + " > maxBodyBytes " + config.maxBodyBytes());
            return;
        }
        byte[] body;
        try {
            body = readAtMost(request.getInputStream(), declared, config.maxBodyBytes());
        } catch (IOException e) {
            // The client is gone or too slow. Tomcat has already chosen to answer with its own 400 report and
            // locked the response: without the exception it shows no stack trace, and BareErrorServlet (the WAR's
            // error page) makes it a bare status. Other containers let this answer through.
            request.removeAttribute(RequestDispatcher.ERROR_EXCEPTION);
            refuseUnread(request, response, Refusal.BODY_UNREADABLE,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        if (body == null) {
            refuseUnread(request, response, Refusal.BODY_TOO_LARGE, "body > maxBodyBytes " + config.maxBodyBytes());
            return;
        }
        EncryptedEnvelope envelope;
        try {
            envelope = MessageCodec.parseEnvelope(body);
        } catch (MessageFormatException e) {
            refuse(request, response, Refusal.MALFORMED_ENVELOPE, e.getMessage());
            return;
        }
        DecryptedMessage message;
        try {
            message = envelope.decrypt(config.crypto(), signature, timestamp, nonce);
        } catch (WeComCryptoException e) {
            refuse(request, response, e);
            return;
        }
        noticeRestoredPlusSigns(message);
        // WeCom's messages and events are XML, or JSON for smart bots; an echostr is neither.
        if (!MessageCodec.looksLikeXmlOrJson(message.plaintextBuffer())) {
            refuse(request, response, Refusal.NOT_A_MESSAGE, "the plaintext starts with neither '<' nor '{'");
            return;
        }
        deliver(request, response, chain, envelope.isJson(), message, nonce);
    }

    /**
     * Runs the application on a verified message, unless it is a retry of a delivery answered before (the same
     * reply, encrypted afresh) or still running (waits for its outcome, within WeCom's 5 s).
     */
    private void deliver(HttpServletRequest request, HttpServletResponse response, FilterChain chain, boolean json,
            DecryptedMessage message, String nonce) throws IOException {
        DeliveryGuard guard = this.guard;
        DeliveryId deliveryId = config.deliveryKeys().of(message);
        String receiveId = message.receiveId();
        if (guard == null) {
            byte[] reply = run(request, response, chain, json, message, deliveryId);
            if (reply != null) {
                writeReply(response, reply, json, nonce, receiveId);
            }
            return;
        }
        DeliveryGuard.Claim claim;
        long start = System.nanoTime();
        try {
            claim = guard.claim(deliveryId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answerEmpty(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        if (claim instanceof DeliveryGuard.Reflected) {
            refuse(request, response, Refusal.REFLECTED_REPLY, null);
        } else if (claim instanceof DeliveryGuard.Answered answered) {
            LOG.log(Level.DEBUG, () -> "WeComCallbackFilter [" + name + "]: a retry of a callback already"
                    + " answered; the same reply is sent again, the application does not run again");
            recordReply(guard, answered.reply());
            writeReply(response, answered.reply(), json, nonce, receiveId);
        } else if (claim instanceof DeliveryGuard.Lease lease) {
            byte[] reply = null;
            try {
                reply = run(request, response, chain, json, message, deliveryId);
            } finally {
                if (reply != null) {
                    lease.complete(reply);
                } else {
                    lease.release();
                }
            }
            if (reply != null) {
                recordReply(guard, reply); // before it can reach anyone
                writeReply(response, reply, json, nonce, receiveId);
            }
        } else {
            long waited = (System.nanoTime() - start) / 1_000_000;
            LOG.log(Level.INFO, () -> "WeComCallbackFilter [" + name + "]: WeCom retried a callback that the"
                    + " application is still handling (waited " + waited + " ms for it); answered 503 so that"
                    + " WeCom tries again. The application is not run twice at once.");
            answerEmpty(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        }
    }

    /** A reply goes out signed and encrypted like a callback: should it come back as one, it is refused. */
    private void recordReply(DeliveryGuard guard, byte[] reply) {
        if (reply.length > 0 && !Arrays.equals(reply, SUCCESS)) {
            guard.recordReply(config.deliveryKeys().of(reply));
        }
    }

    /**
     * Runs the application with the plaintext as its request body. Returns what it wrote, or null when it failed
     * (an exception, or a status of 300 or more): then the failure is already answered with a bare status, and
     * nothing the application or the container produced reaches the wire.
     */
    private byte[] run(HttpServletRequest request, HttpServletResponse response, FilterChain chain, boolean json,
            DecryptedMessage message, DeliveryId deliveryId) throws IOException {
        PlaintextRequest plaintextRequest = new PlaintextRequest(request, message,
                json ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE, json ? () -> null : () -> parse(message.plaintext()));
        // Set on the container's request: filters before this one and the access log can read it after the chain.
        request.setAttribute(ATTRIBUTE_DELIVERY_ID, deliveryId.hex());
        CapturingResponse capture = new CapturingResponse(response);
        try {
            chain.doFilter(plaintextRequest, capture);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            LOG.log(Level.WARNING, "WeComCallbackFilter [" + name + "]: the application failed on a verified"
                    + " callback; answered 500 with an empty body (the exception stays in this log), and WeCom will"
                    + " retry it", e);
            response.reset(); // nothing the application set (headers, cookies) goes out with a failure
            answerEmpty(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            return null;
        }
        int status = capture.getStatus();
        if (status >= 300) {
            // Never the application's plaintext error page; WeCom retries on any status but 200.
            LOG.log(Level.WARNING, "WeComCallbackFilter [" + name + "]: the application answered " + status
                    + "; answered " + status + " with an empty body, and WeCom will retry the callback");
            response.reset(); // no Location, no header the application set: the bare status
            answerEmpty(response, status);
            return null;
        }
        return capture.captured();
    }

    private WeComMessage parse(byte[] plaintext) {
        try {
            return MessageCodec.parseMessage(plaintext);
        } catch (MessageFormatException e) {
            // Authentic but not in a shape we model: the application still gets the plaintext.
            LOG.log(Level.DEBUG, () -> "WeComCallbackFilter [" + name + "] could not parse a verified message"
                    + " into WeComMessage (" + e.getMessage() + "); the plaintext is passed on as is");
            return null;
        }
    }

    /** The reply, encrypted for the receive id of the message it answers. */
    private void writeReply(HttpServletResponse response, byte[] reply, boolean json, String nonce, String receiveId)
            throws IOException {
        if (reply.length == 0) {
            answerEmpty(response, HttpServletResponse.SC_OK);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        if (Arrays.equals(reply, SUCCESS)) {
            // Third-party suite command callbacks (suite_ticket, ...) must be acknowledged with this literal.
            response.setContentType(ECHO_CONTENT_TYPE);
            response.setContentLength(SUCCESS.length);
            response.getOutputStream().write(SUCCESS);
            return;
        }
        EncryptedReply encrypted;
        try {
            encrypted = config.crypto().encrypt(reply, nonce, receiveId);
        } catch (WeComCryptoException e) {
            LOG.log(Level.ERROR, "WeComCallbackFilter [" + name + "] could not encrypt the reply; answered 500", e);
            answerEmpty(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            return;
        }
        byte[] envelope = (json ? ReplyEnvelope.toJson(encrypted) : ReplyEnvelope.toXml(encrypted))
                .getBytes(StandardCharsets.UTF_8);
        response.setContentType(json ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE);
        response.setContentLength(envelope.length);
        response.getOutputStream().write(envelope);
    }

    /** A bare status: no body for the container to fill with an error page. */
    private static void answerEmpty(HttpServletResponse response, int status) throws IOException {
        response.setStatus(status);
        response.setContentLength(0);
        response.flushBuffer();
    }

    /**
     * Reads the body, or returns null as soon as it proves longer than {@code max}.
     *
     * @throws IOException if the client fails to send it, or takes longer than {@link #BODY_READ_DEADLINE_NANOS}
     */
    private static byte[] readAtMost(InputStream in, long declared, long max) throws IOException {
        long deadline = System.nanoTime() + BODY_READ_DEADLINE_NANOS;
        if (declared >= 0) {
            // Content-Length, already checked against max: one array of that size, no copies.
            byte[] body = new byte[(int) declared];
            int total = 0;
            while (total < body.length) {
                int n = in.read(body, total, body.length - total);
                if (n < 0) {
                    throw new EOFException("the body ended after " + total + " of " + declared + " bytes");
                }
                total += n;
                checkDeadline(deadline, total);
            }
            return body;
        }
        byte[] buffer = new byte[8192]; // chunked: grows, up to max
        int total = 0;
        int n;
        while ((n = in.read(buffer, total, buffer.length - total)) >= 0) {
            total += n;
            if (total > max) {
                return null;
            }
            checkDeadline(deadline, total);
            if (total == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(max + 1, (long) buffer.length * 2));
            }
        }
        return Arrays.copyOf(buffer, total);
    }

    private static void checkDeadline(long deadline, int total) throws SocketTimeoutException {
        if (System.nanoTime() - deadline > 0) {
            throw new SocketTimeoutException("the body was still arriving after "
                    + BODY_READ_DEADLINE_NANOS / 1_000_000_000L + " s (" + total + " bytes so far)");
        }
    }

    private void noticeRestoredPlusSigns(DecryptedMessage message) {
        if (message.plusSignsRestored() && plusWarningLogged.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "WeComCallbackFilter [" + name + "]: a callback arrived with spaces where WeCom"
                    + " sent '+' and verified only after they were turned back. It was accepted, but a proxy or"
                    + " framework in front of this application decodes the URL twice (%2B -> + -> space): that is a"
                    + " deployment defect to fix: compare the request line in the access log with what WeCom sends"
                    + " (%2B, %2F, %3D in echostr); docs/DEPLOYING.md section 7 lists the causes. Logged once.");
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, WeComCryptoException e)
            throws IOException {
        refuse(request, response, Refusal.of(e.problem()), e.detail());
    }

    /** A refusal with (part of) the body unread: the connection is closed rather than kept for a body nobody wants. */
    private void refuseUnread(HttpServletRequest request, HttpServletResponse response, Refusal refusal, String detail)
            throws IOException {
        response.setHeader("Connection", "close");
        refuse(request, response, refusal, detail);
    }

    /** One refusal, one code: the same in the body and in the log line. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, Refusal refusal, String detail)
            throws IOException {
        refusals.refused(refusal, LogText.quote(request.getMethod()) + " from " + request.getRemoteAddr(), detail);
        byte[] body = Integer.toString(refusal.error.code()).getBytes(StandardCharsets.US_ASCII);
        response.setStatus(refusal.status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        // Committed now: a container that saw a read fail must not replace it with its own error report.
        response.flushBuffer();
    }

    @Override
    public void destroy() {
        DeliveryGuard stopping = guard;
        config = null;
        guard = null;
        if (stopping != null) {
            stopping.close();
        }
    }
}
