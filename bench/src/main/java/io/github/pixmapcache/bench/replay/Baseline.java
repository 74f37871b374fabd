package io.github.pixmapcache.bench.replay;

/**
 * One row of BASELINES.md: hit ratios in percent. Count-based rows have the object hit ratios
 * only (the OPT bounds equal); size-aware rows have byte hit ratios too, and OPT as bounds [L, U].
 */
record Baseline(Mode mode, String trace, int percent, long capacity,
        double lru, double caffeine, double optLow, double optHigh,
        double lruBytes, double caffeineBytes, double optBytesLow, double optBytesHigh) {}
