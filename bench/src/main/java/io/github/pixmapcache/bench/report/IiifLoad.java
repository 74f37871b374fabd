package io.github.pixmapcache.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The "IIIF: decode once against decoding per request" section of RESULTS.md and its two charts, from
 * what {@code bench/iiif-load} left in {@code results/iiif-load/}: {@code machine.txt},
 * {@code commands.txt}, and per run a {@code summary-RUN.txt} of {@code key=value} lines, the requests
 * sent each second ({@code rate-RUN.txt}), the server's resident memory each second
 * ({@code rss-RUN.txt}) and its GC log ({@code gc-RUN.log}, decorated with the clock in ms).
 */
final class IiifLoad {
    private static final List<String> RUNS = List.of("cached", "per-request", "warm");
    /** {@code [3.450s][1796635406123ms] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 515M->59M(2048M) 14.144ms}. */
    private static final Pattern PAUSE = Pattern.compile(
            "^\\[[0-9.]+s\\]\\[(\\d+)ms\\] GC\\(\\d+\\) Pause .* \\d+M->(\\d+)M\\((\\d+)M\\) [0-9.]+ms$");
    /** Seconds per point of the rate chart: per-request decoding serves a few requests a second. */
    private static final int BIN_SECONDS = 5;
    private static final Color PIXMAP = new Color(0x0072B2);
    private static final Color NONE = new Color(0xD55E00);

    /** One run: its summary and, where the run sampled them, its series over seconds into the measured run. */
    private record Run(String name, Map<String, String> summary, List<double[]> rate, List<double[]> heapAfterGc,
                       List<double[]> nativeMemory) {
        double number(String key) {
            String value = summary.get(key);
            if (value == null) {
                throw new IllegalArgumentException("iiif-load summary of " + name + " lacks " + key);
            }
            return Double.parseDouble(value.replaceAll("K$", ""));
        }

        boolean sampled() {
            return !rate.isEmpty() && !nativeMemory.isEmpty();
        }

        String label() {
            return "`--cache " + summary.get("cache") + "`, " + summary.get("images") + " images"
                    + (name.equals("warm") ? ", sources cached" : "");
        }

        /** Smallest and largest heap left after a collection during the measured run, in MiB. */
        String heapRange() {
            return heapAfterGc.isEmpty() ? "–" : String.format("%.0f–%.0f MiB (%d GCs)", min(heapAfterGc), max(heapAfterGc),
                    heapAfterGc.size());
        }

        String nativeRange() {
            return nativeMemory.isEmpty() ? "–" : String.format("%.0f → %.0f MiB", nativeMemory.getFirst()[1],
                    nativeMemory.getLast()[1]);
        }
    }

    private final Path directory;
    private final Map<String, String> machine;
    private final List<Run> runs = new ArrayList<>();

    private IiifLoad(Path directory) throws IOException {
        this.directory = directory;
        LoadResults results = LoadResults.read(directory, RUNS);
        this.machine = results.machine();
        for (Map.Entry<String, Map<String, String>> run : results.summaries().entrySet()) {
            runs.add(read(run.getKey(), run.getValue()));
        }
    }

    /** The section, with its charts written to {@code chartDirectory}; empty if the load test never ran. */
    static String section(Path results, Path chartDirectory) throws IOException {
        Path directory = results.resolve("iiif-load");
        if (!Files.exists(directory.resolve("machine.txt"))) {
            return "";
        }
        IiifLoad load = new IiifLoad(directory);
        boolean charts = load.run("cached") != null && load.run("cached").sampled()
                && load.run("per-request") != null && load.run("per-request").sampled();
        if (charts) {
            save(load.rateChart(), chartDirectory, "iiif-rate");
            save(load.memoryChart(), chartDirectory, "iiif-memory");
        }
        return load.markdown(charts);
    }

    private Run read(String name, Map<String, String> summary) throws IOException {
        List<double[]> rate = new ArrayList<>();
        List<double[]> heap = new ArrayList<>();
        List<double[]> nativeMemory = new ArrayList<>();
        Path rates = directory.resolve("rate-" + name + ".txt");
        Path rss = directory.resolve("rss-" + name + ".txt");
        if (summary.containsKey("startMillis") && Files.exists(rates) && Files.exists(rss)) {
            double start = Long.parseLong(summary.get("startMillis")) / 1000.0;
            double end = Long.parseLong(summary.get("endMillis")) / 1000.0;
            rate.addAll(binnedRate(rates, start, end));
            double heapMiB = 0;
            for (String line : Files.readAllLines(directory.resolve("gc-" + name + ".log"))) {
                Matcher pause = PAUSE.matcher(line);
                if (pause.matches()) {
                    heapMiB = Math.max(heapMiB, Double.parseDouble(pause.group(3)));
                    double at = Long.parseLong(pause.group(1)) / 1000.0;
                    if (at >= start && at <= end) {
                        heap.add(new double[] {at - start, Double.parseDouble(pause.group(2))});
                    }
                }
            }
            // The heap is pre-touched (-XX:+AlwaysPreTouch): resident memory beyond it is native.
            for (String line : Files.readAllLines(rss)) {
                String[] fields = line.strip().split(" ");
                if (fields.length == 2) {
                    double at = Long.parseLong(fields[0]) / 1000.0;
                    nativeMemory.add(new double[] {at - start, Long.parseLong(fields[1]) / 1024.0 - heapMiB});
                }
            }
        }
        return new Run(name, summary, rate, heap, nativeMemory);
    }

    /** Requests per second in BIN_SECONDS bins of the measured run, each over the part of it the run covered. */
    private static List<double[]> binnedRate(Path rates, double start, double end) throws IOException {
        int bins = (int) Math.ceil((end - start) / BIN_SECONDS);
        double[] counts = new double[bins];
        for (String line : Files.readAllLines(rates)) {
            String[] fields = line.strip().split(" ");
            int bin = (int) ((Long.parseLong(fields[0]) + 0.5 - start) / BIN_SECONDS);   // a second by its middle
            counts[Math.clamp(bin, 0, bins - 1)] += Long.parseLong(fields[1]);
        }
        List<double[]> rate = new ArrayList<>();
        for (int bin = 0; bin < bins; bin++) {
            double covered = Math.min(BIN_SECONDS, end - start - bin * BIN_SECONDS);
            rate.add(new double[] {bin * BIN_SECONDS + covered / 2, counts[bin] / covered});
        }
        return rate;
    }

    private String markdown(boolean charts) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("## IIIF: decode once against decoding per request\n\n");
        out.append("`bench/iiif-load` (its header says what it does) starts the server over generated 6000x4000 JPEGs "
                + "(`bench/iiif/GenerateImages.java`: smooth colour fields under sensor-like noise; no photographs were at "
                + "hand; 128 MiB each decoded with their pyramid) and replays OpenSeadragon sessions with "
                + "`bench/wrk/deepzoom.lua` (sessions opening images by Zipf popularity, s = 1: info.json, then the tiles of a "
                + "1024x768 window around a random point at scale factors 16, 8, 4, 2, 1): "
                + "once with `--cache pixmap`, once with `--cache none` (per-request decoding as Cantaloupe's Java2D path: "
                + "ImageIO source region, no subsampling, Java2D scale), then warm over a few images whose sources fit the "
                + "budget (after one connection has walked them for half the run's time). During each run the heap after "
                + "every collection comes from `-Xlog:gc`, the resident memory beyond the pre-touched heap (native memory: "
                + "the cache filling) is sampled each second, and the requests sent each second from the wrk script; the "
                + "rate chart averages them over " + BIN_SECONDS + " s. Raw results: `bench/results/iiif-load/`. One run "
                + "each, on a shared machine: read the numbers as one sample.\n\n");
        out.append("```\n");
        for (String key : List.of("date", "cpu", "memory", "jdk", "commit", "settings", "loadStart", "loadEnd")) {
            if (machine.containsKey(key)) {
                out.append(String.format("%-10s %s%n", key + ":", machine.get(key)));
            }
        }
        out.append("```\n\n```sh\n").append(Files.readString(directory.resolve("commands.txt")).strip()).append("\n```\n\n");
        if (charts) {
            out.append("![IIIF requests per second](iiif-rate.png)\n\n![IIIF heap after GC and native memory](iiif-memory.png)\n\n");
        } else {
            out.append("This run predates the sampling over time (rate, heap after each GC, native memory): no charts; "
                    + "rerun `bench/iiif-load` for them.\n\n");
        }
        out.append("| run | req/s | p50 | p90 | p99 | max | errors | heap after GC during the run | heap used after a full GC "
                + "at the end | native memory, start → end | load avg |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Run run : runs) {
            out.append(String.format("| %s | %,.1f | %,.1f ms | %,.1f ms | %,.1f ms | %,.1f ms | %d | %s | %.0f MiB | %s | %s |%n",
                    run.label(), run.number("rps"), run.number("p50ms"), run.number("p90ms"), run.number("p99ms"),
                    run.number("maxms"), (long) run.number("errors"), run.heapRange(), run.number("heapUsedAfterGc") / 1024,
                    run.nativeRange(), run.summary().getOrDefault("loadAvg", "–")));
        }
        out.append('\n').append(goals()).append('\n');
        return out.toString();
    }

    /** What answered a run's requests, from the server's counters at its end (a run before they were kept says so). */
    private static String answeredBy(Run run) {
        Map<String, String> s = run.summary();
        if (!s.containsKey("derivativeHits") || !s.containsKey("stripHits")) {
            return "no hit counts in this run";
        }
        double derivativeHits = Double.parseDouble(s.get("derivativeHits"));
        double derivativeMisses = Double.parseDouble(s.getOrDefault("derivativeMisses", "0"));
        double stripHits = Double.parseDouble(s.get("stripHits"));
        double stripMisses = Double.parseDouble(s.getOrDefault("stripMisses", "0"));
        return String.format("%s sessions; encoded derivatives hit %.0f %% of %,.0f gets, the rest cut from cached strips "
                        + "(strips hit %.0f %% of %,.0f leases) or waiting for one of %s passes over a file",
                s.getOrDefault("sessions", "?"), 100 * derivativeHits / Math.max(1, derivativeHits + derivativeMisses),
                derivativeHits + derivativeMisses, 100 * stripHits / Math.max(1, stripHits + stripMisses),
                stripHits + stripMisses, s.getOrDefault("passes", "?"));
    }

    /** The issue's goals, each judged within this one run; empty unless the cached and per-request runs ran. */
    private String goals() {
        Run cached = run("cached");
        Run perRequest = run("per-request");
        Run warm = run("warm");
        if (cached == null || perRequest == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        double ratio = cached.number("rps") / perRequest.number("rps");
        out.append(String.format("- **>= 10x the requests/s of per-request decoding: %s, %.0fx** (%,.1f against %,.1f req/s, the "
                        + "same images and sessions; %s).%n",
                ratio >= 10 ? "met" : "missed", ratio, cached.number("rps"), perRequest.number("rps"), answeredBy(cached)));
        if (warm != null) {
            double p99 = warm.number("p99ms");
            out.append(String.format("- **p99 <= 200 ms for tiles of cached sources: %s, %,.1f ms** (the warm run: its sources "
                            + "decoded before it; its few images have a few hundred tiles in all, encoded during the "
                            + "warm-up, so nearly every request is a derivative hit; %s). "
                            + "The cached run's p99 (%,.1f ms) is that of requests waiting for their source's pass.%n",
                    p99 <= 200 ? "met" : "missed", p99, answeredBy(warm), cached.number("p99ms")));
        }
        if (cached.sampled() && !cached.heapAfterGc().isEmpty()) {
            double heapGrowth = max(cached.heapAfterGc()) - min(cached.heapAfterGc());
            double nativeGrowth = max(cached.nativeMemory()) - cached.nativeMemory().getFirst()[1];
            out.append(String.format("- **No pixels on the heap (heap after GC flat as the cache fills): %s.** In the `pixmap` "
                            + "run the heap left after each of %d collections stayed within %.0f–%.0f MiB (%.0f MiB apart) "
                            + "while native memory grew by %.0f MiB (the cache filling); pixels on the heap would have "
                            + "grown it as much (met: under a quarter of it; the rest is encoded derivatives, on the heap "
                            + "by design). Per-request decoding left %.0f–%.0f MiB after its collections.%n",
                    heapGrowth < nativeGrowth / 4 ? "met" : "missed", cached.heapAfterGc().size(), min(cached.heapAfterGc()),
                    max(cached.heapAfterGc()), heapGrowth, nativeGrowth,
                    perRequest.heapAfterGc().isEmpty() ? 0 : min(perRequest.heapAfterGc()),
                    perRequest.heapAfterGc().isEmpty() ? 0 : max(perRequest.heapAfterGc())));
        } else {
            out.append(String.format("- **No pixels on the heap:** read only at the end of each run in this run: %.0f MiB used "
                            + "after a full GC with `pixmap`, %.0f MiB with per-request decoding.%n",
                    cached.number("heapUsedAfterGc") / 1024, perRequest.number("heapUsedAfterGc") / 1024));
        }
        return out.toString();
    }

    private Run run(String name) {
        return runs.stream().filter(run -> run.name().equals(name)).findFirst().orElse(null);
    }

    private XYChart rateChart() {
        XYChart chart = chart("IIIF load: requests per second during the run", "requests/s (log scale)");
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (String name : List.of("cached", "per-request")) {
            Run run = run(name);
            // A log axis refuses 0: a bin in which no request was sent (all waiting on decodes) is drawn at 0.1.
            List<double[]> rate = run.rate().stream().map(point -> new double[] {point[0], Math.max(point[1], 0.1)}).toList();
            add(chart, "--cache " + run.summary().get("cache"), rate, name.equals("cached") ? PIXMAP : NONE, true);
            lowest = Math.min(lowest, min(rate));
            highest = Math.max(highest, max(rate));
        }
        // Whole decades around the data, so that the axis has labels even when the data spans less than one.
        double floor = Math.floor(Math.log10(lowest));
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(Math.pow(10, floor));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.max(floor + 1, Math.ceil(Math.log10(highest)))));
        return chart;
    }

    private XYChart memoryChart() {
        XYChart chart = chart("IIIF load: heap after each GC, and native memory as the cache fills", "MiB");
        chart.getStyler().setYAxisMin(0.0);
        for (String name : List.of("cached", "per-request")) {
            Run run = run(name);
            Color colour = name.equals("cached") ? PIXMAP : NONE;
            String cache = "--cache " + run.summary().get("cache");
            if (!run.heapAfterGc().isEmpty()) {
                add(chart, "heap after GC, " + cache, run.heapAfterGc(), colour, true);
            }
            add(chart, "native (resident beyond the heap), " + cache, run.nativeMemory(), colour.brighter(), false);
        }
        return chart;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(1000).height(560).title(title)
                .xAxisTitle("seconds into the measured run").yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        return chart;
    }

    private static void add(XYChart chart, String name, List<double[]> points, Color colour, boolean markers) {
        double[] x = points.stream().mapToDouble(point -> point[0]).toArray();
        double[] y = points.stream().mapToDouble(point -> point[1]).toArray();
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(colour);
        series.setMarkerColor(colour);
        series.setMarker(markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    }

    private static double min(List<double[]> points) {
        return points.stream().mapToDouble(point -> point[1]).min().orElse(0);
    }

    private static double max(List<double[]> points) {
        return points.stream().mapToDouble(point -> point[1]).max().orElse(0);
    }

    private static void save(XYChart chart, Path directory, String name) throws IOException {
        BitmapEncoder.saveBitmap(chart, directory.resolve(name + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
