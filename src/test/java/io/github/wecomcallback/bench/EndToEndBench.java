package io.github.wecomcallback.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.management.OperatingSystemMXBean;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

import io.github.wecomcallback.crypto.EncryptedReply;
import io.github.wecomcallback.crypto.WeComCrypto;
import io.github.wecomcallback.servlet.WeComCallbackFilter;
import jakarta.servlet.Filter;

/**
 * End to end, side by side, in one run: one Tomcat 11 with three applications — the same trivial servlet bare
 * ({@code /bare}), behind our filter ({@code /ours}) and behind a WxJava-based filter ({@code /wxjava}) — each
 * driven by wrk with distinct, freshly signed callbacks generated for the run (never repeated, so no retry
 * shortcut flatters a figure), in interleaved rounds, best of rounds. Scenarios: message callbacks answered
 * empty, message callbacks answered with a reply (encrypted by the filters), URL checks.
 *
 * <p>Run with {@code bench/e2e.sh [seconds per run] [rounds] [connections]}; {@code bench/tomcat.sh} runs it against
 * a Tomcat distribution with three WARs instead ({@code -Dbench.server}, {@code -Dbench.serverPid}).
 */
public final class EndToEndBench {
    private static final String TOKEN = "BenchToken2026";
    private static final String KEY = "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa9876543";
    static final String CORP = "ww1122334455667788"; // a constant: BenchApp, alone in a WAR, gets it inlined
    private static final String[] TARGETS = {"bare", "ours", "wxjava"};
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** Linux's USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on every mainstream kernel build. */
    private static final long CLOCK_TICKS_PER_SECOND = Long.getLong("bench.clockTicks", 100);
    private static final AtomicLong MSG_ID = new AtomicLong(System.currentTimeMillis() * 1000);

    private EndToEndBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        // The warm-up of each target, not counted: long enough for C2 to compile the filter's path. With the server on
        // one core (BENCH_PIN) the compiler thread competes with the busy request threads, and the filter, with more
        // code than the bare servlet, was still partly in C1 code 20 s after its first request.
        int warmupSeconds = Integer.getInteger("bench.warmupSeconds", Math.max(20, seconds));
        // Distinct callbacks per second of a run: more than the fastest target sends (bare, on one core, up to 52,500/s)
        int perSecond = Integer.getInteger("bench.requestsPerSecond", 70_000);
        int perFile = seconds * perSecond;
        int perWarmupFile = warmupSeconds * perSecond;
        Path work = Files.createDirectories(Path.of("target/e2e"));
        Path script = Path.of("bench/replay.lua").toAbsolutePath();

        // -Dbench.server=http://host:port -Dbench.serverPid=PID: a server already running (bench/tomcat.sh starts a
        // Tomcat distribution with three WARs); otherwise one embedded Tomcat with the three applications.
        String server = System.getProperty("bench.server");
        Tomcat tomcat = null;
        String base;
        LongSupplier serverCpuNanos;
        if (server == null) {
            tomcat = new Tomcat();
            tomcat.setBaseDir(Files.createTempDirectory("wecom-bench").toString());
            tomcat.setPort(0);
            tomcat.getConnector().setProperty("address", "127.0.0.1");
            tomcat.getConnector().setProperty("maxKeepAliveRequests", "-1");
            context(tomcat, "/bare", null);
            context(tomcat, "/ours", new WeComCallbackFilter());
            context(tomcat, "/wxjava", new WxJavaFilter(TOKEN, KEY, CORP));
            tomcat.start();
            base = "http://127.0.0.1:" + tomcat.getConnector().getLocalPort();
            serverCpuNanos = PROCESS::getProcessCpuTime;
            System.out.printf("Embedded Tomcat 11 at %s", base);
        } else {
            base = server;
            String serverPid = System.getProperty("bench.serverPid");
            if (serverPid == null) {
                throw new IllegalArgumentException("-Dbench.server needs -Dbench.serverPid (the server's process id,"
                        + " for its CPU time)");
            }
            long pid = Long.parseLong(serverPid);
            serverCpuNanos = () -> processCpuNanos(pid);
            System.out.printf("The server at %s (pid %d)", base, pid);
        }
        List<String> scenarios = List.of(System.getProperty("bench.scenarios", "empty,reply,urlcheck").split(","));
        WeComCrypto platform = WeComCrypto.builder(TOKEN, KEY, CORP).build();
        System.out.printf("; %d s per run, %d rounds, %d connections, %d distinct requests per file; Java %s, %d"
                + " cores%n", seconds, rounds, connections, perFile, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        for (String scenario : scenarios) {
            for (String target : TARGETS) {
                System.out.printf("  %-8s %-7s %s%s%n", scenario, target, base, path(target, scenario));
            }
        }

        String profile = System.getProperty("bench.profile"); // e.g. "ours/empty": only that, for a profiler
        if (profile != null) {
            String scenario = profile.substring(profile.indexOf('/') + 1);
            String url = base + path(profile.substring(0, profile.indexOf('/')), scenario);
            Result r = null;
            for (String run : new String[] {"warmup", "measured"}) { // a file each: no callback sent twice
                Path file = work.resolve("profile-" + run + ".txt");
                generate(platform, scenario, "warmup".equals(run) ? perWarmupFile : perFile, file);
                r = wrk(url, file, script, "warmup".equals(run) ? warmupSeconds : seconds, connections, serverCpuNanos);
            }
            System.out.printf("%s: %.0f req/s  p50 %.2f ms  p99 %.2f ms  CPU %.1f µs/request  server busy %.2f cores%s%n",
                    profile, r.rps, r.p50, r.p99, r.cpuMicros, r.serverCores,
                    r.wrapped ? "  (requests repeated: raise bench.requestsPerSecond)" : "");
            stop(tomcat);
            return;
        }
        // Warm-up, not counted: every target and scenario once, so that the JIT has compiled all three.
        System.out.printf("Warm-up: %d s for each target and scenario%n", warmupSeconds);
        for (String scenario : scenarios) {
            Path file = work.resolve(scenario + "-warmup.txt");
            generate(platform, scenario, perWarmupFile, file);
            for (String target : TARGETS) {
                wrk(base + path(target, scenario), file, script, warmupSeconds, connections, serverCpuNanos);
            }
        }
        Map<String, Map<String, Result>> best = new LinkedHashMap<>();
        Map<String, Map<String, Double>> leastCpu = new LinkedHashMap<>();
        for (String scenario : scenarios) {
            Map<String, Result> byTarget = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                Path file = work.resolve(scenario + "-" + round + ".txt");
                generate(platform, scenario, perFile, file);
                for (String target : TARGETS) {
                    Result r = wrk(base + path(target, scenario), file, script, seconds, connections, serverCpuNanos);
                    System.out.printf("  %-8s round %d %-7s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  CPU %6.1f µs/request"
                            + "  server busy %4.2f cores%s%n", scenario, round, target, r.rps, r.p50, r.p99, r.cpuMicros,
                            r.serverCores,
                            r.wrapped ? "  (requests repeated: raise bench.requestsPerSecond)" : "");
                    byTarget.merge(target, r, (a, b) -> a.rps >= b.rps ? a : b);
                    leastCpu.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).merge(target, r.cpuMicros, Math::min);
                }
            }
            best.put(scenario, byTarget);
        }
        System.out.println();
        System.out.println("Best of rounds; server CPU per request: the least of rounds (the server's process only, not wrk).");
        System.out.println("| scenario | bare req/s | ours req/s | WxJava req/s | ours/bare | ours/WxJava | p99 bare | p99 ours"
                + " | p99 WxJava | CPU µs/req bare | ours | WxJava |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        best.forEach((scenario, r) -> {
            Map<String, Double> cpu = leastCpu.get(scenario);
            System.out.printf("| %s | %.0f | %.0f | %.0f | %.2f | %.1f | %.2f ms | %.2f ms | %.2f ms | %.1f | %.1f | %.1f |%n",
                    scenario, r.get("bare").rps, r.get("ours").rps, r.get("wxjava").rps,
                    r.get("ours").rps / r.get("bare").rps, r.get("ours").rps / r.get("wxjava").rps,
                    r.get("bare").p99, r.get("ours").p99, r.get("wxjava").p99,
                    cpu.get("bare"), cpu.get("ours"), cpu.get("wxjava"));
        });
        stop(tomcat);
    }

    /**
     * The path of a target for a scenario: {@code -Dbench.path.TARGET.SCENARIO} or {@code -Dbench.path.TARGET} when
     * given (the stock WAR answers on {@code /callback}), else that of the embedded applications.
     */
    private static String path(String target, String scenario) {
        String path = System.getProperty("bench.path." + target + "." + scenario,
                System.getProperty("bench.path." + target));
        return path != null ? path : "/" + target + ("urlcheck".equals(scenario) ? "/empty" : "/" + scenario);
    }

    private static void stop(Tomcat tomcat) throws Exception {
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    /** User and system CPU time of another process, from /proc (Linux), in nanoseconds. */
    private static long processCpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid + ": " + e.getMessage(), e);
        }
    }

    private static void context(Tomcat tomcat, String path, Filter filter) {
        Context context = tomcat.addContext(path, null);
        if (filter != null) {
            FilterDef def = new FilterDef();
            def.setFilterName("wecom");
            def.setFilter(filter);
            def.setFilterClass(filter.getClass().getName());
            def.addInitParameter("token", TOKEN);
            def.addInitParameter("encodingAesKey", KEY);
            def.addInitParameter("corpId", CORP);
            // -Dbench.init.NAME=VALUE: more init-params, e.g. -Dbench.init.duplicateWindowSeconds=0
            System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("bench.init."))
                    .forEach(name -> def.addInitParameter(name.substring("bench.init.".length()),
                            System.getProperty(name)));
            context.addFilterDef(def);
            FilterMap map = new FilterMap();
            map.setFilterName("wecom");
            map.addURLPattern("/*");
            context.addFilterMap(map);
        }
        Tomcat.addServlet(context, "empty", new BenchApp(false));
        context.addServletMappingDecoded("/empty", "empty");
        Tomcat.addServlet(context, "reply", new BenchApp(true));
        context.addServletMappingDecoded("/reply", "reply");
    }

    /** One request per line: {@code METHOD query body}, all distinct. */
    private static void generate(WeComCrypto platform, String scenario, int count, Path file) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < count; i++) {
                if ("urlcheck".equals(scenario)) {
                    EncryptedReply echo = platform.encrypt(Long.toString(MSG_ID.incrementAndGet()).getBytes(StandardCharsets.US_ASCII));
                    out.write("GET msg_signature=" + echo.msgSignature() + "&timestamp=" + echo.timeStamp() + "&nonce="
                            + echo.nonce() + "&echostr=" + URLEncoder.encode(echo.encrypt(), StandardCharsets.UTF_8) + " -\n");
                } else {
                    String message = "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><FromUserName><![CDATA[zhangsan]]>"
                            + "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                            + "<Content><![CDATA[hello from the benchmark]]></Content><MsgId>" + MSG_ID.incrementAndGet()
                            + "</MsgId><AgentID>1000002</AgentID></xml>";
                    EncryptedReply c = platform.encrypt(message.getBytes(StandardCharsets.UTF_8));
                    out.write("POST msg_signature=" + c.msgSignature() + "&timestamp=" + c.timeStamp() + "&nonce="
                            + c.nonce() + " <xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><Encrypt><![CDATA["
                            + c.encrypt() + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>\n");
                }
            }
        }
    }

    /**
     * One wrk run. {@code cpuMicros}: CPU time of the server's process (embedded: this JVM, whose own thread waits
     * for wrk meanwhile; Tomcat, its GC and JIT included) per request, in microseconds: steadier than throughput on a machine that wrk shares.
     * {@code serverCores}: that CPU time over the run's wall time; with the server pinned to one core
     * ({@code BENCH_PIN}), below about 0.95 means the server waited for wrk, and the run measured wrk, not the server.
     */
    record Result(double rps, double p50, double p99, double cpuMicros, double serverCores, boolean wrapped) {
    }

    private static Result wrk(String url, Path file, Path script, int seconds, int connections,
            LongSupplier serverCpuNanos) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        String wrkCpus = System.getProperty("bench.wrkCpus"); // e.g. "0": wrk on its own core, see bench/e2e.sh
        if (wrkCpus != null) {
            command.addAll(List.of("taskset", "-c", wrkCpus));
        }
        command.addAll(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "-s",
                script.toString(), url, "--", file.toAbsolutePath().toString()));
        long cpuBefore = serverCpuNanos.getAsLong();
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        String think = System.getProperty("bench.thinkMillis"); // below saturation: see bench/replay.lua
        if (think != null) {
            builder.environment().put("WRK_THINK_MS", think);
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        long cpuNanos = serverCpuNanos.getAsLong() - cpuBefore;
        long elapsedNanos = System.nanoTime() - started;
        if (process.waitFor() != 0 || !out.contains("Requests/sec")) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        if (out.contains("Non-2xx")) {
            throw new IllegalStateException(url + " answered errors: " + out);
        }
        double requests = number(out, "([0-9]+) requests in");
        return new Result(number(out, "Requests/sec:\\s+([0-9.]+)"), millis(out, "50%"), millis(out, "99%"),
                cpuNanos / 1000.0 / requests, (double) cpuNanos / elapsedNanos, out.contains("WRAPPED"));
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + regex + " in " + text);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double millis(String text, String percentile) {
        Matcher m = Pattern.compile(Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + percentile + " in " + text);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
