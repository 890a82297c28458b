package io.github.wecomcallback.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.wecomcallback.crypto.DecryptedMessage;
import io.github.wecomcallback.crypto.EncryptedReply;
import io.github.wecomcallback.crypto.WeComCryptoException;
import io.github.wecomcallback.dedup.DeliveryGuard;
import io.github.wecomcallback.message.EncryptedEnvelope;
import io.github.wecomcallback.message.MessageCodec;
import io.github.wecomcallback.message.MessageFormatException;
import io.github.wecomcallback.message.ReplyEnvelope;
import io.github.wecomcallback.message.WeComMessage;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
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
    /** Overrides the expected receive id: a suite id for third-party suites, the empty string for bots. */
    public static final String PARAM_RECEIVE_ID = "receiveId";
    /** The previous EncodingAESKey, still accepted for decryption during a key rotation. */
    public static final String PARAM_PREVIOUS_ENCODING_AES_KEY = "previousEncodingAesKey";
    /** Refuse callbacks whose timestamp is further from now, in seconds; 0 (the default) turns the check off. */
    public static final String PARAM_TIMESTAMP_TOLERANCE_SECONDS = "timestampToleranceSeconds";
    /** Larger POST bodies are refused with 413 without being read whole; default 1 MiB. */
    public static final String PARAM_MAX_BODY_BYTES = "maxBodyBytes";
    /**
     * How long a delivery is remembered so that WeCom's retries do not run the application again, in seconds;
     * default 300, 0 turns duplicate detection off.
     */
    public static final String PARAM_DUPLICATE_WINDOW_SECONDS = "duplicateWindowSeconds";
    /**
     * {@code redis://[:password@]host:port/db} (or {@code rediss://}): remember deliveries in Redis, shared by
     * several nodes; unset (the default) remembers them in this node's memory.
     */
    public static final String PARAM_REDIS_URL = "redisUrl";

    private static final String PREFIX = "io.github.wecomcallback.";
    /** The parsed {@link WeComMessage} of an XML callback; absent for JSON callbacks and unparsable plaintext. */
    public static final String ATTRIBUTE_MESSAGE = PREFIX + "message";
    /** The decrypted plaintext as a String (UTF-8). */
    public static final String ATTRIBUTE_PLAINTEXT = PREFIX + "plaintext";
    /** The receive id of the message (corp id, suite id, or empty for bots). */
    public static final String ATTRIBUTE_RECEIVE_ID = PREFIX + "receiveId";
    /** The agent id from the envelope (or the message), when present. */
    public static final String ATTRIBUTE_AGENT_ID = PREFIX + "agentId";

    /** Content type of the plaintext body the application reads, and of XML replies. */
    public static final String XML_CONTENT_TYPE = "text/xml;charset=UTF-8";
    /** Content type of JSON (smart bot) plaintext and replies. */
    public static final String JSON_CONTENT_TYPE = "application/json;charset=UTF-8";
    /** Content type of the answer to the URL check. */
    public static final String ECHO_CONTENT_TYPE = "text/plain;charset=UTF-8";

    static final Logger LOG = System.getLogger("io.github.wecomcallback");
    /** The acknowledgement of third-party command callbacks, sent as is rather than encrypted. */
    private static final byte[] SUCCESS = "success".getBytes(StandardCharsets.US_ASCII);

    private final Clock clock;
    private volatile CallbackConfig config;
    private volatile RefusalLog refusals;
    private volatile String name = "unnamed";
    private final AtomicBoolean plusWarningLogged = new AtomicBoolean();
    private final AtomicLong lastUrlCheckLog = new AtomicLong(System.nanoTime() - RefusalLog.INTERVAL_NANOS - 1);

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
        LOG.log(Level.INFO, "WeComCallbackFilter [" + name + "] ready: " + config.summary());
    }

    private static String variable(String variableName) {
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
        QueryString query;
        try {
            query = QueryString.parse(request.getQueryString());
        } catch (IllegalArgumentException e) {
            refuse(request, response, Refusal.MALFORMED_QUERY, e.getMessage());
            return;
        }
        switch (request.getMethod()) {
            case "GET" -> verifyUrl(request, response, query);
            case "POST" -> receive(request, response, chain, query);
            default -> {
                response.setHeader("Allow", "GET, POST");
                refuse(request, response, Refusal.METHOD_NOT_ALLOWED, "method " + request.getMethod());
            }
        }
    }

    private void verifyUrl(HttpServletRequest request, HttpServletResponse response, QueryString query)
            throws IOException {
        DecryptedMessage echo;
        try {
            echo = config.crypto().verifyUrl(query.get("msg_signature"), query.get("timestamp"), query.get("nonce"),
                    query.get("echostr"));
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
        long now = System.nanoTime();
        long last = lastUrlCheckLog.get();
        if (now - last > RefusalLog.INTERVAL_NANOS && lastUrlCheckLog.compareAndSet(last, now)) {
            // Once a minute at most: a replayed URL check must not flood the log.
            LOG.log(Level.INFO, "WeComCallbackFilter [" + name + "] answered the URL check from WeCom:"
                    + " the callback URL is verified");
        }
    }

    private void receive(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
            QueryString query) throws IOException, ServletException {
        if (!query.hasAnyOf("msg_signature", "timestamp", "nonce")) {
            refuse(request, response, Refusal.NOT_FROM_WECOM, null);
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > config.maxBodyBytes()) {
            refuse(request, response, Refusal.BODY_TOO_LARGE,
                    "Content-Length " + declared + " > maxBodyBytes " + config.maxBodyBytes());
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), config.maxBodyBytes());
        if (body == null) {
            refuse(request, response, Refusal.BODY_TOO_LARGE, "body > maxBodyBytes " + config.maxBodyBytes());
            return;
        }
        EncryptedEnvelope envelope;
        try {
            envelope = MessageCodec.parseEnvelope(body);
        } catch (MessageFormatException e) {
            refuse(request, response, Refusal.MALFORMED_ENVELOPE, e.getMessage());
            return;
        }
        String nonce = query.get("nonce");
        DecryptedMessage message;
        try {
            message = config.crypto().decrypt(query.get("msg_signature"), query.get("timestamp"), nonce,
                    envelope.encrypt());
        } catch (WeComCryptoException e) {
            refuse(request, response, e);
            return;
        }
        noticeRestoredPlusSigns(message);
        deliver(request, response, chain, envelope, message, nonce);
    }

    /** Runs the application on a verified message, unless it is a retry of a delivery seen before. */
    private void deliver(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
            EncryptedEnvelope envelope, DecryptedMessage message, String nonce) throws IOException, ServletException {
        DeliveryGuard guard = config.deliveryGuard();
        String key = guard == null ? null : deliveryKey(message);
        if (key != null) {
            DeliveryGuard.Claim claim = guard.claim(key);
            if (claim instanceof DeliveryGuard.InProgress) {
                // Worth knowing: the application takes longer than WeCom's 5 s.
                LOG.log(Level.INFO, () -> "WeComCallbackFilter [" + name + "]: WeCom retried a callback that the"
                        + " application is still handling (it took more than 5 s); the retry is answered with an"
                        + " empty 200 and the application does not run again");
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentLength(0);
                return;
            }
            if (claim instanceof DeliveryGuard.Done done) {
                LOG.log(Level.DEBUG, () -> "WeComCallbackFilter [" + name + "]: a retry of a callback already"
                        + " answered; the same reply is sent again, the application does not run again");
                writeReply(response, done.reply(), envelope.isJson(), nonce);
                return;
            }
        }

        PlaintextRequest plaintextRequest = new PlaintextRequest(request, message.plaintext(),
                envelope.isJson() ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE);
        String plaintext = message.plaintextUtf8();
        WeComMessage parsed = envelope.isJson() ? null : parse(message);
        plaintextRequest.setAttribute(ATTRIBUTE_PLAINTEXT, plaintext);
        plaintextRequest.setAttribute(ATTRIBUTE_RECEIVE_ID, message.receiveId());
        if (parsed != null) {
            plaintextRequest.setAttribute(ATTRIBUTE_MESSAGE, parsed);
        }
        String agentId = envelope.agentId() != null ? envelope.agentId() : parsed == null ? null : parsed.agentId();
        if (agentId != null) {
            plaintextRequest.setAttribute(ATTRIBUTE_AGENT_ID, agentId);
        }

        CapturingResponse capture = new CapturingResponse(response);
        try {
            chain.doFilter(plaintextRequest, capture);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            if (key != null) {
                guard.release(key);
            }
            throw e;
        }
        int status = capture.getStatus();
        if (status >= 300) {
            if (key != null) {
                guard.release(key);
            }
            // Never the application's plaintext error page; WeCom retries on any status but 200.
            LOG.log(Level.WARNING, "WeComCallbackFilter [" + name + "]: the application answered " + status
                    + "; WeCom counts this as a failure and will retry the callback");
            response.setStatus(status);
            response.setContentLength(0);
            return;
        }
        byte[] reply = capture.captured();
        if (key != null) {
            guard.complete(key, reply);
        }
        writeReply(response, reply, envelope.isJson(), nonce);
    }

    /**
     * Identifies a delivery by its content: a retry carries the same plaintext (MsgId, or for events every
     * field), whether or not WeCom re-encrypts it with a new timestamp and nonce. Distinct events of one user
     * within one second differ in content and so are not mistaken for each other.
     */
    private static String deliveryKey(DecryptedMessage message) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(message.receiveId().getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(message.plaintext());
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK offers no SHA-256", e);
        }
    }

    private WeComMessage parse(DecryptedMessage message) {
        try {
            return MessageCodec.parseMessage(message.plaintext());
        } catch (MessageFormatException e) {
            // Authentic but not in a shape we model: the application still gets the plaintext.
            LOG.log(Level.DEBUG, () -> "WeComCallbackFilter [" + name + "] could not parse a verified message"
                    + " into WeComMessage (" + e.getMessage() + "); the plaintext is passed on as is");
            return null;
        }
    }

    private void writeReply(HttpServletResponse response, byte[] reply, boolean json, String nonce)
            throws IOException, ServletException {
        response.setStatus(HttpServletResponse.SC_OK);
        if (reply.length == 0) {
            response.setContentLength(0);
            return;
        }
        if (Arrays.equals(reply, SUCCESS)) {
            // Third-party suite command callbacks (suite_ticket, ...) must be acknowledged with this literal.
            response.setContentType(ECHO_CONTENT_TYPE);
            response.setContentLength(SUCCESS.length);
            response.getOutputStream().write(SUCCESS);
            return;
        }
        EncryptedReply encrypted;
        try {
            encrypted = config.crypto().encrypt(reply, nonce);
        } catch (WeComCryptoException e) {
            throw new ServletException("WeComCallbackFilter [" + name + "] could not encrypt the reply", e);
        }
        byte[] envelope = (json ? ReplyEnvelope.toJson(encrypted) : ReplyEnvelope.toXml(encrypted))
                .getBytes(StandardCharsets.UTF_8);
        response.setContentType(json ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE);
        response.setContentLength(envelope.length);
        response.getOutputStream().write(envelope);
    }

    /** Reads the body, or returns null as soon as it proves longer than {@code max}. */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
            total += n;
            if (total > max) {
                return null;
            }
            out.write(chunk, 0, n);
        }
        return out.toByteArray();
    }

    private void noticeRestoredPlusSigns(DecryptedMessage message) {
        if (message.plusSignsRestored() && plusWarningLogged.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "WeComCallbackFilter [" + name + "]: a callback arrived with spaces where WeCom"
                    + " sent '+' and verified only after they were turned back. It was accepted, but a proxy or"
                    + " framework in front of this application decodes the URL twice (%2B -> + -> space): that is a"
                    + " deployment defect to fix (for nginx, pass $request_uri unchanged; for IIS ARR, turn off"
                    + " double decoding). Logged once.");
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, WeComCryptoException e)
            throws IOException {
        Refusal refusal = Refusal.of(e.problem());
        refuse(request, response, refusal, e.detail(), e.error().code());
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Refusal refusal, String detail)
            throws IOException {
        refuse(request, response, refusal, detail, refusal.error.code());
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, Refusal refusal, String detail,
            int code) throws IOException {
        refusals.refused(refusal, request.getMethod() + " from " + request.getRemoteAddr(), detail);
        byte[] body = Integer.toString(code).getBytes(StandardCharsets.US_ASCII);
        response.setStatus(refusal.status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    @Override
    public void destroy() {
        CallbackConfig stopping = config;
        config = null;
        if (stopping != null && stopping.deliveryGuard() != null) {
            stopping.deliveryGuard().close();
        }
    }
}
