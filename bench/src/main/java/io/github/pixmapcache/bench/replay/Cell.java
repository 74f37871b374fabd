package io.github.pixmapcache.bench.replay;

import java.util.Map;

/**
 * One (trace, mode, capacity) of BASELINES.md with what LRU and our default policy measured there,
 * and the published policies' hit ratios in that cell (BASELINES-SOTA.csv; empty without it).
 */
record Cell(Baseline baseline, Replay.Result lru, Replay.Result ours, Map<String, double[]> published) {
    /** Points a cell may lie below the better of LRU and Caffeine. */
    static final double FLOOR_MARGIN = 0.5;

    /** The goal: no lower than the better of LRU and Caffeine, less {@value #FLOOR_MARGIN} points. */
    double floor() {
        return Math.max(baseline.lru(), baseline.caffeine()) - FLOOR_MARGIN;
    }

    /** The best published online policy's hit ratio here, or NaN without them. */
    double bestPublished() {
        return bestPublished(0);
    }

    /** The best published online policy's byte hit ratio here, or NaN without them. */
    double bestPublishedBytes() {
        return bestPublished(1);
    }

    private double bestPublished(int measure) {
        return published.values().stream().mapToDouble(r -> r[measure]).filter(r -> !Double.isNaN(r)).max()
                .orElse(Double.NaN);
    }

    boolean meetsFloor() {
        return ours.hitRatio() >= floor();
    }

    /** OPT, or its feasible lower bound L where only bounds are known. */
    double opt() {
        return baseline.optLow();
    }
}
