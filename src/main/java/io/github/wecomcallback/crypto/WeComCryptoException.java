package io.github.wecomcallback.crypto;

import java.util.Objects;

/**
 * The one exception of the core: every failure to verify, decrypt or encrypt a callback. It carries the
 * official error code and a {@link Problem} that says more precisely what went wrong, so that callers can
 * diagnose without parsing messages. Messages never contain the token, the key or any plaintext.
 */
public final class WeComCryptoException extends Exception {
    private static final long serialVersionUID = 1L;

    private final WeComError error;
    private final Problem problem;
    private final String detail;

    public WeComCryptoException(WeComError error, Problem problem, String message) {
        this(error, problem, message, null);
    }

    public WeComCryptoException(WeComError error, Problem problem, String message, Throwable cause) {
        super(error + ": " + message, cause);
        this.error = Objects.requireNonNull(error, "error");
        this.problem = Objects.requireNonNull(problem, "problem");
        this.detail = message;
    }

    /** What failed, in words, without the code that {@link #getMessage()} puts in front. */
    public String detail() {
        return detail;
    }

    /** The official error code. */
    public WeComError error() {
        return error;
    }

    /** What exactly failed, finer than the official code. */
    public Problem problem() {
        return problem;
    }

    /** Finer reasons behind the official codes; each maps to one likely cause a user can fix. */
    public enum Problem {
        /** msg_signature, timestamp, nonce or the ciphertext is missing or empty. */
        MISSING_PARAMETER,
        /** The timestamp is not a number of seconds. */
        MALFORMED_TIMESTAMP,
        /** msg_signature or nonce has a length WeCom never sends. */
        MALFORMED_PARAMETER,
        /** The signature does not match token, timestamp, nonce and ciphertext. */
        SIGNATURE_MISMATCH,
        /** The timestamp lies outside the configured tolerance. */
        TIMESTAMP_OUT_OF_WINDOW,
        /** The ciphertext is not Base64. */
        MALFORMED_CIPHERTEXT,
        /** The ciphertext is Base64, but its length is not a non-zero multiple of 32 bytes. */
        CIPHERTEXT_LENGTH,
        /** The padding or the length field of the decrypted buffer is invalid: almost always a wrong key. */
        BAD_PADDING_OR_LENGTH,
        /** The decrypted receive id differs from the expected one. */
        RECEIVE_ID_MISMATCH,
        /**
         * The URL check's echostr decrypts to something WeCom never sends as echostr (XML, JSON, long text):
         * the ciphertext of a message or reply, replayed to make the URL check decrypt it.
         */
        NOT_AN_ECHOSTR,
        /** The envelope (XML or JSON) could not be parsed or has no ciphertext. */
        MALFORMED_ENVELOPE,
        /** A configuration value (token, key, receive id) is invalid. */
        INVALID_CONFIGURATION,
        /** The JDK failed to provide or run a primitive (SHA-1, AES). */
        PLATFORM_FAILURE
    }
}
