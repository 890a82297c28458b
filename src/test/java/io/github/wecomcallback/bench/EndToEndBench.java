package io.github.wecomcallback.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    /** Linux's USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on every mainstream kernel build. */
    private static final long CLOCK_TICKS_PER_SECOND = Long.getLong("bench.clockTicks", 100);
    private static final String GENERATE = "--generate";
    /** The MsgId (or echostr) of the next callback generated: distinct across every file of a run. */
    private static final AtomicLong MSG_ID = new AtomicLong(System.currentTimeMillis() * 1000);

    private EndToEndBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 5 && GENERATE.equals(args[0])) { // the child process of generate(...)
            writeCallbacks(WeComCrypto.builder(TOKEN, KEY, CORP).build(), args[1], Integer.parseInt(args[2]),
                    Long.parseLong(args[3]), Path.of(args[4]));
            return;
        }
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int connections = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        // The warm-up of each target, not counted: long enough for C2 to compile the filter's path, twice. With the
        // server on one core (BENCH_PIN) the compiler thread competes with the busy request threads: the filter was
        // still partly in C1 code 20 s after its first request, and once the duplicate guard's logs reach their bound
        // (100,000 distinct callbacks, seconds into the warm-up) the branches that forget the oldest answers throw the
        // compiled path out, and C2 compiled it again only 20-25 s later (JFR's deoptimisation events; docs/BENCHMARKS.md).
        int warmupSeconds = Integer.getInteger("bench.warmupSeconds", Math.max(60, seconds));
        // Distinct callbacks per second of a run: more than the fastest target sends (bare, on one core, up to 78,000/s
        // on the machine of docs/BENCHMARKS.md), with room for wrk's two threads sending unevenly (each takes half)
        int perSecond = Integer.getInteger("bench.requestsPerSecond", 120_000);
        int perFile = seconds * perSecond;
        // The warm-up is sent in parts of at most WARMUP_PART_SECONDS, a file of distinct callbacks each: wrk holds its
        // whole file in memory (a 60 s file of 4.2 million callbacks took 3 GB).
        int warmupParts = (warmupSeconds + WARMUP_PART_SECONDS - 1) / WARMUP_PART_SECONDS;
        int warmupPartSeconds = (warmupSeconds + warmupParts - 1) / warmupParts;
        int perWarmupFile = warmupPartSeconds * perSecond;
        Path work = Files.createDirectories(Path.of("target/e2e"));
        Path script = Path.of("bench/replay.lua").toAbsolutePath();

        // -Dbench.server=http://host:port -Dbench.serverPid=PID: a server already running (bench/tomcat.sh starts a
        // Tomcat distribution with three WARs); otherwise one embedded Tomcat with the three applications.
        String server = System.getProperty("bench.server");
        Tomcat tomcat = null;
        String base;
        long serverPid;
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
            serverPid = ProcessHandle.current().pid();
            System.out.printf("Embedded Tomcat 11 at %s", base);
        } else {
            base = server;
            if (System.getProperty("bench.serverPid") == null) {
                throw new IllegalArgumentException("-Dbench.server needs -Dbench.serverPid (the server's process id,"
                        + " for its CPU time)");
            }
            serverPid = Long.parseLong(System.getProperty("bench.serverPid"));
            System.out.printf("The server at %s (pid %d)", base, serverPid);
        }
        List<String> scenarios = List.of(System.getProperty("bench.scenarios", "empty,reply,urlcheck").split(","));
        System.out.printf("; %d s per run, %d rounds, %d connections, %d distinct requests per file; Java %s, %d"
                + " cores%n", seconds, rounds, connections, perFile, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        for (String scenario : scenarios) {
            for (String target : TARGETS) {
                System.out.printf("  %-8s %-7s %s%s%n", scenario, target, base, path(target, scenario));
            }
        }

        String profile = System.getProperty("bench.profile"); // e.g. "ours/empty": only that, for a profiler
        List<String> warmedScenarios = profile == null ? scenarios : List.of(profile.substring(profile.indexOf('/') + 1));
        String[] warmedTargets = profile == null ? TARGETS : new String[] {profile.substring(0, profile.indexOf('/'))};
        // Warm-up, not counted: every target and scenario, so that the JIT has compiled all three.
        System.out.printf("Warm-up: %d s for each target and scenario, in %d parts%n", warmupParts * warmupPartSeconds,
                warmupParts);
        for (String scenario : warmedScenarios) {
            Path file = work.resolve(scenario + "-warmup.txt");
            for (int part = 0; part < warmupParts; part++) { // the targets in turn on each part's callbacks
                generate(scenario, perWarmupFile, file);
                for (String target : warmedTargets) {
                    wrk(base + path(target, scenario), file, script, warmupPartSeconds, connections, serverPid);
                }
            }
        }
        if (profile != null) {
            String scenario = warmedScenarios.get(0);
            Path file = work.resolve("profile-measured.txt");
            generate(scenario, perFile, file);
            Result r = wrk(base + path(warmedTargets[0], scenario), file, script, seconds, connections, serverPid);
            System.out.printf("%s: %.0f req/s  p50 %.2f ms  p99 %.2f ms  CPU %.1f µs/request (user %.1f, system %.1f)"
                    + "  server busy %.2f cores%s%n", profile, r.rps, r.p50, r.p99, r.cpuMicros(), r.userMicros,
                    r.systemMicros, r.serverCores,
                    r.wrapped ? "  (requests repeated: raise bench.requestsPerSecond)" : "");
            stop(tomcat);
            return;
        }
        Map<String, Map<String, Result>> best = new LinkedHashMap<>();
        Map<String, Map<String, Double>> leastCpu = new LinkedHashMap<>();
        for (String scenario : scenarios) {
            Map<String, Result> byTarget = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                Path file = work.resolve(scenario + "-" + round + ".txt");
                generate(scenario, perFile, file);
                for (String target : TARGETS) {
                    Result r = wrk(base + path(target, scenario), file, script, seconds, connections, serverPid);
                    System.out.printf("  %-8s round %d %-7s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  CPU %6.1f µs/request"
                            + " (user %5.1f, system %5.1f)  server busy %4.2f cores%s%n", scenario, round, target, r.rps,
                            r.p50, r.p99, r.cpuMicros(), r.userMicros, r.systemMicros, r.serverCores,
                            r.wrapped ? "  (requests repeated: raise bench.requestsPerSecond)" : "");
                    byTarget.merge(target, r, (a, b) -> a.rps >= b.rps ? a : b);
                    leastCpu.computeIfAbsent(scenario, k -> new LinkedHashMap<>()).merge(target, r.cpuMicros(), Math::min);
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

    /** User and system CPU time of a process, from /proc (Linux), in clock ticks: {@code {user, system}}. */
    private static long[] cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12])}; // utime, stime (14, 15)
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
    /**
     * Writes {@code count} distinct callbacks, freshly signed, to a file for wrk, in a JVM of its own: run in the
     * embedded server's, the generator's encryption would compile into the server's code and profiles, and deoptimise
     * the filter's compiled code between rounds (seen: the measured round then ran partly in C1 code while C2
     * recompiled it).
     */
    private static void generate(String scenario, int count, Path file) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        long firstId = MSG_ID.getAndAdd(count);
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EndToEndBench.class.getName(), GENERATE, scenario, Integer.toString(count), Long.toString(firstId),
                file.toAbsolutePath().toString()).inheritIO().start();
        if (child.waitFor() != 0) {
            throw new IllegalStateException("generating " + count + " callbacks into " + file + " failed");
        }
    }

    private static void writeCallbacks(WeComCrypto platform, String scenario, int count, long firstId, Path file)
            throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (long id = firstId; id < firstId + count; id++) {
                if ("urlcheck".equals(scenario)) {
                    EncryptedReply echo = platform.encrypt(Long.toString(id).getBytes(StandardCharsets.US_ASCII));
                    out.write("GET msg_signature=" + echo.msgSignature() + "&timestamp=" + echo.timeStamp() + "&nonce="
                            + echo.nonce() + "&echostr=" + URLEncoder.encode(echo.encrypt(), StandardCharsets.UTF_8) + " -\n");
                } else {
                    String message = "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><FromUserName><![CDATA[zhangsan]]>"
                            + "</FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                            + "<Content><![CDATA[hello from the benchmark]]></Content><MsgId>" + id
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
     * One wrk run, with the server's CPU time (user and system, of its whole process: Tomcat, its GC and JIT; embedded,
     * this JVM, whose own threads only wait meanwhile) per request, in microseconds, and over the run's wall time in
     * cores ({@code serverCores}: with the server pinned to one core ({@code BENCH_PIN}), below about 0.95 means the
     * server waited for wrk, and the run measured wrk, not the server). Both are taken over the window in which wrk
     * sends, from samples every {@link #SAMPLE_MILLIS} ms: before it sends, wrk reads its file of callbacks (seconds for a
     * large one), and that time must not count.
     */
    record Result(double rps, double p50, double p99, double userMicros, double systemMicros, double serverCores,
            boolean wrapped) {
        double cpuMicros() {
            return userMicros + systemMicros;
        }
    }

    /** How often the server's CPU time is sampled during a run. */
    private static final int SAMPLE_MILLIS = 200;
    /** The longest part of a warm-up sent from one file (see the warm-up in main). */
    private static final int WARMUP_PART_SECONDS = 20;
    /** Left out at each end of a run's sending window: its ramp-up, and wrk's summary after it. */
    private static final long MARGIN_NANOS = 500_000_000L;

    private static Result wrk(String url, Path file, Path script, int seconds, int connections, long serverPid)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        String wrkCpus = System.getProperty("bench.wrkCpus"); // e.g. "0": wrk on its own core, see bench/e2e.sh
        if (wrkCpus != null) {
            command.addAll(List.of("taskset", "-c", wrkCpus));
        }
        command.addAll(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", "-s",
                script.toString(), url, "--", file.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        String think = System.getProperty("bench.thinkMillis"); // below saturation: see bench/replay.lua
        if (think != null) {
            builder.environment().put("WRK_THINK_MS", think);
        }
        Process process = builder.start();
        // {nanoTime, user ticks, system ticks} every SAMPLE_MILLIS until wrk exits; wrk sends for the last `seconds`.
        List<long[]> samples = new ArrayList<>();
        Thread sampler = new Thread(() -> {
            while (process.isAlive()) {
                long[] ticks = cpuTicks(serverPid);
                synchronized (samples) {
                    samples.add(new long[] {System.nanoTime(), ticks[0], ticks[1]});
                }
                try {
                    Thread.sleep(SAMPLE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        long exited = System.nanoTime();
        sampler.join();
        if (process.waitFor() != 0 || !out.contains("Requests/sec")) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        if (out.contains("Non-2xx")) {
            throw new IllegalStateException(url + " answered errors: " + out);
        }
        long[] first = null;
        long[] last = null;
        for (long[] sample : samples) { // the window: [exited - seconds + margin, exited - margin]
            if (first == null && sample[0] >= exited - seconds * 1_000_000_000L + MARGIN_NANOS) {
                first = sample;
            }
            if (sample[0] <= exited - MARGIN_NANOS) {
                last = sample;
            }
        }
        if (first == null || last == null || last[0] - first[0] < 1_000_000_000L) {
            throw new IllegalStateException("a run of " + seconds + " s is too short to measure the server's CPU in");
        }
        double windowSeconds = (last[0] - first[0]) / 1e9;
        double rps = number(out, "Requests/sec:\\s+([0-9.]+)");
        double userCores = (last[1] - first[1]) / (double) CLOCK_TICKS_PER_SECOND / windowSeconds;
        double systemCores = (last[2] - first[2]) / (double) CLOCK_TICKS_PER_SECOND / windowSeconds;
        return new Result(rps, millis(out, "50%"), millis(out, "99%"), userCores / rps * 1e6, systemCores / rps * 1e6,
                userCores + systemCores, out.contains("WRAPPED"));
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
