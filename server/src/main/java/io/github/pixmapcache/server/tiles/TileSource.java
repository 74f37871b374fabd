package io.github.pixmapcache.server.tiles;

import io.github.pixmapcache.server.encoded.EncodedBody;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.io.ByteBufferPool;

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
    default byte[] png(TileAddress tile) {
        return png(tile, () -> { });
    }

    /**
     * The PNG bytes of {@code tile}, as {@link #png(TileAddress)}; runs {@code rendered} once if this
     * call rendered the tile's metatile, when the metatile is cached (a tile source without metatiles
     * never runs it).
     *
     * @throws Overloaded if a render was needed and the render queue is full
     */
    byte[] png(TileAddress tile, Runnable rendered);

    /**
     * The PNG bytes of {@code tile} as {@link #png(TileAddress)}, as a body to write and then close
     * (exactly once, when the write ends, on whatever thread): a native encoded tier's body holds a buffer
     * of {@code buffers}.
     *
     * @param tile    the tile
     * @param buffers the server's buffer pool, where a native encoded tier copies the bytes to
     * @return its PNG bytes, open
     * @throws Overloaded if a render was needed and the render queue is full
     */
    default EncodedBody body(TileAddress tile, ByteBufferPool buffers) {
        return EncodedBody.of(png(tile));
    }

    /** The PNG bytes of {@code tile} cut from its metatile if that is cached now, else null: never renders. */
    byte[] pngIfCached(TileAddress tile);

    /** The cache's counters now. */
    CacheNumbers numbers();

    /** Registers the cache's meters (hits, misses, evictions, bytes) with {@code registry}. */
    void bindTo(MeterRegistry registry);

    /** Lets go of every cached metatile; requests still running may finish. */
    @Override
    void close();
}
