package io.github.pixmapcache.internal.jfr;

import io.github.pixmapcache.CacheStats;
import io.github.pixmapcache.PixmapCache;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** The counters of every open cache ({@link OpenCaches}), once a second while a recording has the event on. */
@Name("io.github.pixmapcache.Statistics")
@Label("Pixmap Cache Statistics")
@Category("Pixmap Cache")
@Description("A snapshot of a cache's counters (CacheStats) and its budget")
@Period("1 s")
@StackTrace(false)
public final class StatisticsEvent extends Event {
    @Label("Cache")
    String cache;

    @Label("Hits")
    long hits;

    @Label("Misses")
    long misses;

    @Label("Hit Rate")
    @Percentage
    double hitRate;

    @Label("Insertions")
    long insertions;

    @Label("Evictions")
    long evictions;

    @Label("Rejected Insertions")
    @Description("Pixmaps refused because they were larger than the budget")
    long rejectedInsertions;

    @Label("Allocation Failures")
    long allocationFailures;

    @Label("Entries")
    int entries;

    @Label("Used Bytes")
    @DataAmount(DataAmount.BYTES)
    long usedBytes;

    @Label("Maximum Bytes")
    @DataAmount(DataAmount.BYTES)
    long maximumBytes;

    @Label("Leased Detached Bytes")
    @DataAmount(DataAmount.BYTES)
    @Description("Bytes of pixmaps no longer in the cache but still pinned by leases")
    long leasedDetachedBytes;

    /** Records the counters of {@code cache}, unless it was closed meanwhile. */
    static void record(PixmapCache<?> cache) {
        CacheStats stats;
        long maximumBytes;
        try {
            stats = cache.stats();
            maximumBytes = cache.maximumBytes();
        } catch (IllegalStateException closedMeanwhile) {
            return;
        }
        StatisticsEvent event = new StatisticsEvent();
        event.cache = CacheId.of(cache);
        event.hits = stats.hits();
        event.misses = stats.misses();
        event.hitRate = stats.hitRate();
        event.insertions = stats.insertions();
        event.evictions = stats.evictions();
        event.rejectedInsertions = stats.rejectedInsertions();
        event.allocationFailures = stats.allocationFailures();
        event.entries = stats.entries();
        event.usedBytes = stats.usedBytes();
        event.maximumBytes = maximumBytes;
        event.leasedDetachedBytes = stats.leasedDetachedBytes();
        event.commit();
    }
}
