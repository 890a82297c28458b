package io.github.wecomcallback.crypto;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import io.github.wecomcallback.crypto.WeComCryptoException.Problem;

/**
 * Verifies, decrypts and encrypts WeCom callbacks for one application (one token, one EncodingAESKey, one
 * expected receive id). Built once, immutable and thread-safe.
 *
 * <pre>{@code
 * WeComCrypto crypto = WeComCrypto.builder(token, encodingAesKey, corpId).build();
 * DecryptedMessage echo = crypto.verifyUrl(msgSignature, timestamp, nonce, echostr);   // GET
 * DecryptedMessage msg  = crypto.decrypt(msgSignature, timestamp, nonce, encrypt);     // POST
 * EncryptedReply reply  = crypto.encrypt(replyXml.getBytes(UTF_8), nonce);
 * }</pre>
 *
 * <p>Untrusted input is checked in this order, each step a hard rejection: required values present and well
 * formed (a 40-character signature, a timestamp of 1 to 10 digits, a nonce of at most 64 characters), the
 * timestamp window (300 s both ways by default), the signature (constant time), the ciphertext alphabet and
 * length, AES, padding, the length field, the receive id; for the URL check also the shape of an echostr, so
 * that the URL check never decrypts a captured message for whoever presents it.
 */
public final class WeComCrypto {
    /** Longest token the WeCom console accepts. */
    public static final int MAX_TOKEN_LENGTH = 32;
    /** Default timestamp tolerance: WeCom's clock and ours may differ by this much, in either direction. */
    public static final Duration DEFAULT_TIMESTAMP_TOLERANCE = Duration.ofSeconds(300);
    /** Longest nonce accepted; WeCom's are about ten digits. */
    public static final int MAX_NONCE_LENGTH = 64;
    /**
     * Longest decrypted echostr answered. WeCom's are random decimal numbers of about 19 digits; a message or
     * a reply is XML or JSON and far longer.
     */
    public static final int MAX_ECHOSTR_LENGTH = 128;
    /** Longest echostr ciphertext decrypted: {@link #MAX_ECHOSTR_LENGTH} plus a receive id, header and padding. */
    private static final int MAX_ECHOSTR_CIPHERTEXT_LENGTH = 512;
    private static final int SIGNATURE_LENGTH = 40;
    /** Longest timestamp accepted, in digits: seconds since 1970 have 10 until the year 2286. */
    static final int MAX_TIMESTAMP_DIGITS = 10;

    private final String token;
    private final EncodingAesKey key;
    private final EncodingAesKey previousKey;
    private final String receiveId;
    private final byte[] receiveIdBytes;
    /** The receive ids a message may carry; null when any may (the application checks it). */
    private final java.util.Set<String> acceptedReceiveIds;
    private final String urlCheckReceiveId;
    private final Clock clock;
    /** The caller's generator, or null for {@link RandomPool}. */
    private final SecureRandom random;
    private final long toleranceSeconds;

    private WeComCrypto(Builder builder) throws WeComCryptoException {
        this.token = validateToken(builder.token);
        this.key = EncodingAesKey.of(builder.encodingAesKey);
        this.previousKey = builder.previousEncodingAesKey == null ? null
                : EncodingAesKey.of(builder.previousEncodingAesKey);
        this.receiveId = validateReceiveId(builder.receiveId);
        this.receiveIdBytes = receiveId.getBytes(StandardCharsets.UTF_8);
        if (builder.anyReceiveId) {
            this.acceptedReceiveIds = null;
        } else {
            java.util.Set<String> accepted = new java.util.LinkedHashSet<>();
            accepted.add(receiveId);
            for (String id : builder.moreReceiveIds) {
                accepted.add(validateReceiveId(id));
            }
            this.acceptedReceiveIds = java.util.Collections.unmodifiableSet(accepted);
        }
        this.urlCheckReceiveId = validateReceiveId(builder.urlCheckReceiveId != null ? builder.urlCheckReceiveId
                : receiveId);
        this.clock = builder.clock;
        this.random = builder.random;
        this.toleranceSeconds = builder.timestampTolerance.toSeconds();
    }

    /**
     * Starts a builder.
     *
     * @param receiveId the receive id decrypted messages must carry: the corp id for a self-built
     *     application, the suite id for suite callbacks, the empty string for bots
     */
    public static Builder builder(String token, String encodingAesKey, String receiveId) {
        return new Builder(token, encodingAesKey, receiveId);
    }

    /** The expected receive id; replies carry it unless told otherwise. */
    public String receiveId() {
        return receiveId;
    }

    /** The receive ids a message may carry, or null when any may (the application then checks it). */
    public java.util.Set<String> acceptedReceiveIds() {
        return acceptedReceiveIds;
    }

    /** The receive id the URL check's echostr must carry. */
    public String urlCheckReceiveId() {
        return urlCheckReceiveId;
    }

    /** The timestamp tolerance in seconds; 0 when the check is off. */
    public long timestampToleranceSeconds() {
        return toleranceSeconds;
    }

    /** Whether a previous EncodingAESKey is accepted for decryption (key rotation). */
    public boolean hasPreviousKey() {
        return previousKey != null;
    }

    /**
     * The GET verification of the callback URL: checks {@code msg_signature} over {@code echostr} and returns
     * the decrypted echostr, which must be answered byte for byte.
     */
    public DecryptedMessage verifyUrl(String msgSignature, String timestamp, String nonce, String echostr)
            throws WeComCryptoException {
        checkParameters(msgSignature, timestamp, nonce);
        requirePresent(echostr, "echostr");
        if (echostr.length() > MAX_ECHOSTR_CIPHERTEXT_LENGTH) {
            throw notAnEchostr("the echostr is " + echostr.length() + " characters long; WeCom's are under "
                    + MAX_ECHOSTR_CIPHERTEXT_LENGTH);
        }
        DecryptedMessage echo = open(msgSignature, timestamp, nonce, echostr, "echostr", true);
        String shapeProblem = echostrShapeProblem(echo);
        if (shapeProblem != null) {
            throw notAnEchostr(shapeProblem);
        }
        return echo;
    }

    /**
     * Checks the request parameters that need no body: present, well formed, and the timestamp within the
     * tolerance. The filter calls it before reading a POST body, so that most junk costs no read at all;
     * {@link #decrypt} and {@link #verifyUrl} call it too.
     */
    public void checkParameters(String msgSignature, String timestamp, String nonce) throws WeComCryptoException {
        requirePresent(msgSignature, "msg_signature");
        requirePresent(timestamp, "timestamp");
        requirePresent(nonce, "nonce");
        if (msgSignature.length() != SIGNATURE_LENGTH) {
            throw new WeComCryptoException(WeComError.VALIDATE_SIGNATURE_ERROR, Problem.MALFORMED_PARAMETER,
                    "msg_signature is " + msgSignature.length() + " characters long, not the " + SIGNATURE_LENGTH
                            + " hex digits of a SHA-1");
        }
        if (nonce.length() > MAX_NONCE_LENGTH) {
            throw new WeComCryptoException(WeComError.VALIDATE_SIGNATURE_ERROR, Problem.MALFORMED_PARAMETER,
                    "the nonce is " + nonce.length() + " characters long, more than " + MAX_NONCE_LENGTH);
        }
        long seconds = parseSeconds(timestamp);
        checkTimestamp(seconds);
    }

    /** Verifies and decrypts the {@code Encrypt} field of a POST callback. */
    public DecryptedMessage decrypt(String msgSignature, String timestamp, String nonce, String encrypt)
            throws WeComCryptoException {
        return open(msgSignature, timestamp, nonce, encrypt, "Encrypt", false);
    }

    /**
     * The same for an {@code Encrypt} field given as ASCII bytes where it lies in the request body: the signature
     * reads those bytes directly, and the Base64 decoding an exact copy of them (the JDK's decoder, intrinsified,
     * takes whole arrays only), with no String of the ciphertext.
     * Anything unusual (a signature that does not match, spaces to restore, non-ASCII parameters) takes the
     * String path, so that the outcome and the diagnosis are exactly those of {@link #decrypt(String, String,
     * String, String)} for ASCII (the characters of Base64; an envelope's reader checks them).
     *
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is not within {@code encrypt}
     */
    public DecryptedMessage decrypt(String msgSignature, String timestamp, String nonce, byte[] encrypt, int offset,
            int length) throws WeComCryptoException {
        Objects.checkFromIndexSize(offset, length, encrypt.length);
        checkParameters(msgSignature, timestamp, nonce);
        if (length == 0 || !Signature.matches(msgSignature, token, timestamp, nonce, encrypt, offset, length)) {
            return decrypt(msgSignature, timestamp, nonce, new String(encrypt, offset, length,
                    StandardCharsets.ISO_8859_1));
        }
        // Copying the range out costs a few tens of nanoseconds; decoding it with the JDK's intrinsic (AVX) several
        // times less than its ByteBuffer form, which reads a range in place but is not intrinsified on Java 17, or a
        // loop in Java (measured: 472 characters in about 80 ns against 450-800 ns).
        return openBase64(Arrays.copyOfRange(encrypt, offset, offset + length), false, false);
    }

    /** Encrypts a passive reply with a fresh random nonce and the current time. */
    public EncryptedReply encrypt(byte[] plaintext) throws WeComCryptoException {
        return encrypt(plaintext, newNonce());
    }

    /** Encrypts a passive reply with the given nonce (JSON bot replies must reuse the request's) and the current time. */
    public EncryptedReply encrypt(byte[] plaintext, String nonce) throws WeComCryptoException {
        return encrypt(plaintext, nonce, receiveIdBytes);
    }

    /**
     * Encrypts a passive reply for the given receive id: that of the message it answers, where several are
     * accepted (a provider's data callbacks carry the authorizing corp's id).
     */
    public EncryptedReply encrypt(byte[] plaintext, String nonce, String receiveId) throws WeComCryptoException {
        return encrypt(plaintext, nonce, receiveId.getBytes(StandardCharsets.UTF_8));
    }

    private EncryptedReply encrypt(byte[] plaintext, String nonce, byte[] receiveIdBytes) throws WeComCryptoException {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(nonce, "nonce");
        byte[] salt = new byte[PayloadCipher.RANDOM_LENGTH];
        randomBytes(salt);
        String encrypt = PayloadCipher.encrypt(key, salt, plaintext, receiveIdBytes);
        long timeStamp = epochSeconds();
        return new EncryptedReply(encrypt, sign(Long.toString(timeStamp), nonce, encrypt), timeStamp, nonce);
    }

    /** The signature WeCom computes over these values with this token. */
    public String sign(String timestamp, String nonce, String ciphertext) throws WeComCryptoException {
        return Signature.compute(token, timestamp, nonce, ciphertext);
    }

    private DecryptedMessage open(String msgSignature, String timestamp, String nonce, String ciphertext, String name,
            boolean urlCheck) throws WeComCryptoException {
        checkParameters(msgSignature, timestamp, nonce);
        requirePresent(ciphertext, name);

        boolean plusRestored = false;
        if (!Signature.matches(msgSignature, token, timestamp, nonce, ciphertext)) {
            String restored = ciphertext.replace(' ', '+');
            if (restored.equals(ciphertext)
                    || !Signature.matches(msgSignature, token, timestamp, nonce, restored)) {
                throw new WeComCryptoException(WeComError.VALIDATE_SIGNATURE_ERROR, Problem.SIGNATURE_MISMATCH,
                        "msg_signature does not match token, timestamp, nonce and " + name
                                + (restored.equals(ciphertext) ? ""
                                        : " (" + name + " contains spaces; turning them back into '+' did not help)"));
            }
            ciphertext = restored;
            plusRestored = true;
        }
        // As Base64.Decoder.decode(String) does: characters beyond Latin-1 become '?', which it refuses as well.
        return openBase64(ciphertext.getBytes(StandardCharsets.ISO_8859_1), urlCheck, plusRestored);
    }

    /** Decodes a verified ciphertext's Base64 (its Latin-1 bytes) into a pooled buffer, and opens it. */
    private DecryptedMessage openBase64(byte[] base64, boolean urlCheck, boolean plusRestored)
            throws WeComCryptoException {
        byte[] buffer = PayloadCipher.takeDecodeBuffer(base64.length);
        try {
            return open(buffer, PayloadCipher.decodeBase64(base64, buffer), urlCheck, plusRestored);
        } finally {
            PayloadCipher.giveDecodeBuffer(buffer);
        }
    }

    /**
     * Decrypts a verified ciphertext, {@code ciphertext[0, length)} decoded from its Base64 once, with the key, or
     * during a rotation the previous one; checks its receive id.
     */
    private DecryptedMessage open(byte[] ciphertext, int length, boolean urlCheck, boolean plusRestored)
            throws WeComCryptoException {
        PayloadCipher.Payload payload;
        boolean previousKeyUsed = false;
        try {
            payload = decryptFor(key, ciphertext, length, urlCheck);
        } catch (WeComCryptoException e) {
            if (previousKey == null || !isKeyDependent(e.problem())) {
                throw e;
            }
            try {
                payload = decryptFor(previousKey, ciphertext, length, urlCheck);
                previousKeyUsed = true;
            } catch (WeComCryptoException ignored) {
                throw e;
            }
        }
        return new DecryptedMessage(payload.buffer(), payload.messageOffset(), payload.messageLength(),
                receiveIdOf(payload), plusRestored, previousKeyUsed);
    }

    /** The payload's receive id: the configured id's own String where it is that one (the usual case makes none). */
    private String receiveIdOf(PayloadCipher.Payload payload) {
        return payload.receiveIdIs(receiveIdBytes) ? receiveId : payload.receiveIdText();
    }

    private PayloadCipher.Payload decryptFor(EncodingAesKey candidate, byte[] ciphertext, int length,
            boolean urlCheck) throws WeComCryptoException {
        PayloadCipher.Payload payload = PayloadCipher.decrypt(candidate, ciphertext, length);
        String found = receiveIdOf(payload);
        boolean accepted;
        if (urlCheck) {
            accepted = found.equals(urlCheckReceiveId);
        } else if (acceptedReceiveIds == null) {
            accepted = isPlausibleId(payload.receiveId());
        } else {
            accepted = acceptedReceiveIds.contains(found);
        }
        if (!accepted) {
            throw new WeComCryptoException(WeComError.VALIDATE_CORPID_ERROR, Problem.RECEIVE_ID_MISMATCH,
                    "the message is for receive id [" + printable(found) + "] but " + expectedReceiveId(urlCheck));
        }
        return payload;
    }

    /** What a refusal says was expected (made only for a refusal: this is the path of every message). */
    private String expectedReceiveId(boolean urlCheck) {
        if (urlCheck) {
            return "[" + urlCheckReceiveId + "] is expected on the URL check";
        }
        if (acceptedReceiveIds == null) {
            return "a corp id is expected (any receive id is accepted, but not this)";
        }
        return acceptedReceiveIds.size() == 1 ? "[" + receiveId + "] is expected"
                : "one of " + acceptedReceiveIds + " is expected";
    }

    /** With any receive id accepted: still what an id looks like (printable ASCII, no spaces, at most 64). */
    private static boolean isPlausibleId(byte[] id) {
        if (id.length > 64) {
            return false;
        }
        for (byte b : id) {
            if (b < 0x21 || b > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static boolean isKeyDependent(Problem problem) {
        return problem == Problem.BAD_PADDING_OR_LENGTH || problem == Problem.RECEIVE_ID_MISMATCH;
    }

    /**
     * Null when the decrypted text is what WeCom sends as echostr (a short random string), else why not. A
     * captured message or one of our replies presented as echostr decrypts fine but is XML or JSON: answering
     * it would hand its plaintext to whoever replays it.
     */
    private static String echostrShapeProblem(DecryptedMessage echo) {
        byte[] text = echo.plaintext(); // at most a few hundred bytes: an echostr's ciphertext is bounded
        if (text.length == 0) {
            return "the echostr decrypts to nothing";
        }
        if (text.length > MAX_ECHOSTR_LENGTH) {
            return "the echostr decrypts to " + text.length + " bytes; WeCom's are short random strings";
        }
        for (byte b : text) {
            if (b < 0x21 || b > 0x7E || b == '<' || b == '{' || b == '"' || b == '&') {
                return "the echostr decrypts to text that is not a random string (markup, JSON or control"
                        + " characters): it looks like the ciphertext of a message or a reply, replayed";
            }
        }
        return null;
    }

    private static WeComCryptoException notAnEchostr(String detail) {
        return new WeComCryptoException(WeComError.ILLEGAL_BUFFER, Problem.NOT_AN_ECHOSTR, detail);
    }

    private void checkTimestamp(long seconds) throws WeComCryptoException {
        if (toleranceSeconds == 0) {
            return;
        }
        long skew = seconds - epochSeconds();
        if (Math.abs(skew) > toleranceSeconds) {
            throw new WeComCryptoException(WeComError.VALIDATE_SIGNATURE_ERROR, Problem.TIMESTAMP_OUT_OF_WINDOW,
                    "the timestamp is " + Math.abs(skew) + " s " + (skew < 0 ? "behind" : "ahead of")
                            + " this server's clock, beyond the tolerance of " + toleranceSeconds + " s");
        }
    }

    /** The clock's time in whole seconds: from its milliseconds, which cost no Instant (this runs for every callback). */
    private long epochSeconds() {
        return Math.floorDiv(clock.millis(), 1000L);
    }

    private static long parseSeconds(String timestamp) throws WeComCryptoException {
        boolean digits = timestamp.length() <= MAX_TIMESTAMP_DIGITS;
        for (int i = 0; digits && i < timestamp.length(); i++) {
            char c = timestamp.charAt(i);
            digits = c >= '0' && c <= '9';
        }
        if (!digits) {
            throw new WeComCryptoException(WeComError.VALIDATE_SIGNATURE_ERROR, Problem.MALFORMED_TIMESTAMP,
                    "the timestamp [" + printable(timestamp) + "] is not a number of seconds (1 to "
                            + MAX_TIMESTAMP_DIGITS + " digits)");
        }
        return Long.parseLong(timestamp);
    }

    private static void requirePresent(String value, String name) throws WeComCryptoException {
        if (value == null || value.isEmpty()) {
            throw new WeComCryptoException(WeComError.VALIDATE_SIGNATURE_ERROR, Problem.MISSING_PARAMETER,
                    name + " is missing");
        }
    }

    /** Random bytes from the caller's generator, or from this thread's pooled DRBG. */
    private void randomBytes(byte[] out) {
        if (random != null) {
            random.nextBytes(out);
        } else {
            RandomPool.nextBytes(out);
        }
    }

    /** A fresh random nonce; WeCom's own are decimal digits and ours look the same. */
    public String newNonce() {
        long bits = random != null ? random.nextLong() : RandomPool.nextLong();
        return Long.toString(1_000_000_000L + Math.floorMod(bits, 9_000_000_000L));
    }

    private static String validateToken(String token) throws WeComCryptoException {
        if (token == null || token.isEmpty()) {
            throw invalidConfig(WeComError.COMPUTE_SIGNATURE_ERROR, "the token is missing");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw invalidConfig(WeComError.COMPUTE_SIGNATURE_ERROR,
                    "the token must be at most " + MAX_TOKEN_LENGTH + " characters, got " + token.length());
        }
        for (int i = 0; i < token.length(); i++) {
            if (!EncodingAesKey.isAlphanumeric(token.charAt(i))) {
                throw invalidConfig(WeComError.COMPUTE_SIGNATURE_ERROR,
                        "the token may contain only letters and digits [A-Za-z0-9], found another character at position "
                                + (i + 1));
            }
        }
        return token;
    }

    private static String validateReceiveId(String receiveId) throws WeComCryptoException {
        if (receiveId == null) {
            throw invalidConfig(WeComError.VALIDATE_CORPID_ERROR, "the receive id is missing (use \"\" for bots)");
        }
        for (int i = 0; i < receiveId.length(); i++) {
            char c = receiveId.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                throw invalidConfig(WeComError.VALIDATE_CORPID_ERROR,
                        "the receive id [" + printable(receiveId) + "] contains whitespace or a control character at position "
                                + (i + 1));
            }
        }
        if (!new String(receiveId.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(receiveId)) {
            // A lone surrogate: its UTF-8 would be '?', so the id compared as bytes and as text would disagree.
            throw invalidConfig(WeComError.VALIDATE_CORPID_ERROR,
                    "the receive id [" + printable(receiveId) + "] is not valid Unicode text (a lone surrogate)");
        }
        return receiveId;
    }

    private static WeComCryptoException invalidConfig(WeComError error, String message) {
        return new WeComCryptoException(error, Problem.INVALID_CONFIGURATION, message);
    }

    /** Makes untrusted text safe for one log line: printable ASCII only, at most 64 characters. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 64));
        for (int i = 0; i < text.length() && out.length() < 64; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return text.length() > 64 ? out + "..." : out.toString();
    }

    /** Collects the values of a {@link WeComCrypto}; {@link #build()} validates them all. */
    public static final class Builder {
        private final String token;
        private final String encodingAesKey;
        private final String receiveId;
        private String previousEncodingAesKey;
        private final java.util.List<String> moreReceiveIds = new java.util.ArrayList<>();
        private boolean anyReceiveId;
        private String urlCheckReceiveId;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random;
        private Duration timestampTolerance = DEFAULT_TIMESTAMP_TOLERANCE;

        private Builder(String token, String encodingAesKey, String receiveId) {
            this.token = token;
            this.encodingAesKey = encodingAesKey;
            this.receiveId = receiveId;
        }

        /** Accepts messages encrypted with this key too, during a key rotation; replies use the new key. */
        public Builder previousEncodingAesKey(String previousEncodingAesKey) {
            this.previousEncodingAesKey = previousEncodingAesKey;
            return this;
        }

        /**
         * Also accepts messages for these receive ids (a provider's data callbacks come for each authorizing corp);
         * replies go out for the receive id of the message they answer.
         */
        public Builder acceptReceiveIds(java.util.Collection<String> receiveIds) {
            moreReceiveIds.addAll(receiveIds);
            return this;
        }

        /**
         * Accepts messages for any receive id: for a provider's data URL, where each authorizing corp's messages
         * carry its own corp id. The application must check {@link DecryptedMessage#receiveId()} against the
         * corps that authorised it.
         */
        public Builder acceptAnyReceiveId() {
            anyReceiveId = true;
            return this;
        }

        /**
         * The receive id the URL check's echostr carries, if not the receive id: WeCom encrypts the URL checks of a
         * provider's command and data URLs for the provider's own corp id.
         */
        public Builder urlCheckReceiveId(String receiveId) {
            this.urlCheckReceiveId = receiveId;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder secureRandom(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Refuses callbacks whose timestamp is further than this from now, in either direction; default
         * {@link #DEFAULT_TIMESTAMP_TOLERANCE}. {@link Duration#ZERO} turns the check off (for replaying old
         * captured callbacks, such as the documentation's examples).
         *
         * @throws IllegalArgumentException if negative or not a whole number of seconds (timestamps are
         *     seconds: 500 ms would silently mean "off")
         */
        public Builder timestampTolerance(Duration tolerance) {
            if (tolerance.isNegative()) {
                throw new IllegalArgumentException("the timestamp tolerance must not be negative");
            }
            if (tolerance.getNano() != 0) {
                throw new IllegalArgumentException("the timestamp tolerance must be a whole number of seconds"
                        + " (WeCom's timestamps are seconds), got " + tolerance);
            }
            this.timestampTolerance = tolerance;
            return this;
        }

        /** Validates every value. */
        public WeComCrypto build() throws WeComCryptoException {
            return new WeComCrypto(this);
        }
    }
}
