package io.github.pixmapcache.bench.replay;

import io.github.pixmapcache.EvictionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Replays every trace of a traces directory (its README.md describes the formats) at every
 * capacity of its BASELINES.md under LRU and under the default policy, and writes HITRATIO.md and
 * one chart per trace and mode into an output directory.
 *
 * <p>Usage: {@code TraceReplay TRACES_DIR OUTPUT_DIR}.
 */
public final class TraceReplay {
    /** The policy a builder gets by default: the one these results are about. */
    private static final EvictionPolicy OURS = EvictionPolicy.ADAPTIVE;

    private TraceReplay() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TraceReplay TRACES_DIR OUTPUT_DIR");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Path traces = Path.of(args[0]);
        Path output = Path.of(args[1]);
        long start = System.nanoTime();

        List<Baseline> baselines = Baselines.read(traces.resolve("BASELINES.md"));
        PublishedPolicies published = PublishedPolicies.read(traces.resolve("BASELINES-SOTA.csv"));
        Map<String, Trace> byName = readTraces(traces);
        List<Cell> cells = replayAll(baselines, byName, published);

        Path chartDirectory = output.resolve("hitratio");
        Files.createDirectories(chartDirectory);
        List<String> charts = new ArrayList<>();
        Map<String, List<Cell>> series = new LinkedHashMap<>();
        for (Cell cell : cells) {
            Baseline b = cell.baseline();
            series.computeIfAbsent(b.trace() + "|" + b.mode(), k -> new ArrayList<>()).add(cell);
        }
        for (List<Cell> chartCells : series.values()) {
            Baseline b = chartCells.getFirst().baseline();
            String name = "hitratio/" + b.trace().replace('/', '-') + "-" + b.mode().name().toLowerCase() + ".png";
            HitRatioCharts.write(chartCells, OURS.name(), output.resolve(name));
            charts.add(name);
        }
        Files.writeString(output.resolve("HITRATIO.md"), HitRatioReport.of(cells, charts, OURS.name()));
        System.out.print(HitRatioReport.of(cells, List.of(), OURS.name()));
        System.out.printf("replayed %d traces at %d cells in %.1f s%n", byName.size(), cells.size(),
                (System.nanoTime() - start) / 1e9);
    }

    private static Map<String, Trace> readTraces(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".gz")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .gz traces under " + root);
        }
        Map<String, Trace> traces = new LinkedHashMap<>();
        for (Path file : files) {
            Trace trace = TraceReader.read(root, file);
            traces.put(trace.name(), trace);
        }
        return traces;
    }

    /** Every baseline cell under LRU and ours, the longest replays first, on every core. */
    private static List<Cell> replayAll(List<Baseline> baselines, Map<String, Trace> traces,
            PublishedPolicies published) throws InterruptedException, ExecutionException {
        for (Baseline b : baselines) {
            Trace trace = traces.get(b.trace());
            if (trace == null) {
                throw new IllegalArgumentException("BASELINES.md names " + b.trace() + ", which is not among "
                        + traces.keySet());
            }
            checkCapacity(trace, b);
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors())) {
            Map<Baseline, Future<Replay.Result>> lru = new LinkedHashMap<>();
            Map<Baseline, Future<Replay.Result>> ours = new LinkedHashMap<>();
            List<Baseline> longestFirst = baselines.stream()
                    .sorted(Comparator.comparingInt((Baseline b) -> -traces.get(b.trace()).requests())).toList();
            for (Baseline b : longestFirst) {
                Trace trace = traces.get(b.trace());
                lru.put(b, pool.submit(() -> Replay.run(trace, b.mode(), b.capacity(), EvictionPolicy.LRU)));
                ours.put(b, pool.submit(() -> Replay.run(trace, b.mode(), b.capacity(), OURS)));
            }
            List<Cell> cells = new ArrayList<>();
            for (Baseline b : baselines) {
                cells.add(new Cell(b, lru.get(b).get(), ours.get(b).get(), published.of(b)));
            }
            return cells;
        }
    }

    /**
     * The capacity BASELINES.md gives must be the share of the keys or footprint this reader found,
     * rounded half to even as BASELINES.md rounds it: a check that both read the same trace.
     */
    private static void checkCapacity(Trace trace, Baseline b) {
        long whole = b.mode() == Mode.SIZE ? trace.footprint() : trace.distinctKeys();
        long expected = (long) Math.rint(whole * b.percent() / 100.0);
        if (expected != b.capacity()) {
            throw new IllegalStateException(b.trace() + " " + b.mode().title + " " + b.percent() + "%: BASELINES.md says "
                    + b.capacity() + ", but " + b.percent() + "% of the " + whole + " read here is " + expected);
        }
    }
}
