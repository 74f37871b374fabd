package io.github.pixmapcache.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The sections of RESULTS.md made from {@code FindShapesBenchmark} at one and two threads: the
 * call shapes ({@code find-shapes-1t.log}, {@code find-shapes-2t.log}, from {@code bench/regenerate})
 * and the find path's goals ({@code find-goals-<run>-1t.log} and {@code -2t.log}, from
 * {@code bench/find-goals}, one section per run: Throughput with {@code -prof gc}, AverageTime
 * without). Every fork's mean is beside the mean of all, and each goal is checked at its worst fork
 * and worst iteration. A shape missing from a log (an older log, a narrower run) shows as "—" and
 * its goals as not measured.
 */
final class FindShapes {
    private static final String CLASS = "FindShapesBenchmark.";
    private static final List<String> OURS = List.of("helper", "returned", "held", "segment", "read");
    private static final List<String> LEASE_SHAPES = List.of("helper", "returned", "held");
    private static final String CAFFEINE_RUN = "caffeineGetIfPresent";
    private static final String CAFFEINE_POOL = "caffeinePoolGetIfPresent";
    private static final String MAP = "concurrentHashMapGet";
    private static final List<String> PEERS = List.of(CAFFEINE_RUN, CAFFEINE_POOL, MAP);
    private static final List<String> KEYS = List.of("zipf", "hot");
    private static final String MISSING = "—";
    private static final Map<String, String> NAMES = Map.of(
            "helper", "static helper, try-with-resources",
            "returned", "lease returned, closed by the caller",
            "held", "lease kept in a field until the next",
            "segment", "helper reading through `segment()`",
            "read", "`read(key, reader)`, no lease",
            CAFFEINE_RUN, "Caffeine `getIfPresent`, `executor(Runnable::run)`",
            CAFFEINE_POOL, "Caffeine `getIfPresent`, default executor",
            MAP, "`ConcurrentHashMap.get`");
    /** The goal runs of {@code bench/find-goals}: log name, and what the run was. */
    private static final Map<String, String> GOAL_RUNS = Map.of(
            "find-goals-thrpt-gc", "Throughput mode, with `-prof gc`",
            "find-goals-avgt", "AverageTime mode, without `-prof gc`");

    private final Map<ForkMeans.Id, ForkMeans.Forks> runs;
    private final String logs;
    private final StringBuilder out = new StringBuilder();

    private FindShapes(Map<ForkMeans.Id, ForkMeans.Forks> runs, String logs) {
        this.runs = runs;
        this.logs = logs;
    }

    /** The call shapes and the goals, each empty where its logs are missing. */
    static String section(Path results) throws IOException {
        StringBuilder sections = new StringBuilder();
        sections.append(section(results, "find-shapes", "## Find call shapes: find, read one pixel, close",
                "AverageTime mode, with `-prof gc`"));
        for (String run : List.of("find-goals-thrpt-gc", "find-goals-avgt")) {
            sections.append(section(results, run, "## The find path's goals: " + GOAL_RUNS.get(run), GOAL_RUNS.get(run)));
        }
        return sections.toString();
    }

    private static String section(Path results, String logs, String title, String mode) throws IOException {
        Path one = results.resolve(logs + "-1t.log");
        Path two = results.resolve(logs + "-2t.log");
        if (!Files.exists(one) || !Files.exists(two)) {
            return "";
        }
        Map<ForkMeans.Id, ForkMeans.Forks> runs = ForkMeans.read(one);
        runs.putAll(ForkMeans.read(two));
        Path commands = results.resolve(logs.startsWith("find-goals") ? "find-goals-commands.txt" : logs + "-commands.txt");
        String ran = Files.exists(commands) ? "```sh\n" + Files.readString(commands).strip() + "\n```\n\n" : "";
        return new FindShapes(runs, logs).markdown(title, mode, ran);
    }

    private String markdown(String title, String mode, String commands) {
        line(title);
        line("");
        out.append(commands);
        line("`FindShapesBenchmark -p side=64` (`" + logs + "-1t.log`, `-2t.log`), " + mode + ": 10,000 cached "
                + "pixmaps of 64x64, the default policy and leak detection level (sampled), " + forks() + " forks per "
                + "cell. `zipf` walks one Zipf sequence (s = 1) from a random start per thread, `hot` reads one pixmap "
                + "from every thread. A time is one thread's ns per operation (a throughput is read as that), the mean "
                + "over every fork and in parentheses the worst fork's mean. A ratio against a peer is the peer's time "
                + "over ours (1 or more: we are at least as fast), from the mean and, in parentheses, from our worst "
                + "fork; two threads against one is 2 x t(1) / t(2), a throughput ratio, likewise. Steady is the "
                + "slowest iteration's throughput over the median iteration's, of every fork, at 1 and at 2 threads. "
                + MISSING + ": not in the log.");
        line("");
        for (String keys : KEYS) {
            line("### Keys: " + keys);
            line("");
            line("| shape | 1 thread, ns/op | B/op (forks) | steady, 1 / 2 threads | vs Caffeine `Runnable::run` | "
                    + "vs Caffeine default | time / `ConcurrentHashMap` | 2 threads, ns/op | 2 threads / 1 |");
            line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            for (String shape : OURS) {
                row(shape, keys, versus(CAFFEINE_RUN, shape, keys), versus(CAFFEINE_POOL, shape, keys), overMap(shape, keys));
            }
            for (String peer : PEERS) {
                row(peer, keys, "", "", "");
            }
            line("");
        }
        if (logs.startsWith("find-goals")) {  // the older call-shape runs lack shapes and settings the goals need
            goals();
        }
        return out.toString();
    }

    private void row(String benchmark, String keys, String versusRun, String versusPool, String overMap) {
        ForkMeans.Forks one = forks(benchmark, keys, 1);
        ForkMeans.Forks two = forks(benchmark, keys, 2);
        line("| " + NAMES.get(benchmark) + " | " + time(one) + " | " + allocation(one) + " | " + steady(one) + " / "
                + steady(two) + " | " + versusRun + " | " + versusPool + " | " + overMap + " | " + time(two) + " | "
                + scaling(benchmark, keys) + " |");
    }

    private void goals() {
        line("### The goals of issue 23, each at its worst fork");
        line("");
        line("| goal | measured | met |");
        line("|---|---|---|");
        least("Steady: no iteration below 0.8x the median, every shape, both key sets, 1 and 2 threads",
                OURS, KEYS, 0.8, (shape, keys) -> Math.min(steadiness(forks(shape, keys, 1)), steadiness(forks(shape, keys, 2))));
        least("`read`: at least 1.0x Caffeine `getIfPresent` (`Runnable::run`), zipf and hot", List.of("read"), KEYS, 1.0,
                (shape, keys) -> ratio(CAFFEINE_RUN, shape, keys));
        least("`read`: at least 1.0x Caffeine `getIfPresent` (default executor), zipf and hot", List.of("read"), KEYS, 1.0,
                (shape, keys) -> ratio(CAFFEINE_POOL, shape, keys));
        most("`read`: 0 B/op where it inlines (its least fork)", List.of("read"), KEYS, 0.5,
                (shape, keys) -> allocationOf(shape, keys, ForkMeans.Forks::leastAllocation), " B/op");
        least("find + `getArgb` + close (helper, returned, held): at least 0.9x Caffeine `Runnable::run` on zipf",
                LEASE_SHAPES, List.of("zipf"), 0.9, (shape, keys) -> ratio(CAFFEINE_RUN, shape, keys));
        most("find + `getArgb` + close without escape analysis (returned, held): at most 48 B/op",
                List.of("returned", "held"), KEYS, 48, (shape, keys) -> allocationOf(shape, keys, ForkMeans.Forks::mostAllocation), " B/op");
        most("find + `segment()` + close: at most 168 B/op", List.of("segment"), KEYS, 168,
                (shape, keys) -> allocationOf(shape, keys, ForkMeans.Forks::mostAllocation), " B/op");
        least("Scaling: 2 threads at least 1.8x one thread, every shape, both key sets", OURS, KEYS, 1.8,
                (shape, keys) -> scalingAtWorst(shape, keys));
        line("");
    }

    /** A figure of one shape and key set; NaN where it was not measured. */
    private interface Figure {
        double of(String shape, String keys);
    }

    private void least(String goal, List<String> shapes, List<String> keySets, double bound, Figure figure) {
        check(goal, shapes, keySets, figure, true, bound, "x");
    }

    private void most(String goal, List<String> shapes, List<String> keySets, double bound, Figure figure, String unit) {
        check(goal, shapes, keySets, figure, false, bound, unit);
    }

    /** One goal: the least (or most) figure over the shapes and key sets against its bound. */
    private void check(String goal, List<String> shapes, List<String> keySets, Figure figure, boolean least,
            double bound, String unit) {
        double extreme = least ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        String where = "";
        for (String shape : shapes) {
            for (String keys : keySets) {
                double value = figure.of(shape, keys);
                if (Double.isNaN(value)) {
                    goal(goal, "not measured: no " + shape + ", " + keys + (least ? "" : " with `-prof gc`") + " in " + logs,
                            "not measured");
                    return;
                }
                if (least ? value < extreme : value > extreme) {
                    extreme = value;
                    where = shape + ", " + keys;
                }
            }
        }
        boolean met = least ? extreme >= bound : extreme <= bound;
        goal(goal, (least ? "least " + f2(extreme) : "most " + f1(extreme)) + unit + " (" + where + ")", met ? "yes" : "**no**");
    }

    private void goal(String goal, String measured, String met) {
        line("| " + goal + " | " + measured + " | " + met + " |");
    }

    /** The peer's mean time over our worst fork's; NaN if either is missing. */
    private double ratio(String peer, String shape, String keys) {
        ForkMeans.Forks theirs = forks(peer, keys, 1);
        ForkMeans.Forks ours = forks(shape, keys, 1);
        return theirs == null || ours == null ? Double.NaN : theirs.meanTime() / ours.worstTime();
    }

    private double scalingAtWorst(String shape, String keys) {
        ForkMeans.Forks one = forks(shape, keys, 1);
        ForkMeans.Forks two = forks(shape, keys, 2);
        return one == null || two == null ? Double.NaN : 2 * one.meanTime() / two.worstTime();
    }

    private double allocationOf(String shape, String keys, ToDoubleFunction<ForkMeans.Forks> which) {
        ForkMeans.Forks one = forks(shape, keys, 1);
        return one == null ? Double.NaN : which.applyAsDouble(one);
    }

    private static double steadiness(ForkMeans.Forks forks) {
        return forks == null ? Double.NaN : forks.worstIterationOverMedian();
    }

    private String versus(String peer, String shape, String keys) {
        ForkMeans.Forks theirs = forks(peer, keys, 1);
        ForkMeans.Forks ours = forks(shape, keys, 1);
        if (theirs == null || ours == null) {
            return MISSING;
        }
        return f2(theirs.meanTime() / ours.meanTime()) + "x (" + f2(theirs.meanTime() / ours.worstTime()) + "x)";
    }

    private String overMap(String shape, String keys) {
        ForkMeans.Forks map = forks(MAP, keys, 1);
        ForkMeans.Forks ours = forks(shape, keys, 1);
        if (map == null || ours == null) {
            return MISSING;
        }
        return f2(ours.meanTime() / map.meanTime()) + "x (" + f2(ours.worstTime() / map.meanTime()) + "x)";
    }

    private String scaling(String benchmark, String keys) {
        ForkMeans.Forks one = forks(benchmark, keys, 1);
        ForkMeans.Forks two = forks(benchmark, keys, 2);
        if (one == null || two == null) {
            return MISSING;
        }
        return f2(2 * one.meanTime() / two.meanTime()) + "x (" + f2(2 * one.meanTime() / two.worstTime()) + "x)";
    }

    private static String time(ForkMeans.Forks forks) {
        return forks == null ? MISSING : f1(forks.meanTime()) + " (" + f1(forks.worstTime()) + ")";
    }

    private static String steady(ForkMeans.Forks forks) {
        return forks == null ? MISSING : f2(forks.worstIterationOverMedian());
    }

    private static String allocation(ForkMeans.Forks forks) {
        if (forks == null) {
            return MISSING;
        }
        double least = forks.leastAllocation();
        double most = forks.mostAllocation();
        if (Double.isNaN(most)) {
            return "no `-prof gc`";
        }
        return Math.abs(most - least) < 1 ? f1(most) : f1(least) + "–" + f1(most);
    }

    /** The forks of one cell, or null if the logs do not have it. */
    private ForkMeans.Forks forks(String benchmark, String keys, int threads) {
        ForkMeans.Forks forks = runs.get(new ForkMeans.Id(CLASS + benchmark, "keys = " + keys + ", side = 64", threads));
        return forks == null || forks.times().isEmpty() ? null : forks;
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
