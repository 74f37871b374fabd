package io.github.pixmapcache.server.tiles;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/** No cache: every request renders just its own tile, through the same render queue and encoder. */
public final class UncachedTileSource implements TileSource {
    private final RenderPool renderPool;
    private final Timer renderTime;
    private final TileEncoder encoder;
    private final LongAdder renders = new LongAdder();

    public UncachedTileSource(RenderPool renderPool, Timer renderTime, TileEncoder encoder) {
        this.renderPool = renderPool;
        this.renderTime = renderTime;
        this.encoder = encoder;
    }

    /** Renders and encodes {@code tile} alone; there is no metatile, so {@code rendered} never runs. */
    @Override
    public byte[] png(TileAddress tile, Runnable rendered) {
        int side = TileAddress.SIZE;
        int[] pixels = new int[side * side];
        try (RenderPool.Admission admission = renderPool.admit()) {
            long start = System.nanoTime();
            admission.render(MemorySegment.ofArray(pixels), (long) side * Integer.BYTES, tile.z(),
                    (long) tile.x() * side, (long) tile.y() * side, side, side);
            renderTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        renders.increment();
        return encoder.encode(pixels, side, 0, 0);
    }

    /** Null: nothing is cached. */
    @Override
    public byte[] pngIfCached(TileAddress tile) {
        return null;
    }

    @Override
    public CacheNumbers numbers() {
        return new CacheNumbers(0, renders.sum(), 0, 0, 0, 0, 0, 0);
    }

    /** Nothing to bind: there is no cache; renders show in the render timer. */
    @Override
    public void bindTo(MeterRegistry registry) {
    }

    @Override
    public void close() {
    }
}
