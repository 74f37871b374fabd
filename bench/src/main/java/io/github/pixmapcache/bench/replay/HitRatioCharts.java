package io.github.pixmapcache.bench.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws hit ratio against capacity for one trace and mode, one line per policy, as a PNG. */
final class HitRatioCharts {
    private HitRatioCharts() {}

    /** Writes the chart of {@code cells} (one trace and mode, ascending capacity) to {@code file}. */
    static void write(List<Cell> cells, String ours, Path file) throws IOException {
        Baseline first = cells.getFirst().baseline();
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title(first.trace() + " (" + first.mode().title + ")")
                .xAxisTitle("capacity (% of " + (first.mode() == Mode.SIZE ? "footprint bytes" : "distinct keys") + ")")
                .yAxisTitle("hit ratio (%)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setYAxisMin(0.0);
        double[] capacities = cells.stream().mapToDouble(c -> c.baseline().percent()).toArray();
        series(chart, first.mode() == Mode.SIZE ? "OPT (lower bound L)" : "OPT", capacities, cells, Cell::opt);
        series(chart, ours + " (ours)", capacities, cells, c -> c.ours().hitRatio());
        series(chart, "Caffeine W-TinyLFU", capacities, cells, c -> c.baseline().caffeine());
        series(chart, "LRU (BASELINES.md)", capacities, cells, c -> c.baseline().lru());
        series(chart, "LRU (measured)", capacities, cells, c -> c.lru().hitRatio())
                .setMarker(SeriesMarkers.CROSS);
        String peer = first.mode() == Mode.SIZE ? "GDSF" : "LIRS";  // the best single published policy per mode
        if (cells.stream().allMatch(c -> c.published().containsKey(peer))) {
            series(chart, peer + " (libCacheSim)", capacities, cells, c -> c.published().get(peer)[0]);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static XYSeries series(XYChart chart, String name, double[] capacities, List<Cell> cells,
            ToDoubleFunction<Cell> hitRatio) {
        return chart.addSeries(name, capacities, cells.stream().mapToDouble(hitRatio).toArray());
    }
}
