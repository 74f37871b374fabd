package io.github.pixmapcache.server.metrics;

import io.github.pixmapcache.CacheStats;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLoader;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Micrometer meters for a {@link PixmapCache}, in the shape of Micrometer's own
 * {@code CaffeineCacheMetrics}: the common {@code cache.gets} (hit/miss), {@code cache.puts},
 * {@code cache.evictions} and {@code cache.size}, plus {@code cache.load} (success/failure),
 * {@code cache.load.duration}, {@code cache.used}, {@code cache.maximum} and {@code cache.leased}
 * (bytes), and {@code cache.allocation.failures}, every one tagged {@code cache=<name>}.
 *
 * <p>The cache counts hits, misses and bytes itself; loads are counted here, by the loaders that
 * {@link #recording} wraps, since a cache cannot know what its callers' loaders cost.
 *
 * <pre>{@code
 * PixmapCacheMetrics<String> metrics = PixmapCacheMetrics.monitor(registry, cache, "tiles");
 * cache.computeIfAbsent(key, metrics.recording(loader));
 * }</pre>
 *
 * @param <K> the cache's key type
 */
public final class PixmapCacheMetrics<K> extends CacheMeterBinder<PixmapCache<K>> {
    private final LongAdder loadSuccesses = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder loadNanos = new LongAdder();

    public PixmapCacheMetrics(PixmapCache<K> cache, String cacheName, Iterable<Tag> tags) {
        super(cache, cacheName, tags);
    }

    /** Binds meters for {@code cache} to {@code registry} and returns them, for {@link #recording}. */
    public static <K> PixmapCacheMetrics<K> monitor(MeterRegistry registry, PixmapCache<K> cache,
                                                    String cacheName, String... tags) {
        PixmapCacheMetrics<K> metrics = new PixmapCacheMetrics<>(cache, cacheName, Tags.of(tags));
        metrics.bindTo(registry);
        return metrics;
    }

    /** {@code loader}, counting each run as a success or a failure and adding up its time. */
    public PixmapLoader<K> recording(PixmapLoader<K> loader) {
        return (key, allocator) -> {
            long start = System.nanoTime();
            boolean loaded = false;
            try {
                Pixmap pixmap = loader.load(key, allocator);
                loaded = true;
                return pixmap;
            } finally {
                loadNanos.add(System.nanoTime() - start);
                (loaded ? loadSuccesses : loadFailures).increment();
            }
        };
    }

    @Override
    protected Long size() {
        return stat(s -> (long) s.entries());
    }

    @Override
    protected long hitCount() {
        return stat(CacheStats::hits);
    }

    @Override
    protected Long missCount() {
        return stat(CacheStats::misses);
    }

    @Override
    protected Long evictionCount() {
        return stat(CacheStats::evictions);
    }

    @Override
    protected long putCount() {
        return stat(CacheStats::insertions);
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        Iterable<Tag> tags = getTagsWithCacheName();
        FunctionCounter.builder("cache.load", loadSuccesses, LongAdder::sum).tags(tags).tag("result", "success")
                .description("Loader runs that returned a pixmap").register(registry);
        FunctionCounter.builder("cache.load", loadFailures, LongAdder::sum).tags(tags).tag("result", "failure")
                .description("Loader runs that threw").register(registry);
        TimeGauge.builder("cache.load.duration", loadNanos, TimeUnit.NANOSECONDS, LongAdder::sum).tags(tags)
                .description("Time spent in loaders, in total").register(registry);
        bytesGauge(registry, "cache.used", "Bytes of pixels in the cache", PixmapCache::usedBytes);
        bytesGauge(registry, "cache.maximum", "The cache's byte budget", PixmapCache::maximumBytes);
        bytesGauge(registry, "cache.leased", "Bytes out of the cache but still leased",
                cache -> cache.stats().leasedDetachedBytes());
        FunctionCounter.builder("cache.allocation.failures", this, m -> m.stat(CacheStats::allocationFailures))
                .tags(tags).description("Native allocations that failed").register(registry);
        FunctionCounter.builder("cache.rejected.insertions", this, m -> m.stat(CacheStats::rejectedInsertions))
                .tags(tags).description("Pixmaps too large for the budget, not cached").register(registry);
    }

    private void bytesGauge(MeterRegistry registry, String name, String description,
                            ToDoubleFunction<PixmapCache<K>> value) {
        Gauge.builder(name, this, m -> m.read(value))
                .tags(getTagsWithCacheName()).baseUnit(BaseUnits.BYTES).description(description).register(registry);
    }

    private long stat(ToLongFunction<CacheStats> field) {
        double value = read(cache -> field.applyAsLong(cache.stats()));
        return Double.isNaN(value) ? 0 : (long) value;
    }

    /** {@code value} of the cache, or NaN once the cache is collected or closed. */
    private double read(ToDoubleFunction<PixmapCache<K>> value) {
        PixmapCache<K> cache = getCache();
        if (cache == null) {
            return Double.NaN;
        }
        try {
            return value.applyAsDouble(cache);
        } catch (IllegalStateException closed) {
            return Double.NaN;
        }
    }
}
