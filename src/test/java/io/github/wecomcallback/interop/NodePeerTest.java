package io.github.wecomcallback.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.wecomcallback.demo.EchoServlet;
import io.github.wecomcallback.servlet.WeComCallbackFilter;
import io.github.wecomcallback.testing.EmbeddedTomcat;

/**
 * The official Node library, @wecom/crypto, plays WeCom against the filter and the demo servlet in Tomcat,
 * with random credentials: exact URL-check bytes one way, verified and decrypted replies the other.
 * Needs Node.js; installs the library from the npm registry on first run.
 */
class NodePeerTest {
    private static final Path PEER = Path.of("src/test/node");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @Test
    void officialNodeLibrary_asThePlatform_agreesByteForByte() throws Exception {
        // .ci/run installs Node.js and the library and fails if it cannot; elsewhere the test says why it skips.
        assumeTrue(commandWorks("node", "-e", "process.exit(typeof fetch === 'function' ? 0 : 1)"),
                "Node.js 18+ is not installed: this interop test needs it");
        if (!Files.isDirectory(PEER.resolve("node_modules/@wecom/crypto"))) {
            assumeTrue(commandWorks("npm", "--version"), "npm is not installed: cannot fetch @wecom/crypto");
            Path npmLog = Files.createTempFile("npm", ".log");
            int npm = run(List.of("npm", "ci", "--no-audit", "--no-fund"), 180, npmLog);
            assumeTrue(npm == 0, "npm install of @wecom/crypto failed (no registry access?): "
                    + Files.readString(npmLog, StandardCharsets.UTF_8));
        }
        SecureRandom random = new SecureRandom();
        String token = randomString(random, 1 + random.nextInt(32));
        String key = randomString(random, 43);
        String corpId = "ww" + randomString(random, 16).toLowerCase();
        try (EmbeddedTomcat tomcat = new EmbeddedTomcat()
                .filter("wecom", new WeComCallbackFilter(), Map.of("token", token, "encodingAesKey", key,
                        "corpId", corpId), "/callback")
                .servlet("demo", new EchoServlet(), "/callback")
                .start()) {
            Path output = Files.createTempFile("node-peer", ".log");
            int exit = run(List.of("node", "peer.mjs", "http://127.0.0.1:" + tomcat.port() + "/callback", token, key,
                    corpId, "300"), 300, output);
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, exit, log);
            assertTrue(log.contains("320 passed, 0 failed"), log);
        }
    }

    @Test
    void officialNodeLibrary_asThePlatformOfAProvidersDataUrl() throws Exception {
        assumeTrue(Files.isDirectory(PEER.resolve("node_modules/@wecom/crypto")),
                "@wecom/crypto is not installed (cd src/test/node && npm ci)");
        SecureRandom random = new SecureRandom();
        String token = randomString(random, 16);
        String key = randomString(random, 43);
        String provider = "ww" + randomString(random, 16).toLowerCase();
        String authorizingCorp = "ww" + randomString(random, 16).toLowerCase();
        try (EmbeddedTomcat tomcat = new EmbeddedTomcat()
                .filter("data", new WeComCallbackFilter(), Map.of("token", token, "encodingAesKey", key,
                        "corpId", provider, "receiveId", "*"), "/data")
                .servlet("demo", new EchoServlet(), "/data")
                .start()) {
            Path output = Files.createTempFile("node-peer", ".log");
            // Messages encrypted for the authorizing corp; the URL check for the provider's own corp id.
            int exit = run(List.of("node", "peer.mjs", "http://127.0.0.1:" + tomcat.port() + "/data", token, key,
                    authorizingCorp, "100", provider), 300, output);
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertEquals(0, exit, log);
            assertTrue(log.contains("120 passed, 0 failed"), log);
        }
    }

    private static String randomString(SecureRandom random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static int run(List<String> command, int seconds, Path output) throws Exception {
        Process p = new ProcessBuilder(command).directory(PEER.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + seconds + " s");
        }
        return p.exitValue();
    }
}
