package io.github.pixmapcache.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every fork's mean time per operation and mean allocation per operation, read from the log JMH
 * prints while it runs (the CSV and JSON results keep only the mean over all forks). A fork is
 * where escape analysis and JIT order differ, so a fork-to-fork spread is the figure to report
 * beside the mean. Throughput iterations ({@code ops/us}, all threads together) are read as the
 * time per operation of one thread, so that both modes compare alike.
 */
final class ForkMeans {
    /** One benchmark method with one set of parameters at one thread count. */
    record Id(String benchmark, String parameters, int threads) {}

    /**
     * The means of each fork, in fork order: ns/op, and B/op from {@code -prof gc} (0 where JMH
     * printed "≈ 0"); and every measured iteration's ns/op, of all forks.
     */
    record Forks(List<Double> times, List<Double> allocations, List<Double> iterations) {
        double meanTime() {
            return times.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        }

        double worstTime() {
            return times.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }

        double leastAllocation() {
            return allocations.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        }

        double mostAllocation() {
            return allocations.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        /**
         * The slowest iteration's throughput over the median iteration's, of all forks: below 0.8,
         * some iteration ran in a slow mode.
         */
        double worstIterationOverMedian() {
            double[] sorted = iterations.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
            return median / sorted[sorted.length - 1];
        }
    }

    private static final String PACKAGE = "io.github.pixmapcache.bench.";
    private static final Pattern THREADS = Pattern.compile("^# Threads: (\\d+) thread");
    private static final Pattern BENCHMARK = Pattern.compile("^# Benchmark: (\\S+)");
    private static final Pattern PARAMETERS = Pattern.compile("^# Parameters: \\((.*)\\)");
    private static final Pattern FORK = Pattern.compile("^# Fork: \\d+ of \\d+");
    private static final Pattern ITERATION = Pattern.compile("^Iteration\\s+\\d+: ([\\d.]+) (ns/op|ops/us)");
    private static final Pattern ALLOCATION = Pattern.compile("^\\s+gc\\.alloc\\.rate\\.norm:\\s+(≈ \\S+|[\\d.]+) B/op");

    private ForkMeans() {}

    /** Every run in {@code log}, by benchmark ({@code Class.method}), parameters and threads. */
    static Map<Id, Forks> read(Path log) throws IOException {
        Map<Id, List<List<Double>>> times = new LinkedHashMap<>();
        Map<Id, List<List<Double>>> allocations = new LinkedHashMap<>();
        int threads = 0;
        String benchmark = null;
        String parameters = "";
        Id current = null;
        boolean measuring = false;  // inside a measurement iteration's lines, not a warm-up's
        for (String line : Files.readAllLines(log)) {
            Matcher m;
            if ((m = THREADS.matcher(line)).find()) {
                threads = Integer.parseInt(m.group(1));
            } else if ((m = BENCHMARK.matcher(line)).find()) {
                benchmark = m.group(1).replace(PACKAGE, "");
                parameters = "";
            } else if ((m = PARAMETERS.matcher(line)).find()) {
                parameters = m.group(1);
            } else if (FORK.matcher(line).find()) {
                current = new Id(benchmark, parameters, threads);
                times.computeIfAbsent(current, id -> new ArrayList<>()).add(new ArrayList<>());
                allocations.computeIfAbsent(current, id -> new ArrayList<>()).add(new ArrayList<>());
                measuring = false;
            } else if ((m = ITERATION.matcher(line)).find() && current != null) {
                double value = Double.parseDouble(m.group(1));
                last(times.get(current)).add(m.group(2).equals("ns/op") ? value : threads * 1000 / value);
                measuring = true;
            } else if (line.startsWith("#")) {
                measuring = false;
            } else if (measuring && (m = ALLOCATION.matcher(line)).find()) {
                String value = m.group(1);
                last(allocations.get(current)).add(value.startsWith("≈") ? 0.0 : Double.parseDouble(value));
            }
        }
        Map<Id, Forks> runs = new LinkedHashMap<>();
        times.forEach((id, forks) -> runs.put(id, new Forks(means(forks), means(allocations.get(id)),
                forks.stream().flatMap(List::stream).toList())));
        return runs;
    }

    private static List<Double> last(List<List<Double>> forks) {
        return forks.get(forks.size() - 1);
    }

    /** The mean of each fork that has values; a fork killed before it measured has none. */
    private static List<Double> means(List<List<Double>> forks) {
        List<Double> means = new ArrayList<>();
        for (List<Double> fork : forks) {
            fork.stream().mapToDouble(Double::doubleValue).average().ifPresent(means::add);
        }
        return means;
    }
}
