package io.github.pixmapcache.server.tiles;

import io.github.pixmapcache.CacheStats;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import io.github.pixmapcache.PixmapLoader;
import io.github.pixmapcache.server.metrics.PixmapCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Metatiles in pixmap-cache's native memory. A miss renders the whole metatile once, in cache memory,
 * however many requests for its tiles arrive meanwhile ({@code computeIfAbsent}'s single flight);
 * each tile is then encoded from its region of the leased metatile, never copied out.
 */
public final class PixmapTileSource implements TileSource {
    private final PixmapCache<Metatile> cache;
    private final PixmapCacheMetrics<Metatile> metrics;
    private final PixmapLoader<Metatile> loader;
    private final TileEncoder encoder;
    private final int metatileSize;

    public PixmapTileSource(PixmapCache<Metatile> cache, MetatileLoader loader, TileEncoder encoder, int metatileSize) {
        this.cache = cache;
        this.metrics = new PixmapCacheMetrics<>(cache, "metatiles", Tags.empty());
        this.loader = metrics.recording(loader);
        this.encoder = encoder;
        this.metatileSize = metatileSize;
    }

    @Override
    public byte[] png(TileAddress tile) {
        Metatile metatile = Metatile.of(tile, metatileSize);
        try (PixmapLease lease = cache.computeIfAbsent(metatile, loader)) {
            return encoder.encode(lease.pixmap(), metatile.offsetX(tile), metatile.offsetY(tile));
        }
    }

    @Override
    public CacheNumbers numbers() {
        CacheStats stats = cache.stats();
        return new CacheNumbers(stats.hits(), stats.misses(), stats.evictions(), stats.entries(), stats.usedBytes(),
                cache.maximumBytes(), stats.leasedDetachedBytes(), stats.allocationFailures());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        metrics.bindTo(registry);
    }

    @Override
    public void close() {
        cache.close();
    }
}
