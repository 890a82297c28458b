package io.github.wecomcallback.servlet;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.SetA;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

/** The filter with fakes and a config factory: fast, no container. */
class FilterUnitTest {
    private static final Map<String, String> SET_A = SetA.replayParams();

    private final AtomicInteger chainCalls = new AtomicInteger();
    private final AtomicReference<HttpServletRequest> seen = new AtomicReference<>();
    private final FilterChain chain = (request, response) -> {
        chainCalls.incrementAndGet();
        seen.set((HttpServletRequest) request);
    };

    private WeComCallbackFilter filter(Map<String, String> init, Map<String, String> context) throws ServletException {
        WeComCallbackFilter filter = new WeComCallbackFilter();
        filter.init(Fakes.filterConfig("unit", init, context));
        return filter;
    }

    @Test
    void getOfficialVector_answersThePlaintext_withoutTheChain() throws Exception {
        Fakes.Response response = new Fakes.Response();
        filter(SET_A, Map.of()).doFilter(Fakes.request("GET", "msg_signature=" + SetA.GET_MSG_SIGNATURE
                + "&timestamp=" + SetA.GET_TIMESTAMP + "&nonce=" + SetA.GET_NONCE + "&echostr="
                + SetA.GET_ECHOSTR_ON_THE_WIRE, new byte[0]), response.servlet, chain);
        assertEquals(200, response.status);
        assertEquals(SetA.GET_PLAINTEXT, response.body.toString(UTF_8));
        assertEquals("text/plain;charset=UTF-8", response.headers.get("Content-Type"));
        assertEquals("19", response.headers.get("Content-Length"));
        assertEquals(0, chainCalls.get());
    }

    @Test
    void postOfficialVector_handsThePlaintextToTheChain() throws Exception {
        Fakes.Response response = new Fakes.Response();
        filter(SET_A, Map.of()).doFilter(Fakes.request("POST", "msg_signature=" + SetA.POST_MSG_SIGNATURE
                + "&timestamp=" + SetA.POST_TIMESTAMP + "&nonce=" + SetA.POST_NONCE, SetA.POST_BODY.getBytes(UTF_8)),
                response.servlet, chain);
        assertEquals(1, chainCalls.get());
        HttpServletRequest request = seen.get();
        assertEquals(SetA.POST_PLAINTEXT, new String(request.getInputStream().readAllBytes(), UTF_8));
        assertEquals("text/xml;charset=UTF-8", request.getContentType());
        assertEquals(284, request.getContentLength());
        assertEquals("218", request.getAttribute(WeComCallbackFilter.ATTRIBUTE_AGENT_ID));
        assertEquals(200, response.status);
        assertEquals("0", response.headers.get("Content-Length"));
    }

    @Test
    void credentialsFromContextParams_areAccepted() throws Exception {
        Fakes.Response response = new Fakes.Response();
        filter(Map.of("corpId", SetA.CORP_ID, "timestampToleranceSeconds", "0"),
                Map.of("token", SetA.TOKEN, "encodingAesKey", SetA.ENCODING_AES_KEY))
                .doFilter(Fakes.request("GET", "msg_signature=" + SetA.GET_MSG_SIGNATURE + "&timestamp="
                        + SetA.GET_TIMESTAMP + "&nonce=" + SetA.GET_NONCE + "&echostr=" + SetA.GET_ECHOSTR_ON_THE_WIRE,
                        new byte[0]), response.servlet, chain);
        assertEquals(SetA.GET_PLAINTEXT, response.body.toString(UTF_8));
    }

    @Test
    void initParam_winsOverContextParam() throws Exception {
        WeComCallbackFilter filter = filter(SET_A, Map.of("corpId", "ww_context"));
        assertEquals(SetA.CORP_ID, filter.config().corpId());
    }

    @Test
    void init_withoutToken_fails() {
        ServletException e = assertThrows(ServletException.class,
                () -> filter(Map.of("encodingAesKey", SetA.ENCODING_AES_KEY, "corpId", SetA.CORP_ID), Map.of()));
        assertTrue(e.getMessage().contains("init-param token is required but missing"), e.getMessage());
    }

    @Test
    void forgedPost_isRefusedWithoutTheChain() throws Exception {
        Fakes.Response response = new Fakes.Response();
        filter(SET_A, Map.of()).doFilter(Fakes.request("POST", "msg_signature=" + "f".repeat(40)
                + "&timestamp=1&nonce=2", SetA.POST_BODY.getBytes(UTF_8)), response.servlet, chain);
        assertEquals(403, response.status);
        assertEquals("-40001", response.body.toString(UTF_8));
        assertEquals(0, chainCalls.get());
    }

    @Test
    void delete_isRefused405WithAllow() throws Exception {
        Fakes.Response response = new Fakes.Response();
        filter(SET_A, Map.of()).doFilter(Fakes.request("DELETE", null, new byte[0]), response.servlet, chain);
        assertEquals(405, response.status);
        assertEquals("GET, POST", response.headers.get("Allow"));
        assertEquals(0, chainCalls.get());
    }
}
