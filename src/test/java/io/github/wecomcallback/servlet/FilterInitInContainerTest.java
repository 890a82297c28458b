package io.github.wecomcallback.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.EmbeddedTomcat;
import io.github.wecomcallback.testing.RawHttp;
import io.github.wecomcallback.testing.SetA;

/** A filter with a bad init-param never starts half-configured: the application is not served at all. */
class FilterInitInContainerTest {
    @Test
    void badKey_stopsTheContext_andTheContainerLogNamesTheParameter() throws Exception {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                    logged.add(String.valueOf(t.getMessage()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
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
            root.removeHandler(capture);
        }
        assertTrue(logged.stream().anyMatch(m -> m.contains(
                "init-param encodingAesKey is invalid: the EncodingAESKey must be 43 characters, got 42")), logged.toString());
        assertTrue(logged.stream().noneMatch(m -> m.contains(badKey)), "the key must not be logged");
        assertEquals(0, logged.stream().filter(m -> m.contains(SetA.TOKEN)).count());
    }
}
