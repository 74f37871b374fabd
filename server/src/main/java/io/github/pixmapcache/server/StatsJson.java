package io.github.pixmapcache.server;

import io.github.pixmapcache.CacheStats;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.server.encoded.EncodedTier;
import io.github.pixmapcache.server.iiif.IiifService;
import io.github.pixmapcache.server.tiles.CacheNumbers;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/** The JSON of {@code GET /stats}: the metatile cache's counters (the encoded tier's in {@code "tiles"}, IIIF's strips' in {@code "iiif"}), render and encode percentiles, the heap and GC. */
final class StatsJson {
    private StatsJson() {
    }

    static String of(String cacheKind, CacheNumbers cache, int renders, int renderQueue, Timer renderTime,
                     Timer encodeTime) {
        StringJoiner json = new StringJoiner(",", "{", "}");
        json.add(field("cache", "\"" + cacheKind + "\""));
        json.add(field("hits", cache.hits()));
        json.add(field("misses", cache.misses()));
        json.add(field("hitRatio", String.format(Locale.ROOT, "%.4f", cache.hitRatio())));
        json.add(field("renders", renders));
        json.add(field("renderQueue", renderQueue));
        json.add(field("evictions", cache.evictions()));
        json.add(field("entries", cache.entries()));
        json.add(field("usedBytes", cache.usedBytes()));
        json.add(field("maximumBytes", cache.maximumBytes()));
        json.add(field("leasedBytes", cache.leasedBytes()));
        json.add(field("allocationFailures", cache.allocationFailures()));
        json.add(field("renderMs", percentiles(renderTime)));
        json.add(field("encodeMs", percentiles(encodeTime)));
        json.add(field("heapUsedBytes", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
        long collections = 0;
        long collectionMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections += Math.max(0, gc.getCollectionCount());
            collectionMillis += Math.max(0, gc.getCollectionTime());
        }
        json.add(field("gcCount", collections));
        json.add(field("gcMillis", collectionMillis));
        return json.toString();
    }

    /** The {@code "tiles"} object: the encoded tier's counters, in the field names of the metatile tier's. */
    static String of(EncodedTier.Numbers tier) {
        StringJoiner json = new StringJoiner(",", "{", "}");
        json.add(field("hits", tier.hits()));
        json.add(field("misses", tier.misses()));
        json.add(field("hitRatio", String.format(Locale.ROOT, "%.4f", tier.hitRatio())));
        json.add(field("waits", tier.waits()));
        json.add(field("encodes", tier.encodes()));
        json.add(field("encodeFailures", tier.encodeFailures()));
        json.add(field("puts", tier.puts()));
        json.add(field("evictions", tier.evictions()));
        json.add(field("entries", tier.entries()));
        json.add(field("usedBytes", tier.usedBytes()));
        json.add(field("maximumBytes", tier.maximumBytes()));
        return json.toString();
    }

    /**
     * The {@code "iiif"} object: the passes over source files, the strips requests leased (hits and
     * misses, once per lease: the cache's own counters count a miss's lookups after its pass again),
     * and the decoded strips' cache.
     */
    static String iiif(PixmapCache<?> strips, long decodes, IiifService.StripLeases leases) {
        CacheStats stats = strips.stats();
        StringJoiner json = new StringJoiner(",", "{", "}");
        json.add(field("decodes", decodes));
        json.add(field("hits", leases.hits()));
        json.add(field("misses", leases.misses()));
        json.add(field("evictions", stats.evictions()));
        json.add(field("entries", stats.entries()));
        json.add(field("usedBytes", stats.usedBytes()));
        json.add(field("maximumBytes", strips.maximumBytes()));
        json.add(field("leasedBytes", stats.leasedDetachedBytes()));
        return json.toString();
    }

    /** {"p50":…,"p99":…} in milliseconds, from the timer's sliding window. */
    static String percentiles(Timer timer) {
        StringJoiner json = new StringJoiner(",", "{", "}");
        for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
            json.add(field("p" + Math.round(value.percentile() * 100),
                    String.format(Locale.ROOT, "%.3f", value.value(TimeUnit.MILLISECONDS))));
        }
        json.add(field("count", timer.count()));
        return json.toString();
    }

    private static String field(String name, Object value) {
        return "\"" + name + "\":" + value;
    }
}
