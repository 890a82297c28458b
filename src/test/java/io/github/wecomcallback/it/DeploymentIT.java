package io.github.wecomcallback.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * docs/DEPLOYING.md done for real by {@code src/test/deploy/check-deployment.sh}: a Tomcat 11 distribution
 * (extracted from the same tar.gz a user downloads) with a CATALINA_BASE made from tomcat-conf/ verbatim, the
 * built WAR, a test CA; HTTPS from a PFX and from PEM files, nginx and Apache httpd + mod_jk in front; the
 * simulator through each front. Every check prints a line; any FAIL fails this test with the whole report.
 */
class DeploymentIT {
    private static final Path WORK = Path.of("target/deploy-it");

    @Test
    void theDocumentedDeployment_worksWithRealServers() throws Exception {
        for (String tool : List.of("nginx", "apache2", "openssl", "curl")) {
            assumeTrue(onPath(tool), tool + " is not installed: .ci/run installs nginx, apache2, libapache2-mod-jk,"
                    + " openssl and curl; without them this test of the deployment skips");
        }
        assumeTrue(Files.exists(Path.of("/usr/lib/apache2/modules/mod_jk.so")),
                "mod_jk is not installed (Debian: libapache2-mod-jk); this test of the AJP front skips");
        String version = System.getProperty("tomcat.version");
        Path tarball = Path.of(System.getProperty("maven.repo.local"), "org/apache/tomcat/tomcat", version,
                "tomcat-" + version + ".tar.gz");
        assertTrue(Files.isRegularFile(tarball), "the Tomcat distribution Cargo resolved: " + tarball);
        run(List.of("rm", "-rf", WORK.toString()), Map.of());
        Files.createDirectories(WORK);
        run(List.of("tar", "xzf", tarball.toString(), "-C", WORK.toString()), Map.of());

        Path project = Path.of("").toAbsolutePath();
        Path report = WORK.resolve("report.log");
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        int exit = run(List.of("bash", "src/test/deploy/check-deployment.sh"), Map.of(
                "PROJECT", project.toString(),
                "WAR", project.resolve("target/wecom-callback.war").toString(),
                "TOOL", project.resolve("target/wecom-callback-tool.jar").toString(),
                "CATALINA_HOME", project.resolve(WORK).resolve("apache-tomcat-" + version).toString(),
                "WORK", project.resolve(WORK).resolve("run").toString(),
                "PORT_BASE", Integer.toString(freePortBlock(60))), lines);
        Files.write(report, lines, UTF_8);
        String all = String.join("\n", lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("PASS: Apache")), all);
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("FAIL")), all);
        assertEquals(0, exit, all);
        assertTrue(all.contains("ALL PASSED"), all);
    }

    private static boolean onPath(String command) throws Exception {
        return run(List.of("sh", "-c", "command -v " + command + " || test -x /usr/sbin/" + command), Map.of()) == 0;
    }

    private static int run(List<String> command, Map<String, String> env) throws Exception {
        return run(command, env, new ArrayList<>());
    }

    private static int run(List<String> command, Map<String, String> env, List<String> output) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        builder.environment().put("PATH", builder.environment().get("PATH") + ":/usr/sbin:/sbin");
        Process process = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    output.add(line);
                    System.out.println(line); // the failsafe report keeps the progress
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroy(); // SIGTERM: the script's trap stops the servers it started
            process.waitFor(30, TimeUnit.SECONDS);
            process.destroyForcibly();
            throw new AssertionError("still running after 10 minutes: " + command + "\n" + String.join("\n", output));
        }
        reader.join(10_000);
        return process.exitValue();
    }

    /** The first port of {@code size} consecutive free ones, chosen at random above the usual service ports. */
    private static int freePortBlock(int size) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (allFree(base, size)) {
                return base;
            }
        }
        throw new IOException("no block of " + size + " free ports found");
    }

    private static boolean allFree(int base, int size) {
        for (int port = base; port < base + size; port++) {
            try (ServerSocket socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
