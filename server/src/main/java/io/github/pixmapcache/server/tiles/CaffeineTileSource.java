package io.github.pixmapcache.server.tiles;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.Timer;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The obvious alternative a user would build: Caffeine holding each metatile as an on-heap
 * {@code int[]} of BGRA pixels, weighed by its bytes, behind the same {@link EncodedTiles} tier as
 * the pixmap cache, so that both of its tiers are on the heap. Same single flight (Caffeine's
 * {@code get}), same renderer and same encoder, so the comparison isolates where the pixels live.
 */
public final class CaffeineTileSource implements TileSource {
    private final Cache<Metatile, int[]> cache;
    private final long maximumBytes;
    private final RenderPool renderPool;
    private final Timer renderTime;
    private final TileEncoder encoder;
    private final int metatileSize;

    public CaffeineTileSource(long maximumBytes, RenderPool renderPool, Timer renderTime, TileEncoder encoder,
                              int metatileSize) {
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maximumBytes)
                .<Metatile, int[]>weigher((metatile, pixels) -> pixels.length * Integer.BYTES)
                .recordStats()
                .build();
        this.maximumBytes = maximumBytes;
        this.renderPool = renderPool;
        this.renderTime = renderTime;
        this.encoder = encoder;
        this.metatileSize = metatileSize;
    }

    @Override
    public byte[] png(TileAddress tile, Runnable rendered) {
        Metatile metatile = Metatile.of(tile, metatileSize);
        boolean[] renderedHere = new boolean[1]; // set by the load, which runs on this thread if at all
        int[] pixels = cache.get(metatile, key -> {
            int[] block = render(key);
            renderedHere[0] = true;
            return block;
        });
        byte[] png = cut(pixels, metatile, tile);
        if (renderedHere[0]) {
            rendered.run();
        }
        return png;
    }

    @Override
    public byte[] pngIfCached(TileAddress tile) {
        Metatile metatile = Metatile.of(tile, metatileSize);
        int[] pixels = cache.getIfPresent(metatile);
        return pixels == null ? null : cut(pixels, metatile, tile);
    }

    private byte[] cut(int[] pixels, Metatile metatile, TileAddress tile) {
        return encoder.encode(pixels, metatile.pixelsPerSide(), metatile.offsetX(tile), metatile.offsetY(tile));
    }

    private int[] render(Metatile metatile) {
        try (RenderPool.Admission admission = renderPool.admit()) {
            int side = metatile.pixelsPerSide();
            int[] pixels = new int[side * side];
            long start = System.nanoTime();
            admission.render(MemorySegment.ofArray(pixels), (long) side * Integer.BYTES, metatile.z(),
                    metatile.originX(), metatile.originY(), side, side);
            renderTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return pixels;
        }
    }

    @Override
    public CacheNumbers numbers() {
        CacheStats stats = cache.stats();
        long used = cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
        return new CacheNumbers(stats.hitCount(), stats.missCount(), stats.evictionCount(), cache.estimatedSize(),
                used, maximumBytes, 0, 0);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        CaffeineCacheMetrics.monitor(registry, cache, "metatiles");
    }

    @Override
    public void close() {
        cache.invalidateAll();
    }
}
