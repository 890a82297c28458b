package io.github.wecomcallback.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * The ratios of {@link CallbackBenchmark} measured so that a shared machine's swings cancel out: the variants run in
 * turn, about 50 ms each, for many rounds, and each round's ratio compares measurements taken moments
 * apart. JMH runs one benchmark after another, seconds each, so on a machine whose speed moves by half within a minute
 * its ratios move too; this is a complement to it for the ratios, not a replacement (JMH gives the allocation per
 * operation and guards against the JIT's tricks; here the results feed a sink the JIT cannot see through, and the
 * first rounds, the warm-up, are not counted).
 *
 * <p>Usage: {@code bench/ratios.sh [messageBytes] [rounds]}; prints, per variant, the best and the median time per
 * operation over the rounds, and the median and the range of the per-round ratios against {@code ours}.
 */
public final class CallbackRatios {
    /** A batch of one variant's operations; each variant its own loop, as JMH generates one, so its call inlines. */
    private interface Batch {
        long run(int operations) throws Exception;
    }

    private CallbackRatios() {
    }

    public static void main(String[] args) throws Exception {
        int messageBytes = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int warmupRounds = Math.max(5, rounds / 4);
        CallbackBenchmark bench = new CallbackBenchmark();
        bench.messageBytes = messageBytes;
        bench.setUp();
        String[] names = {"ours", "floor", "ours_envelope", "wxJava"};
        Batch[] operations = {
            n -> {
                long sink = 0;
                for (int i = 0; i < n; i++) {
                    sink += consume(bench.ours());
                }
                return sink;
            },
            n -> {
                long sink = 0;
                for (int i = 0; i < n; i++) {
                    sink += consume(bench.floor());
                }
                return sink;
            },
            n -> {
                long sink = 0;
                for (int i = 0; i < n; i++) {
                    sink += consume(bench.ours_envelope());
                }
                return sink;
            },
            n -> {
                long sink = 0;
                for (int i = 0; i < n; i++) {
                    sink += consume(bench.wxJava());
                }
                return sink;
            }};
        // About 50 ms per variant and round: long enough to time, short enough to interleave.
        int[] batch = new int[operations.length];
        for (int v = 0; v < operations.length; v++) {
            batch[v] = batchFor(operations[v]);
        }
        double[][] nanos = new double[operations.length][rounds];
        long sink = 0;
        for (int round = -warmupRounds; round < rounds; round++) {
            for (int v = 0; v < operations.length; v++) {
                // Each batch starts on an empty young generation, so that it pays for collecting its own garbage
                // and not for another variant's (WxJava's 34 KB an operation would otherwise land in any batch).
                System.gc();
                long start = System.nanoTime();
                sink += operations[v].run(batch[v]);
                double perOperation = (System.nanoTime() - start) / (double) batch[v];
                if (round >= 0) {
                    nanos[v][round] = perOperation;
                }
            }
            if (round == -1 || round >= 0 && (round + 1) % 10 == 0) {
                System.err.printf(Locale.ROOT, "%s %d of %d rounds%n", round < 0 ? "warmed up," : "measured",
                        Math.max(0, round + 1), rounds);
            }
        }
        System.out.printf(Locale.ROOT, "CallbackBenchmark variants in turn, %d-byte message, %d rounds (after %d"
                + " warm-up rounds), Java %s, %d cores%n", messageBytes, rounds, warmupRounds,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-14s %12s %12s %14s %22s%n", "variant", "best ns/op", "median ns/op",
                "ours/variant", "per-round ratio range");
        System.out.println("(ours/variant: ours' throughput over the variant's, i.e. the variant's time over ours)");
        for (int v = 0; v < operations.length; v++) {
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratios[r] = nanos[v][r] / nanos[0][r]; // > 1: the variant takes longer than ours
            }
            double[] sortedRatios = sorted(ratios);
            // Reported as ours' throughput against the variant's: the variant's time over ours.
            System.out.printf(Locale.ROOT, "%-14s %12.0f %12.0f %14.2f %10.2f .. %-10.2f%n", names[v],
                    sorted(nanos[v])[0], median(sorted(nanos[v])), median(sortedRatios), sortedRatios[0],
                    sortedRatios[rounds - 1]);
        }
        if (sink == 42) {
            System.out.println(); // keeps the sink alive
        }
    }

    /** How many operations take about 50 ms, timed after a short warm-up of the operation alone. */
    private static int batchFor(Batch batch) throws Exception {
        long sink = batch.run(20_000);
        int count = 1_000;
        while (true) {
            long start = System.nanoTime();
            sink += batch.run(count);
            long elapsed = System.nanoTime() - start;
            if (elapsed >= 5_000_000L) {
                return (int) Math.max(1, count * 50_000_000L / elapsed) + (int) (sink & 0);
            }
            count *= 2;
        }
    }

    /** A cheap function of a result, summed into a sink, so that no result is dead code to the JIT. */
    private static int consume(Object result) {
        if (result instanceof byte[] bytes) {
            return bytes.length;
        }
        if (result instanceof java.nio.ByteBuffer buffer) {
            return buffer.remaining();
        }
        return result instanceof String text ? text.length() : result == null ? 0 : 1;
    }

    private static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
