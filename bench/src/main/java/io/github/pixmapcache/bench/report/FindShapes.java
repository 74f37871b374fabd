package io.github.pixmapcache.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The "Find call shapes" section of RESULTS.md: {@code FindShapesBenchmark} at one and two threads,
 * from the JMH logs {@code bench/regenerate} keeps ({@code find-shapes-1t.log},
 * {@code find-shapes-2t.log}), with every fork's mean beside the mean of all, and the find path's
 * goals checked against them at their worst fork.
 */
final class FindShapes {
    private static final String CLASS = "FindShapesBenchmark.";
    private static final List<String> OURS = List.of("helper", "returned", "held", "read");
    private static final String CAFFEINE_RUN = "caffeineGetIfPresent";
    private static final String CAFFEINE_POOL = "caffeinePoolGetIfPresent";
    private static final String MAP = "concurrentHashMapGet";
    private static final List<String> PEERS = List.of(CAFFEINE_RUN, CAFFEINE_POOL, MAP);
    private static final List<String> KEYS = List.of("zipf", "hot");
    private static final Map<String, String> NAMES = Map.of(
            "helper", "static helper, try-with-resources",
            "returned", "lease returned, closed by the caller",
            "held", "lease kept in a field until the next",
            "read", "`read(key, reader)`, no lease",
            CAFFEINE_RUN, "Caffeine `getIfPresent`, `executor(Runnable::run)`",
            CAFFEINE_POOL, "Caffeine `getIfPresent`, default executor",
            MAP, "`ConcurrentHashMap.get`");

    private final Map<ForkMeans.Id, ForkMeans.Forks> runs;
    private final StringBuilder out = new StringBuilder();

    private FindShapes(Map<ForkMeans.Id, ForkMeans.Forks> runs) {
        this.runs = runs;
    }

    /** The section; empty if {@code bench/regenerate} did not run the shapes. */
    static String section(Path results) throws IOException {
        Path one = results.resolve("find-shapes-1t.log");
        Path two = results.resolve("find-shapes-2t.log");
        if (!Files.exists(one) || !Files.exists(two)) {
            return "";
        }
        Map<ForkMeans.Id, ForkMeans.Forks> runs = ForkMeans.read(one);
        runs.putAll(ForkMeans.read(two));
        return new FindShapes(runs).markdown();
    }

    private String markdown() {
        line("## Find call shapes: find, read one pixel, close");
        line("");
        line("`FindShapesBenchmark -p side=64`: 10,000 cached pixmaps of 64x64, the default policy and leak "
                + "detection level (sampled), " + forks() + " forks per cell. `zipf` walks one Zipf sequence "
                + "(s = 1) from a random start per thread, `hot` reads one pixmap from every thread. A cell is the "
                + "mean over every fork, and in parentheses the worst fork's mean: escape analysis and JIT order "
                + "differ from fork to fork. A ratio against a peer is the peer's time over ours (1 or more: we are "
                + "at least as fast), from the mean and, in parentheses, from our worst fork; two threads against "
                + "one is 2 x t(1) / t(2), a throughput ratio, likewise.");
        line("");
        for (String keys : KEYS) {
            line("### Keys: " + keys);
            line("");
            line("| shape | 1 thread, ns/op | B/op (forks) | vs Caffeine `Runnable::run` | vs Caffeine default | "
                    + "time / `ConcurrentHashMap` | 2 threads, ns/op | 2 threads / 1 |");
            line("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (String shape : OURS) {
                ForkMeans.Forks one = forks(shape, keys, 1);
                line("| " + NAMES.get(shape) + " | " + time(one) + " | " + allocation(one)
                        + " | " + versus(CAFFEINE_RUN, shape, keys) + " | " + versus(CAFFEINE_POOL, shape, keys)
                        + " | " + overMap(shape, keys) + " | " + time(forks(shape, keys, 2))
                        + " | " + scaling(shape, keys) + " |");
            }
            for (String peer : PEERS) {
                ForkMeans.Forks one = forks(peer, keys, 1);
                line("| " + NAMES.get(peer) + " | " + time(one) + " | " + allocation(one) + " | | | | "
                        + time(forks(peer, keys, 2)) + " | " + scaling(peer, keys) + " |");
            }
            line("");
        }
        goals();
        return out.toString();
    }

    private void goals() {
        double leastVersusCaffeine = Double.MAX_VALUE;
        double mostOverMap = 0;
        double mostAllocation = 0;
        double leastHelperAllocation = Double.MAX_VALUE;
        double leastScaling = Double.MAX_VALUE;
        for (String keys : KEYS) {
            for (String shape : OURS) {
                ForkMeans.Forks one = forks(shape, keys, 1);
                for (String caffeine : List.of(CAFFEINE_RUN, CAFFEINE_POOL)) {
                    leastVersusCaffeine = Math.min(leastVersusCaffeine, forks(caffeine, keys, 1).meanTime() / one.worstTime());
                }
                mostOverMap = Math.max(mostOverMap, one.worstTime() / forks(MAP, keys, 1).meanTime());
                mostAllocation = Math.max(mostAllocation, one.mostAllocation());
                if (shape.equals("helper")) {
                    leastHelperAllocation = Math.min(leastHelperAllocation, one.leastAllocation());
                }
                leastScaling = Math.min(leastScaling, 2 * one.meanTime() / forks(shape, keys, 2).worstTime());
            }
        }
        line("### The find path's goals, each at its worst fork");
        line("");
        line("| goal | measured | met |");
        line("|---|---|---|");
        goal("at least 1.0x Caffeine `getIfPresent`, both executors, every shape, both key sets",
                "least " + f2(leastVersusCaffeine) + "x", leastVersusCaffeine >= 1.0);
        goal("at most 2x the time of `ConcurrentHashMap.get`", "most " + f2(mostOverMap) + "x", mostOverMap <= 2.0);
        goal("at most 128 B/op in every shape", "most " + f1(mostAllocation) + " B/op", mostAllocation <= 128);
        goal("about 0 B/op where escape analysis helps (the helper)", "least " + f1(leastHelperAllocation) + " B/op",
                leastHelperAllocation < 1);
        goal("2 threads at least 1.8x one thread, every shape, both key sets", "least " + f2(leastScaling) + "x",
                leastScaling >= 1.8);
        line("");
    }

    private void goal(String goal, String measured, boolean met) {
        line("| " + goal + " | " + measured + " | " + (met ? "yes" : "**no**") + " |");
    }

    private String versus(String peer, String shape, String keys) {
        double peerTime = forks(peer, keys, 1).meanTime();
        ForkMeans.Forks ours = forks(shape, keys, 1);
        return f2(peerTime / ours.meanTime()) + "x (" + f2(peerTime / ours.worstTime()) + "x)";
    }

    private String overMap(String shape, String keys) {
        double map = forks(MAP, keys, 1).meanTime();
        ForkMeans.Forks ours = forks(shape, keys, 1);
        return f2(ours.meanTime() / map) + "x (" + f2(ours.worstTime() / map) + "x)";
    }

    private String scaling(String benchmark, String keys) {
        double one = forks(benchmark, keys, 1).meanTime();
        ForkMeans.Forks two = forks(benchmark, keys, 2);
        return f2(2 * one / two.meanTime()) + "x (" + f2(2 * one / two.worstTime()) + "x)";
    }

    private static String time(ForkMeans.Forks forks) {
        return f1(forks.meanTime()) + " (" + f1(forks.worstTime()) + ")";
    }

    private static String allocation(ForkMeans.Forks forks) {
        double least = forks.leastAllocation();
        double most = forks.mostAllocation();
        return Math.abs(most - least) < 1 ? f1(most) : f1(least) + "–" + f1(most);
    }

    private ForkMeans.Forks forks(String benchmark, String keys, int threads) {
        ForkMeans.Forks forks = runs.get(new ForkMeans.Id(CLASS + benchmark, "keys = " + keys + ", side = 64", threads));
        if (forks == null || forks.times().isEmpty()) {
            throw new IllegalArgumentException("no " + CLASS + benchmark + " with keys " + keys + " at " + threads
                    + " threads in find-shapes-" + threads + "t.log");
        }
        return forks;
    }

    private String forks() {
        return String.valueOf(runs.values().stream().mapToInt(forks -> forks.times().size()).min().orElse(0));
    }

    private void line(String text) {
        out.append(text).append('\n');
    }

    private static String f1(double value) {
        return String.format("%.1f", value);
    }

    private static String f2(double value) {
        return String.format("%.2f", value);
    }
}
