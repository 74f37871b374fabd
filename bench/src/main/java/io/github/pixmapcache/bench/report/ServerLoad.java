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
    private static final List<String> CACHES = List.of("pixmap", "pixmap-after-render", "caffeine", "none");

    private final Path directory;
    private final Map<String, String> machine;
    private final List<Map<String, String>> runs = new ArrayList<>();

    private ServerLoad(Path directory) throws IOException {
        this.directory = directory;
        LoadResults results = LoadResults.read(directory, CACHES);
        this.machine = results.machine();
        runs.addAll(results.summaries().values());
    }

    /**
     * Prints the section alone, for {@code bench/server-load} to show even where the whole report cannot
     * be made: {@code RESULTS_DIRECTORY CHART_DIRECTORY}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ServerLoad RESULTS_DIRECTORY CHART_DIRECTORY");
        }
        System.out.print(section(Path.of(args[0]), Path.of(args[1])));
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
                + "same flags and heap, driven by `wrk` with `bench/wrk/viewports.lua` (places drawn by a Zipf law, "
                + "s = 1, random zooms, tiles of a viewport around the place). `pixmap`: tiles' PNG bytes in the "
                + "encoded tier (`--tile-budget`) in front of metatiles (`--budget`), both in pixmap-cache's native "
                + "memory, tiles written to the socket from it; "
                + "`pixmap-after-render`: the same, with `--encode after-render` (a rendered metatile's other tiles "
                + "are encoded in the background, as mod_tile does, where `pixmap` encodes each on its first request); "
                + "`caffeine`: both tiers on the heap, the tiles as `byte[]` and each metatile as an `int[]` in "
                + "Caffeine, weighed by their bytes; `none`: every request renders and encodes its own tile. The warm-up runs "
                + "until both tiers have evicted (their budgets are full); then the measured run; then, on the same "
                + "server, one hot tile and `/health`. GC numbers are every `Pause` line of `-Xlog:gc` during the "
                + "measured run, heap is the largest occupancy left after one of those collections; the load "
                + "average is the 1-minute one at the end of the measured run. Hit ratios are of the measured run, and "
                + "so is the working set it asked for (distinct tiles and metatiles). Latencies are each request's "
                + "own, timed by `viewports.lua` from the request's write to its response, one connection per wrk "
                + "thread: wrk's percentiles are not used, because wrk adds made-up samples below every response "
                + "slower than twice a connection's mean interval, hundreds for one render among 1 ms hits "
                + "(`wrk_p99_ms` in the raw results). "
                + "One run each, on a shared machine: read the numbers as one sample, not a distribution.\n\n");
        out.append("```\n");
        for (String key : List.of("date", "cpu", "memory", "jdk", "commit", "settings", "loadStart", "loadEnd")) {
            out.append(String.format("%-10s %s%n", key + ":", machine.getOrDefault(key, "?")));
        }
        out.append("```\n\n```sh\n").append(Files.readString(directory.resolve("commands.txt")).strip()).append("\n```\n\n");
        out.append("![latency](server-latency.png)\n\n![GC](server-gc.png)\n\n");
        out.append("| cache | requests/s | p50 | p99 | p99.9 | non-2xx | tiles / metatiles asked | tile hit ratio | "
                + "metatile hit ratio | renders | encodes | warm-up | load avg | hot tile req/s | /health req/s | GC pauses | total pause | longest pause | "
                + "heap after GC, max |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, String> run : runs) {
            boolean cached = !run.get("cache").equals("none");
            out.append(String.format("| %s | %.1f | %.1f ms | %.1f ms | %.1f ms | %d | %s | %s | %s | %d | %d | %d s | %s | %.0f "
                            + "| %.0f | %d | %.1f ms | %.1f ms | %d MiB |%n",
                    run.get("cache"), number(run, "rps"), number(run, "p50_ms"), number(run, "p99_ms"),
                    number(run, "p999_ms"), (long) number(run, "non2xx"),
                    run.containsKey("tiles_asked") ? run.get("tiles_asked") + " / " + run.get("metatiles_asked") : "?",
                    cached ? ratio(run, "tiles_hits", "tiles_misses") : "–",
                    cached ? ratio(run, "hits", "misses") : "–",
                    (long) delta(run, "renders"), (long) delta(run, "encodes"), (long) number(run, "warmupSeconds"),
                    run.get("loadAvg"), number(run, "hot_rps"), number(run, "health_rps"),
                    (long) number(run, "gcPauses"), number(run, "gcTotalMs"), number(run, "gcLongestMs"),
                    (long) number(run, "heapAfterGcMaxMiB")));
        }
        out.append('\n');
        out.append(goals());
        out.append(encodings());
        Path analysis = directory.resolve("analysis.md");
        if (Files.exists(analysis)) {
            out.append(Files.readString(analysis).strip()).append("\n\n");
        }
        return out.toString();
    }

    /** The issue's goals, each a ratio within this one run; empty unless all three caches ran. */
    private String goals() {
        Map<String, String> pixmap = run("pixmap");
        Map<String, String> caffeine = run("caffeine");
        Map<String, String> none = run("none");
        if (pixmap == null || caffeine == null || none == null) {
            return "";
        }
        return String.format("Goals, from this run: `pixmap` served **%.1fx** the requests/s of `none` (goal >= 5x) with "
                        + "**%.2fx** its p99 (goal <= 0.20x); a hot tile got **%.0f %%** of `/health`'s requests/s "
                        + "(goal >= 30 %%); against `caffeine`, **%.2fx** its requests/s and **%.2fx** its p99, with %d GC "
                        + "pauses (%.1f ms in all, longest %.1f ms) against %d (%.1f ms, longest %.1f ms).%n%n",
                number(pixmap, "rps") / number(none, "rps"), number(pixmap, "p99_ms") / number(none, "p99_ms"),
                100 * number(pixmap, "hot_rps") / number(pixmap, "health_rps"),
                number(pixmap, "rps") / number(caffeine, "rps"), number(pixmap, "p99_ms") / number(caffeine, "p99_ms"),
                (long) number(pixmap, "gcPauses"), number(pixmap, "gcTotalMs"), number(pixmap, "gcLongestMs"),
                (long) number(caffeine, "gcPauses"), number(caffeine, "gcTotalMs"), number(caffeine, "gcLongestMs"));
    }

    /** Encode-after-render against encode-on-request, within this run; empty unless both ran. */
    private String encodings() {
        Map<String, String> onRequest = run("pixmap");
        Map<String, String> afterRender = run("pixmap-after-render");
        if (onRequest == null || afterRender == null) {
            return "";
        }
        return String.format("Encode after render against encode on request (both `pixmap`): **%.2fx** the requests/s, "
                        + "**%.2fx** the p99, %d encodes against %d for %d against %d requests, tile hit ratio %s against %s.%n%n",
                number(afterRender, "rps") / number(onRequest, "rps"), number(afterRender, "p99_ms") / number(onRequest, "p99_ms"),
                (long) delta(afterRender, "tiles_encodes"), (long) delta(onRequest, "tiles_encodes"),
                (long) number(afterRender, "requests"), (long) number(onRequest, "requests"),
                ratio(afterRender, "tiles_hits", "tiles_misses"), ratio(onRequest, "tiles_hits", "tiles_misses"));
    }

    private Map<String, String> run(String cache) {
        return runs.stream().filter(run -> run.get("cache").equals(cache)).findFirst().orElse(null);
    }

    /** Hits over lookups between the stats before and after the measured run. */
    private static String ratio(Map<String, String> run, String hits, String misses) {
        double h = delta(run, hits);
        double m = delta(run, misses);
        return String.format("%.1f %%", 100 * h / Math.max(1, h + m));
    }

    private static double delta(Map<String, String> run, String key) {
        return number(run, key + "_after") - number(run, key + "_before");
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
