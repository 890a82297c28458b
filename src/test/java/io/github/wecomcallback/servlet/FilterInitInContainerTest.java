package io.github.wecomcallback.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.EmbeddedTomcat;
import io.github.wecomcallback.testing.LogCapture;
import io.github.wecomcallback.testing.RawHttp;
import io.github.wecomcallback.testing.SetA;

/** A filter with a bad init-param never starts half-configured: the application is not served at all. */
class FilterInitInContainerTest {
    @Test
    void badKey_stopsTheContext_andTheContainerLogNamesTheParameter() throws Exception {
        LogCapture log = new LogCapture("").start(); // the container logs the failed start-up
        List<String> logged = log.thrownMessages();
        String badKey = SetA.ENCODING_AES_KEY.substring(0, 42);
        try (EmbeddedTomcat tomcat = new EmbeddedTomcat()
                .filter("wecom", new WeComCallbackFilter(), Map.of("token", SetA.TOKEN, "encodingAesKey", badKey,
                        "corpId", SetA.CORP_ID), "/callback")
                .servlet("app", new RecordingServlet(), "/callback")) {
            tomcat.start();
            assertFalse(tomcat.contextAvailable());
            RawHttp.Response r = RawHttp.get(tomcat.port(), "/callback");
            assertNotEquals(200, r.status());
        } finally {
            log.close();
        }
        assertTrue(logged.stream().anyMatch(m -> m.contains(
                "init-param encodingAesKey is invalid: the EncodingAESKey must be 43 characters, got 42")), logged.toString());
        assertTrue(logged.stream().noneMatch(m -> m.contains(badKey)), "the key must not be logged");
        assertEquals(0, logged.stream().filter(m -> m.contains(SetA.TOKEN)).count());
    }
}
