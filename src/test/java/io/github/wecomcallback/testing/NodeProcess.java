package io.github.wecomcallback.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link NodeMain} in a JVM of its own, killed hard or stopped when the test is done. */
public final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final StringBuffer log = new StringBuffer();

    private NodeProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static NodeProcess start(String name, String counterRedisUrl, String... initParams) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), NodeMain.class.getName(), name,
                counterRedisUrl));
        command.addAll(List.of(initParams));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuffer early = new StringBuffer();
        int port;
        try {
            port = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        early.append(line).append('\n');
                        if (line.startsWith("PORT ")) {
                            return Integer.parseInt(line.substring(5).trim());
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                throw new IllegalStateException("node " + name + " ended before it was ready:\n" + early);
            }).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("node " + name + " did not start:\n" + early, e);
        }
        NodeProcess node = new NodeProcess(process, port);
        node.log.append(early);
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    node.log.append(line).append('\n');
                }
            } catch (java.io.IOException ignored) {
                // the node was killed
            }
        });
        drain.setDaemon(true);
        drain.start();
        return node;
    }

    public int port() {
        return port;
    }

    /** Everything the node printed (its log lines included). */
    public String log() {
        return log.toString();
    }

    /** As a power cut or {@code kill -9} would: no shutdown hook, no lease released. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
