package io.github.wecomcallback.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server on a free loopback port, without persistence, for the tests of several nodes.
 * .ci/run installs redis-server; where it is missing the tests that need it say so and skip.
 */
public final class RedisServer implements AutoCloseable {
    private Process process;
    private final int port;
    private final String password;

    private RedisServer(Process process, int port, String password) {
        this.process = process;
        this.port = port;
        this.password = password;
    }

    public static RedisServer start() throws Exception {
        return start(null);
    }

    /** A server that requires this password ({@code requirepass}); {@link #url} then carries it. */
    public static RedisServer start(String password) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-server")) || onPath("redis-server"),
                "redis-server is not installed (apt-get install redis-server): skipping the Redis tests");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisServer server = new RedisServer(launch(port, password), port, password);
        server.awaitAnswer();
        return server;
    }

    private static Process launch(int port, String password) throws IOException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("redis-server", "--port",
                Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
        if (password != null) {
            command.addAll(java.util.List.of("--requirepass", password));
        }
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private void awaitAnswer() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answers()) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                close();
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            Thread.sleep(50);
        }
    }

    /** Kills the server hard (as a crash would); {@link #restart} brings it back, empty, on the same port. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    public void restart() throws Exception {
        process = launch(port, password);
        awaitAnswer();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port + "/0";
    }

    private boolean answers() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[1];
            // +PONG, or -NOAUTH from a server that wants its password: either way it answers.
            return in.readNBytes(reply, 0, 1) == 1 && (reply[0] == '+' || reply[0] == '-');
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
