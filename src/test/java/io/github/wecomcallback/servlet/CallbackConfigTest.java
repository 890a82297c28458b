package io.github.wecomcallback.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.SetA;
import jakarta.servlet.ServletException;

/** Every init failure in its own test: the message names the parameter and the problem, never the secret. */
class CallbackConfigTest {
    private final Map<String, String> params = new HashMap<>(Map.of(
            WeComCallbackFilter.PARAM_TOKEN, SetA.TOKEN,
            WeComCallbackFilter.PARAM_ENCODING_AES_KEY, SetA.ENCODING_AES_KEY,
            WeComCallbackFilter.PARAM_CORP_ID, SetA.CORP_ID));
    private final Map<String, String> variables = new HashMap<>();

    private CallbackConfig parse() throws ServletException {
        return CallbackConfig.parse(params::get, variables::get, Clock.systemUTC());
    }

    private String failure() {
        ServletException e = assertThrows(ServletException.class, this::parse);
        assertFalse(e.getMessage().contains(SetA.ENCODING_AES_KEY), "never the key");
        assertFalse(e.getMessage().contains("QDG6eK"), "never the token");
        return e.getMessage();
    }

    @Test
    void valid_defaults() throws Exception {
        CallbackConfig config = parse();
        assertEquals(SetA.CORP_ID, config.crypto().receiveId());
        assertEquals(CallbackConfig.DEFAULT_MAX_BODY_BYTES, config.maxBodyBytes());
        assertEquals(300, config.crypto().timestampToleranceSeconds());
        assertTrue(config.summary().contains("duplicateWindowSeconds=900"), config.summary());
        assertFalse(config.summary().contains(SetA.ENCODING_AES_KEY));
        assertFalse(config.summary().contains(SetA.TOKEN));
    }

    @Test
    void missingToken_namesTheParameter() {
        params.remove("token");
        assertTrue(failure().contains("init-param token is required but missing"));
    }

    @Test
    void emptyCorpId_namesTheParameter() {
        params.put("corpId", "   ");
        assertTrue(failure().contains("init-param corpId is required but empty"));
    }

    @Test
    void missingEncodingAesKey_namesTheParameter() {
        params.remove("encodingAesKey");
        assertTrue(failure().contains("init-param encodingAesKey is required but missing"));
    }

    @Test
    void shortKey_saysTheLengthItGot() {
        params.put("encodingAesKey", SetA.ENCODING_AES_KEY.substring(0, 42));
        String message = failure();
        assertTrue(message.contains("encodingAesKey"), message);
        assertTrue(message.contains("must be 43 characters, got 42"), message);
    }

    @Test
    void keyWithIllegalCharacter_isRefused() {
        params.put("encodingAesKey", SetA.ENCODING_AES_KEY.substring(0, 42) + "=");
        assertTrue(failure().contains("only letters and digits"));
    }

    @Test
    void tokenWithIllegalCharacter_isRefused() {
        params.put("token", "my-token");
        String message = failure();
        assertTrue(message.contains("init-param token is invalid"), message);
        assertFalse(message.contains("my-token"));
    }

    @Test
    void badPreviousKey_namesIt() {
        params.put("previousEncodingAesKey", "short");
        assertTrue(failure().contains("previousEncodingAesKey"));
    }

    @Test
    void nonNumericTolerance_isRefused() {
        params.put("timestampToleranceSeconds", "5m");
        assertTrue(failure().contains("init-param timestampToleranceSeconds is invalid: expected a whole number, got [5m]"));
    }

    @Test
    void negativeTolerance_isRefused() {
        params.put("timestampToleranceSeconds", "-1");
        assertTrue(failure().contains("timestampToleranceSeconds"));
    }

    @Test
    void zeroMaxBodyBytes_isRefused() {
        params.put("maxBodyBytes", "0");
        assertTrue(failure().contains("init-param maxBodyBytes is invalid: expected a number from 1"));
    }

    @Test
    void receiveIdWithWhitespaceInside_isRefused() {
        params.put("receiveId", "ww1 ww2");
        assertTrue(failure().contains("init-param receiveId is invalid"));
    }

    @Test
    void emptyReceiveId_meansBots() throws Exception {
        params.put("receiveId", "");
        assertEquals("", parse().crypto().receiveId());
    }

    @Test
    void indentedValues_areTrimmed() throws Exception {
        params.put("token", "\n      " + SetA.TOKEN + "\n    ");
        params.put("corpId", " " + SetA.CORP_ID + "\t");
        assertEquals(SetA.CORP_ID, parse().corpId());
    }

    @Test
    void variable_isReadFromTheEnvironment() throws Exception {
        params.put("token", "${WECOM_TOKEN}");
        variables.put("WECOM_TOKEN", SetA.TOKEN);
        assertEquals(SetA.GET_MSG_SIGNATURE,
                parse().crypto().sign(SetA.GET_TIMESTAMP, SetA.GET_NONCE, SetA.GET_ECHOSTR));
    }

    @Test
    void unsetVariable_namesTheVariable() {
        params.put("encodingAesKey", "${WECOM_KEY}");
        assertTrue(failure().contains("init-param encodingAesKey is invalid: it refers to ${WECOM_KEY}, but neither"));
    }

    @Test
    void malformedRedisUrl_namesTheParameter_notThePassword() {
        params.put("redisUrl", "http://:hunter2@cache:6379");
        String message = failure();
        assertTrue(message.contains("init-param redisUrl is invalid: expected redis://"), message);
        assertFalse(message.contains("hunter2"));
    }

    @Test
    void durationZero_turnsDuplicateDetectionOff() throws Exception {
        params.put("duplicateWindowSeconds", "0");
        assertEquals(null, parse().newDeliveryGuard());
        assertTrue(parse().summary().contains("duplicateWindowSeconds=0 (off)"));
    }

    @Test
    void duplicateWindowShorterThanTheReplayWindow_isRefused() {
        params.put("timestampToleranceSeconds", "300");
        params.put("duplicateWindowSeconds", "300");
        String message = failure();
        assertTrue(message.contains("init-param duplicateWindowSeconds is invalid: it is 300 s, shorter than the replay"
                + " window"), message);
        assertTrue(message.contains("= 601 s"), message);
    }

    @Test
    void duplicateWindowCoveringTheReplayWindow_isAccepted_andTheDefaultGrowsWithTheTolerance() throws Exception {
        params.put("timestampToleranceSeconds", "300");
        params.put("duplicateWindowSeconds", "601");
        assertTrue(parse().summary().contains("duplicateWindowSeconds=601"));
        params.remove("duplicateWindowSeconds");
        params.put("timestampToleranceSeconds", "1800");
        assertTrue(parse().summary().contains("duplicateWindowSeconds=3601"), parse().summary());
    }

    @Test
    void retryWaitBeyondWeComsTimeout_isRefused() {
        params.put("retryWaitMillis", "5000");
        assertTrue(failure().contains("init-param retryWaitMillis is invalid: expected a number from 0 to 4500"));
    }

    @Test
    void unsetVariableWithDefault_takesTheDefault() throws Exception {
        params.put("corpId", "${WECOM_CORP_ID:" + SetA.CORP_ID + "}");
        assertEquals(SetA.CORP_ID, parse().corpId());
        variables.put("WECOM_CORP_ID", "ww_from_env");
        assertEquals("ww_from_env", parse().corpId());
    }
}
