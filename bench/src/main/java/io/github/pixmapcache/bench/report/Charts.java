package io.github.pixmapcache.bench.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** The report's charts, drawn with XChart as PNG files. */
final class Charts {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 560;

    private final Scores scores;
    private final List<GcRun> gcRuns;

    Charts(Scores scores, List<GcRun> gcRuns) {
        this.scores = scores;
        this.gcRuns = gcRuns;
    }

    void writeTo(Path directory) throws IOException {
        for (int threads = 1; threads <= 2; threads++) {
            save(throughput("Find-hit, read one pixel, close: " + threads + (threads == 1 ? " thread" : " threads"),
                    Report.FINDS, threads), directory, "find-" + threads + "t");
        }
        save(throughput("Mixed 90% find / 10% insert: 2 threads", Report.MIXES, Report.MIXED_THREADS),
                directory, "mixed");
        save(throughput("Eviction churn: inserts into a full cache, 1 thread", Report.CHURNS, 1), directory, "churn");
        save(insertBandwidth(), directory, "insert-gbps");
        save(gcPauses(), directory, "gc-pauses");
    }

    /** Operations per second of all threads together, by pixmap size, one bar per benchmark. */
    private CategoryChart throughput(String title, String[] benchmarks, int threads) {
        CategoryChart chart = chart(title, "pixmap size", "operations per second, all threads (log scale)");
        double lowest = Double.MAX_VALUE;
        double highest = 0;
        for (String benchmark : benchmarks) {
            List<Double> rates = new ArrayList<>();
            for (int side : Report.SIDES) {
                double rate = threads * 1e9 / scores.time(benchmark, threads, side).score();
                rates.add(rate);
                lowest = Math.min(lowest, rate);
                highest = Math.max(highest, rate);
            }
            chart.addSeries(Report.method(benchmark), sizes(), rates).setFillColor(colourOf(benchmark));
        }
        // Whole decades around the data: XChart's bars would otherwise start at 0, which a log axis refuses.
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lowest))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(highest))));
        return chart;
    }

    /** GB/s of every insert next to the copy limit, with JMH's error as error bars. */
    private CategoryChart insertBandwidth() {
        CategoryChart chart = chart("Insert throughput against the raw copy limit, 1 thread", "pixmap size", "GB/s");
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        for (String benchmark : Report.INSERTS) {
            List<Double> rates = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (int side : Report.SIDES) {
                Scores.Value time = scores.time(benchmark, 1, side);
                double rate = 4.0 * side * side / time.score();
                rates.add(rate);
                errors.add(Double.isNaN(time.error()) ? 0 : rate * time.error() / time.score());
            }
            chart.addSeries(Report.method(benchmark), sizes(), rates, errors).setFillColor(colourOf(benchmark));
        }
        return chart;
    }

    /** p99 and longest pause of each cache's steady phase. */
    private CategoryChart gcPauses() {
        CategoryChart chart = chart("GC pauses in the steady phase: 4 GiB of pixels cached vs none", "cache",
                "pause (ms)");
        List<String> modes = new ArrayList<>();
        List<Double> median = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> longest = new ArrayList<>();
        for (GcRun run : gcRuns) {
            modes.add(run.mode + " (" + run.pauses.size() + " pauses)");
            median.add(run.medianPause());
            p99.add(run.p99Pause());
            longest.add(run.longestPause());
        }
        chart.addSeries("median pause", modes, median);
        chart.addSeries("p99 pause", modes, p99);
        chart.addSeries("longest pause", modes, longest);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setYAxisDecimalPattern("#,##0.#");
        return chart;
    }

    /** One colour per structure in every chart: ours blue (by Key: light blue), the copy limit grey. */
    private static Color colourOf(String benchmark) {
        String method = Report.method(benchmark).toLowerCase(Locale.ROOT);
        if (method.contains("copylimit")) {
            return new Color(0x808080);
        } else if (method.contains("caffeine")) {
            return new Color(0xE69F00);
        } else if (method.contains("concurrenthashmap")) {
            return new Color(0x009E73);
        } else if (method.contains("ohcgetdirect")) {
            return new Color(0xF0A0A0);
        } else if (method.contains("ohc")) {
            return new Color(0xD55E00);
        } else if (method.contains("bykey")) {
            return new Color(0x56B4E9);
        }
        return new Color(0x0072B2);
    }

    static CategoryChart chart(String title, String xTitle, String yTitle) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        chart.getStyler().setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        return chart;
    }

    private static List<String> sizes() {
        List<String> sizes = new ArrayList<>();
        for (int side : Report.SIDES) {
            sizes.add(Report.size(side));
        }
        return sizes;
    }

    static void save(CategoryChart chart, Path directory, String name) throws IOException {
        BitmapEncoder.saveBitmap(chart, directory.resolve(name + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
