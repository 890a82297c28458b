package io.github.wecomcallback.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.wecomcallback.testing.SetA;

/**
 * The javax flavour of the jar (classifier {@code javax}) in a real Tomcat 9 (Servlet 4, javax.servlet), in a
 * JVM of its own: the same contract as the WAR. Proves the transformed bytecode links against javax.servlet.
 */
class JavaxTomcat9IT extends DemoWarContract {
    private static Process tomcat;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        Path target = Path.of("target");
        List<String> classpath = new ArrayList<>();
        classpath.add(target.resolve("wecom-callback-javax.jar").toString());
        try (Stream<Path> jars = Stream.concat(Files.list(target.resolve("tomcat9")),
                Files.list(target.resolve("wecom-callback/WEB-INF/lib")))) {
            jars.filter(p -> p.toString().endsWith(".jar")).forEach(p -> classpath.add(p.toString()));
        }
        // Only the launcher from the test classes: everything else comes from the javax jar and Tomcat 9.
        Path launcher = Files.createTempDirectory("launcher");
        Path launcherClass = Path.of("target/test-classes/io/github/wecomcallback/legacy/LegacyTomcatMain.class");
        Files.createDirectories(launcher.resolve("io/github/wecomcallback/legacy"));
        Files.copy(launcherClass, launcher.resolve("io/github/wecomcallback/legacy/LegacyTomcatMain.class"));
        classpath.add(launcher.toString());

        assertTrue(classpath.stream().noneMatch(p -> p.contains("jakarta.servlet")), classpath.toString());
        tomcat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                String.join(File.pathSeparator, classpath), "io.github.wecomcallback.legacy.LegacyTomcatMain",
                "token", SetA.TOKEN, "encodingAesKey", SetA.ENCODING_AES_KEY, "corpId", SetA.CORP_ID,
                "timestampToleranceSeconds", "0")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(tomcat.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder log = new StringBuilder();
        port = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    log.append(line).append('\n');
                    if (line.startsWith("PORT ")) {
                        Thread drain = new Thread(() -> {
                            try {
                                while (out.readLine() != null) {
                                    // keep the pipe empty
                                }
                            } catch (java.io.IOException ignored) {
                                // process ended
                            }
                        });
                        drain.setDaemon(true);
                        drain.start();
                        return Integer.parseInt(line.substring(5).trim());
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            throw new IllegalStateException("Tomcat 9 did not start:\n" + log);
        }).get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.destroy();
            tomcat.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    int port() {
        return port;
    }

    @Test
    void theJarIsJavax() throws Exception {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile("target/wecom-callback-javax.jar")) {
            byte[] filter = jar.getInputStream(jar.getEntry(
                    "io/github/wecomcallback/servlet/WeComCallbackFilter.class")).readAllBytes();
            String constants = new String(filter, StandardCharsets.ISO_8859_1);
            assertTrue(constants.contains("javax/servlet/Filter"));
            assertFalse(constants.contains("jakarta/servlet"));
        }
    }
}
