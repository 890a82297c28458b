package io.github.wecomcallback.servlet;

import io.github.wecomcallback.crypto.WeComCryptoException.Problem;
import io.github.wecomcallback.crypto.WeComError;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every way the filter refuses a request: the HTTP status, the official code (the same in the body and in the
 * log line), and the most likely cause with its fix, in words for someone configuring WeCom for the first time.
 */
enum Refusal {
    NOT_FROM_WECOM(HttpServletResponse.SC_BAD_REQUEST, WeComError.VALIDATE_SIGNATURE_ERROR,
            "this request did not come from WeCom: msg_signature, timestamp, nonce"
                    + " (and echostr for the URL check) are missing. A browser, a health check or a scanner"
                    + " reached the callback URL; WeCom always sends all of them."),
    MALFORMED_QUERY(HttpServletResponse.SC_BAD_REQUEST, WeComError.VALIDATE_SIGNATURE_ERROR,
            "the query string is not what WeCom sends (not validly URL-encoded, a parameter given twice, a"
                    + " timestamp that is not a number of seconds, a signature that is not 40 hex digits); this"
                    + " request did not come from WeCom unchanged."),
    TIMESTAMP_OUT_OF_WINDOW(HttpServletResponse.SC_FORBIDDEN, WeComError.VALIDATE_SIGNATURE_ERROR,
            "the timestamp is outside timestampToleranceSeconds (checked before the signature). If this is a"
                    + " real WeCom callback, this server's clock is wrong: synchronise it with NTP (timedatectl"
                    + " set-ntp true, or w32tm /resync on Windows). Otherwise it is an old callback replayed."),
    SIGNATURE_MISMATCH(HttpServletResponse.SC_FORBIDDEN, WeComError.VALIDATE_SIGNATURE_ERROR,
            "the signature does not match. Most likely the token differs from the Token in the WeCom console"
                    + " (set init-param token to exactly that value), or the URL was decoded twice on its way"
                    + " here, or the request did not come from WeCom."),
    MALFORMED_CIPHERTEXT(HttpServletResponse.SC_BAD_REQUEST, WeComError.DECODE_BASE64_ERROR,
            "the ciphertext is not Base64, though it is correctly signed: something between WeCom and this"
                    + " server changed it, or it was never WeCom's."),
    CIPHERTEXT_LENGTH(HttpServletResponse.SC_BAD_REQUEST, WeComError.DECRYPT_AES_ERROR,
            "the ciphertext is not a whole number of 32-byte blocks, though it is correctly signed: it was cut"
                    + " short on its way here, or it was never WeCom's."),
    WRONG_KEY(HttpServletResponse.SC_BAD_REQUEST, WeComError.ILLEGAL_BUFFER,
            "the signature is valid (the token is right) but the message does not decrypt: the EncodingAESKey"
                    + " differs from the one in the WeCom console. Copy it again into init-param encodingAesKey"
                    + " (during a key change, put the old one in previousEncodingAesKey)."),
    RECEIVE_ID_MISMATCH(HttpServletResponse.SC_FORBIDDEN, WeComError.VALIDATE_CORPID_ERROR,
            "the message decrypts but is addressed to another receive id. For a self-built application set"
                    + " init-param corpId to the corp id; for a third-party suite set receiveId to the suite id;"
                    + " for a bot set receiveId to the empty string."),
    NOT_AN_ECHOSTR(HttpServletResponse.SC_FORBIDDEN, WeComError.ILLEGAL_BUFFER,
            "a URL check whose echostr decrypts to a message or a reply rather than a random string: someone"
                    + " replayed a captured callback as a URL check to have it decrypted. Nothing was revealed."),
    REFLECTED_REPLY(HttpServletResponse.SC_FORBIDDEN, WeComError.ILLEGAL_BUFFER,
            "a POST whose message is one of this filter's own encrypted replies, posted back: WeCom signs replies"
                    + " and callbacks alike, so someone replayed a captured reply as a callback. The application did"
                    + " not run."),
    NOT_A_MESSAGE(HttpServletResponse.SC_FORBIDDEN, WeComError.ILLEGAL_BUFFER,
            "a POST whose message decrypts to neither XML nor JSON (an echostr, replayed as a callback): the"
                    + " application did not run."),
    MALFORMED_ENVELOPE(HttpServletResponse.SC_BAD_REQUEST, WeComError.PARSE_XML_ERROR,
            "the POST body is not a WeCom envelope (<xml><Encrypt>...</Encrypt></xml> or {\"encrypt\":\"...\"});"
                    + " this request did not come from WeCom, or a proxy rewrote its body."),
    BODY_TOO_LARGE(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, WeComError.PARSE_XML_ERROR,
            "the POST body is larger than maxBodyBytes; WeCom callbacks are a few KiB. If a real callback is"
                    + " refused, raise init-param maxBodyBytes."),
    BODY_UNREADABLE(HttpServletResponse.SC_BAD_REQUEST, WeComError.PARSE_XML_ERROR,
            "the POST body could not be read in time: the client sent less than it announced, stalled, or"
                    + " closed the connection. WeCom sends its few KiB at once; a slow or broken client did not."),
    METHOD_NOT_ALLOWED(HttpServletResponse.SC_METHOD_NOT_ALLOWED, WeComError.PARSE_XML_ERROR,
            "WeCom calls back only with GET (URL check) and POST (messages and events)."),
    PLATFORM_FAILURE(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, WeComError.COMPUTE_SIGNATURE_ERROR,
            "this JDK failed to provide SHA-1 or AES/CBC/NoPadding; check the JDK installation.");

    final int status;
    final WeComError error;
    final String diagnosis;

    Refusal(int status, WeComError error, String diagnosis) {
        this.status = status;
        this.error = error;
        this.diagnosis = diagnosis;
    }

    static Refusal of(Problem problem) {
        return switch (problem) {
            case MISSING_PARAMETER -> NOT_FROM_WECOM;
            case MALFORMED_TIMESTAMP, MALFORMED_PARAMETER -> MALFORMED_QUERY;
            case SIGNATURE_MISMATCH -> SIGNATURE_MISMATCH;
            case TIMESTAMP_OUT_OF_WINDOW -> TIMESTAMP_OUT_OF_WINDOW;
            case MALFORMED_CIPHERTEXT -> MALFORMED_CIPHERTEXT;
            case CIPHERTEXT_LENGTH -> CIPHERTEXT_LENGTH;
            case BAD_PADDING_OR_LENGTH -> WRONG_KEY;
            case RECEIVE_ID_MISMATCH -> RECEIVE_ID_MISMATCH;
            case NOT_AN_ECHOSTR -> NOT_AN_ECHOSTR;
            case MALFORMED_ENVELOPE -> MALFORMED_ENVELOPE;
            case INVALID_CONFIGURATION, PLATFORM_FAILURE -> PLATFORM_FAILURE;
        };
    }
}
