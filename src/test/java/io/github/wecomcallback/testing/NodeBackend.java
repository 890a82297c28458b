package io.github.wecomcallback.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's backend in another language: {@code src/test/node/backend.mjs}, which verifies every forwarded
 * request with the npm {@code standardwebhooks} library and prints one JSON line per request (kept here).
 */
public final class NodeBackend implements AutoCloseable {
    private static final Path NODE = Path.of("src/test/node");

    private final Process process;
    private final int port;
    private final List<String> received = new CopyOnWriteArrayList<>();

    /** Starts the backend on {@code port} (0: any free port); skips the calling test when npm's packages are absent. */
    public NodeBackend(String secret, int port) throws Exception {
        assumeTrue(Files.isDirectory(NODE.resolve("node_modules/standardwebhooks")),
                "the npm package standardwebhooks is not installed (cd src/test/node && npm ci): .ci/run"
                        + " installs it; without it this test of the gateway against an independent verifier skips");
        process = new ProcessBuilder("node", "backend.mjs", secret, Integer.toString(port)).directory(NODE.toFile())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
        try {
            this.port = awaitPort(out);
        } catch (Exception e) {
            process.destroyForcibly(); // a backend that did not start must not outlive the test
            throw e;
        }
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    received.add(line);
                }
            } catch (IOException ignored) {
                // the backend stopped
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private static int awaitPort(BufferedReader out) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                String line = out.readLine();
                if (line == null || !line.startsWith("PORT ")) {
                    throw new IllegalStateException("the backend did not start: " + line);
                }
                return Integer.parseInt(line.substring(5).trim());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).get(30, TimeUnit.SECONDS);
    }

    public int port() {
        return port;
    }

    /** The backend's JSON lines, one per request it received, in order. */
    public List<String> received() {
        return received;
    }

    /** Waits up to 2 s for exactly {@code count} requests to have been received. */
    public void awaitReceived(int count) throws InterruptedException {
        for (int i = 0; i < 200 && received.size() < count; i++) {
            Thread.sleep(10);
        }
        assertEquals(count, received.size(), received.toString());
    }

    /** A member of one of the backend's JSON lines: a string (unescaped) or a bare value. */
    public static String field(String json, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("\"" + name + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[a-z0-9]+)").matcher(json);
        if (!m.find()) {
            throw new AssertionError(name + " in " + json);
        }
        return m.group(2) != null ? m.group(2).replace("\\n", "\n").replace("\\\"", "\"") : m.group(1);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
