package io.github.pixmapcache.server.tiles;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocator;
import io.github.pixmapcache.PixmapLoader;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * The one path from a cache miss to a metatile's pixels: take a place in the render queue, allocate
 * the metatile in cache memory, render it there with every render thread (a loader's pixmap may be
 * written from any thread while the load runs). A second cache tier (a shared store behind this
 * server's memory) goes here, between the miss and the render.
 */
public final class MetatileLoader implements PixmapLoader<Metatile> {
    private final RenderPool renderPool;
    private final Timer renderTime;

    public MetatileLoader(RenderPool renderPool, Timer renderTime) {
        this.renderPool = renderPool;
        this.renderTime = renderTime;
    }

    /** @throws Overloaded if the render queue is full; nothing was allocated */
    @Override
    public Pixmap load(Metatile metatile, PixmapAllocator allocator) {
        try (RenderPool.Admission admission = renderPool.admit()) {
            int side = metatile.pixelsPerSide();
            Pixmap pixels = allocator.allocate(side, side, PixelFormat.BGRA_8888_PRE);
            long start = System.nanoTime();
            admission.render(pixels.segment(), pixels.stride(), metatile.z(),
                    metatile.originX(), metatile.originY(), side, side);
            renderTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return pixels;
        }
    }
}
