package io.github.pixmapcache.bench.replay;

/** One (trace, mode, capacity) of BASELINES.md with what LRU and our default policy measured there. */
record Cell(Baseline baseline, Replay.Result lru, Replay.Result ours) {
    /** The goal: no lower than the better of LRU and Caffeine, less one point. */
    double floor() {
        return Math.max(baseline.lru(), baseline.caffeine()) - 1;
    }

    boolean meetsFloor() {
        return ours.hitRatio() >= floor();
    }

    /** OPT, or its feasible lower bound L where only bounds are known. */
    double opt() {
        return baseline.optLow();
    }
}
