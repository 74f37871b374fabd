package io.github.pixmapcache;

/** Which cached pixmap makes room for a new one when the byte budget is full. */
public enum EvictionPolicy {
    /**
     * Least recently used first, in exactly the order of Qt's {@code QPixmapCache}: an insert or a
     * successful find makes an entry the most recently used.
     */
    LRU,
    /**
     * Adaptive, size-aware Window-TinyLFU, the default: a small LRU window for new pixmaps in front
     * of a segmented LRU main space, entry to main decided by how often a pixmap was requested
     * lately per byte it takes, and the window's share tuned to the workload by hill climbing.
     * Scans and one-off large pixmaps do not flush frequently used ones; recency-driven workloads
     * get close to LRU. A newly inserted pixmap may lose against the cached ones and be evicted at
     * once (counted as an eviction); the insert still succeeds. See {@code bench/HITRATIO.md}.
     */
    WINDOW_TINY_LFU
}
