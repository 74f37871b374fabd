package io.github.pixmapcache.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.CountingNativeAllocator;
import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocationException;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import io.github.pixmapcache.PixmapLoader;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every meter of the binder against a real cache, value by value. */
class PixmapCacheMetricsTest {
    /** 64x64 BGRA: 16 KiB a pixmap, so a 64 KiB budget holds four. */
    private static final int SIDE = 64;
    private static final long PIXMAP_BYTES = SIDE * SIDE * 4;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final CountingNativeAllocator allocator = new CountingNativeAllocator();

    @Test
    void countsWhatTheCacheDidTaggedByName() {
        try (PixmapCache<String> cache = CountingNativeAllocator.using(PixmapCache.<String>builder(), allocator)
                .maximumBytes(4 * PIXMAP_BYTES).evictionPolicy(EvictionPolicy.LRU).build()) {
            PixmapCacheMetrics<String> metrics = PixmapCacheMetrics.monitor(registry, cache, "tiles", "tier", "l1");
            PixmapLoader<String> loader = metrics.recording((key, pixels) -> {
                sleepMillis(2);
                Pixmap pixmap = pixels.allocate(SIDE, SIDE, PixelFormat.BGRA_8888_PRE);
                pixmap.fill(0xFF336699);
                return pixmap;
            });
            for (int i = 0; i < 6; i++) {
                cache.computeIfAbsent("k" + i, loader).close();   // 6 misses, 6 loads, k0 and k1 evicted (LRU)
            }
            cache.computeIfAbsent("k5", loader).close();            // a hit, no load
            PixmapLoader<String> failing = metrics.recording((key, pixels) -> {
                throw new IllegalStateException("no pixels");
            });
            assertThrows(IllegalStateException.class, () -> cache.computeIfAbsent("bad", failing));
            allocator.failNextAllocation();
            assertThrows(PixmapAllocationException.class, () -> cache.computeIfAbsent("oom", loader));
            PixmapLease held = cache.find("k4");
            cache.remove("k4");   // out of the cache, still leased

            assertEquals(2, counter("cache.gets", "result", "hit"));   // the computeIfAbsent of k5 and the find
            assertEquals(cache.stats().misses(), counter("cache.gets", "result", "miss"));
            assertTrue(cache.stats().misses() >= 6);
            assertEquals(2, counter("cache.evictions"));
            assertEquals(6, counter("cache.puts"));
            assertEquals(3, gauge("cache.size"));
            assertEquals(6, counter("cache.load", "result", "success"));
            assertEquals(2, counter("cache.load", "result", "failure"));
            TimeGauge loadTime = registry.get("cache.load.duration").tag("cache", "tiles").timeGauge();
            assertTrue(loadTime.value(TimeUnit.MILLISECONDS) >= 6 * 2, "load time adds up the loaders' sleeps");
            assertEquals(3 * PIXMAP_BYTES, gauge("cache.used"));
            assertEquals(4 * PIXMAP_BYTES, gauge("cache.maximum"));
            assertEquals(PIXMAP_BYTES, gauge("cache.leased"));
            assertEquals(1, counter("cache.allocation.failures"));
            assertEquals("bytes", registry.get("cache.used").gauge().getId().getBaseUnit());
            held.close();
            assertEquals(0, gauge("cache.leased"));
        }
        assertTrue(Double.isNaN(gauge("cache.used")), "a closed cache reads NaN, not a stale number");
        assertEquals(0, allocator.liveBytes());
    }

    private double counter(String name, String... tags) {
        FunctionCounter counter = registry.get(name).tag("cache", "tiles").tag("tier", "l1").tags(tags).functionCounter();
        return counter.count();
    }

    private double gauge(String name) {
        Gauge gauge = registry.get(name).tag("cache", "tiles").tag("tier", "l1").gauge();
        return gauge.value();
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
