package io.github.pixmapcache.internal.jfr;

import io.github.pixmapcache.CacheStats;
import io.github.pixmapcache.PixmapCache;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Percentage;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * The counters of every open cache, once a second while a recording has the event on: JFR calls
 * the hook only then. Caches are held weakly, so that one dropped without {@code close()} is not
 * kept alive by the registry.
 */
@Name("io.github.pixmapcache.Statistics")
@Label("Pixmap Cache Statistics")
@Category("Pixmap Cache")
@Description("A snapshot of a cache's counters (CacheStats) and its budget")
@Period("1 s")
@StackTrace(false)
public final class StatisticsEvent extends Event {
    private static final Map<PixmapCache<?>, Boolean> OPEN_CACHES = Collections.synchronizedMap(new WeakHashMap<>());

    static {
        FlightRecorder.addPeriodicEvent(StatisticsEvent.class, StatisticsEvent::recordOpenCaches);
    }

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

    /** Includes {@code cache} in the statistics from now until {@link #unregister}. */
    public static void register(PixmapCache<?> cache) {
        OPEN_CACHES.put(cache, Boolean.TRUE);
    }

    /** Leaves {@code cache} out of the statistics: it is closed. */
    public static void unregister(PixmapCache<?> cache) {
        OPEN_CACHES.remove(cache);
    }

    private static void recordOpenCaches() {
        List<PixmapCache<?>> caches;
        synchronized (OPEN_CACHES) {
            caches = new ArrayList<>(OPEN_CACHES.keySet());
        }
        for (PixmapCache<?> cache : caches) {
            record(cache);
        }
    }

    private static void record(PixmapCache<?> cache) {
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
