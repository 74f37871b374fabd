package io.github.pixmapcache;

/** Which cached pixmap makes room for a new one when the byte budget is full. */
public enum EvictionPolicy {
    /**
     * Least recently used first, in exactly the order of Qt's {@code QPixmapCache}: an insert or a
     * successful find makes an entry the most recently used.
     */
    LRU,
    /**
     * Adaptive, size-aware Window-TinyLFU: a small LRU window for new pixmaps in front
     * of a segmented LRU main space, entry to main decided by how often a pixmap was requested
     * lately per byte it takes, and the window's share tuned to the workload by hill climbing.
     * Scans and one-off large pixmaps do not flush frequently used ones; recency-driven workloads
     * get close to LRU. A newly inserted pixmap may lose against the cached ones and be evicted at
     * once (counted as an eviction); the insert still succeeds. See {@code bench/HITRATIO.md}.
     */
    WINDOW_TINY_LFU,
    /**
     * The default: chooses by how much the pixmaps' sizes vary. While the pixmaps added lately are
     * about one size (tiles of one format, say), it is {@link #WINDOW_TINY_LFU}. While their sizes
     * vary (their log2 sizes spread by more than 1, back below 0.5), it is GreedyDual-Size-Frequency:
     * the pixmap with the lowest {@code L + frequency / bytes} leaves first, where the frequency is
     * TinyLFU's estimate of how often the key was requested lately (kept after the pixmap left) and
     * {@code L} the priority of the last pixmap evicted, so that old popularity fades. Many small,
     * often requested pixmaps then stay in place of a few large ones, which wins object hits; a
     * large one stays when it is requested as many times more often as it is larger. A newly
     * inserted pixmap may be the least valuable and be evicted at once (counted as an eviction);
     * the insert still succeeds. See {@code bench/HITRATIO.md}.
     */
    ADAPTIVE
}
