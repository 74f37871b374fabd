package io.github.pixmapcache.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;

/**
 * The "Tile server under load" section of RESULTS.md and its two charts, from what
 * {@code bench/server-load} left in {@code results/server-load/}: {@code machine.txt},
 * {@code commands.txt} and one {@code summary-CACHE.txt} of {@code key=value} lines per cache.
 */
final class ServerLoad {
    private static final List<String> CACHES = List.of("pixmap", "caffeine", "none");

    private final Path directory;
    private final Map<String, String> machine;
    private final List<Map<String, String>> runs = new ArrayList<>();

    private ServerLoad(Path directory) throws IOException {
        this.directory = directory;
        this.machine = GcRun.keyValues(directory.resolve("machine.txt"));
        for (String cache : CACHES) {
            Path summary = directory.resolve("summary-" + cache + ".txt");
            if (Files.exists(summary)) {
                runs.add(GcRun.keyValues(summary));
            }
        }
    }

    /** The section, with its charts written to {@code chartDirectory}; empty if the load test never ran. */
    static String section(Path results, Path chartDirectory) throws IOException {
        Path directory = results.resolve("server-load");
        if (!Files.exists(directory.resolve("machine.txt"))) {
            return "";
        }
        ServerLoad load = new ServerLoad(directory);
        Charts.save(load.latencyChart(), chartDirectory, "server-latency");
        Charts.save(load.gcChart(), chartDirectory, "server-gc");
        return load.markdown();
    }

    private String markdown() throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("## Tile server under load\n\n");
        out.append("`bench/server-load`: the tile server (`server/`) with each `--cache` in a JVM of its own, "
                + "same flags and heap, driven by `wrk` with `bench/wrk/viewports.lua` (places on the set's boundary "
                + "drawn by a Zipf law, s = 1, random zooms, tiles of a viewport around the place). A warm-up run "
                + "fills the cache, then the measured run; GC numbers are every `Pause` line of `-Xlog:gc` during "
                + "the measured run, heap is the largest occupancy left after one of those collections. "
                + "`pixmap`: metatiles in pixmap-cache's native memory; `caffeine`: each metatile an on-heap "
                + "`int[]` in Caffeine, weighed by its bytes; `none`: every request renders its own tile. "
                + "One run each, on a shared machine: read the numbers as one sample, not a distribution.\n\n");
        out.append("```\n");
        for (String key : List.of("date", "cpu", "memory", "jdk", "commit", "settings", "loadStart", "loadEnd")) {
            out.append(String.format("%-10s %s%n", key + ":", machine.getOrDefault(key, "?")));
        }
        out.append("```\n\n```sh\n").append(Files.readString(directory.resolve("commands.txt")).strip()).append("\n```\n\n");
        out.append("![latency](server-latency.png)\n\n![GC](server-gc.png)\n\n");
        out.append("| cache | requests/s | p50 | p99 | p99.9 | non-2xx | hit ratio (measured run) | renders | "
                + "GC pauses | total pause | longest pause | heap after GC, max | heap used at the end |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, String> run : runs) {
            double hits = number(run, "hits_after") - number(run, "hits_before");
            double misses = number(run, "misses_after") - number(run, "misses_before");
            String hitRatio = run.get("cache").equals("none") ? "–"
                    : String.format("%.1f %%", 100 * hits / Math.max(1, hits + misses));
            out.append(String.format("| %s | %.1f | %.1f ms | %.1f ms | %.1f ms | %d | %s | %d | %d | %.1f ms | %.1f ms | %d MiB | %d MiB |%n",
                    run.get("cache"), number(run, "rps"), number(run, "p50_ms"), number(run, "p99_ms"),
                    number(run, "p999_ms"), (long) number(run, "non2xx"), hitRatio,
                    (long) (number(run, "renders_after") - number(run, "renders_before")),
                    (long) number(run, "gcPauses"), number(run, "gcTotalMs"), number(run, "gcLongestMs"),
                    (long) number(run, "heapAfterGcMaxMiB"), (long) number(run, "heapUsedBytes_after") >> 20));
        }
        out.append('\n');
        Path analysis = directory.resolve("analysis.md");
        if (Files.exists(analysis)) {
            out.append(Files.readString(analysis).strip()).append("\n\n");
        }
        return out.toString();
    }

    private CategoryChart latencyChart() {
        CategoryChart chart = Charts.chart("Tile server: request latency under the viewport mix", "cache",
                "latency (ms, log scale)");
        List<String> caches = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> p999 = new ArrayList<>();
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (Map<String, String> run : runs) {
            caches.add(run.get("cache") + String.format(" (%.0f req/s)", number(run, "rps")));
            p50.add(number(run, "p50_ms"));
            p99.add(number(run, "p99_ms"));
            p999.add(number(run, "p999_ms"));
            lowest = Math.min(lowest, number(run, "p50_ms"));
            highest = Math.max(highest, number(run, "p999_ms"));
        }
        chart.addSeries("p50", caches, p50).setFillColor(new Color(0x56B4E9));
        chart.addSeries("p99", caches, p99).setFillColor(new Color(0x0072B2));
        chart.addSeries("p99.9", caches, p999).setFillColor(new Color(0x003F63));
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.max(lowest, 0.01)))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(Math.max(highest, 1)))));
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        return chart;
    }

    private CategoryChart gcChart() {
        CategoryChart chart = Charts.chart("Tile server: GC pauses during the measured run", "cache", "ms");
        List<String> caches = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        List<Double> longest = new ArrayList<>();
        for (Map<String, String> run : runs) {
            caches.add(run.get("cache") + " (" + (long) number(run, "gcPauses") + " pauses)");
            total.add(number(run, "gcTotalMs"));
            longest.add(number(run, "gcLongestMs"));
        }
        chart.addSeries("total pause", caches, total).setFillColor(new Color(0xE69F00));
        chart.addSeries("longest pause", caches, longest).setFillColor(new Color(0xD55E00));
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        return chart;
    }

    private static double number(Map<String, String> run, String key) {
        String value = run.get(key);
        if (value == null) {
            throw new IllegalArgumentException("server-load summary of " + run.get("cache") + " lacks " + key);
        }
        return Double.parseDouble(value);
    }
}
