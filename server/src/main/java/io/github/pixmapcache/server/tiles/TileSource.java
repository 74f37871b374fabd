package io.github.pixmapcache.server.tiles;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Where tiles come from: a cache of metatiles and the renderer behind it, and in front of a cache the
 * {@link EncodedTiles} tier of PNG bytes. The three kinds are what the load test compares
 * ({@code --cache pixmap|caffeine|none}).
 */
public sealed interface TileSource extends AutoCloseable
        permits PixmapTileSource, CaffeineTileSource, UncachedTileSource, EncodedTiles {

    /**
     * The PNG bytes of {@code tile}, rendering its metatile first if it is not cached.
     *
     * @throws Overloaded if a render was needed and the render queue is full
     */
    byte[] png(TileAddress tile);

    /** The cache's counters now. */
    CacheNumbers numbers();

    /** Registers the cache's meters (hits, misses, evictions, bytes) with {@code registry}. */
    void bindTo(MeterRegistry registry);

    /** Lets go of every cached metatile; requests still running may finish. */
    @Override
    void close();
}
