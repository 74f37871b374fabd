package io.github.pixmapcache.javafx.demo;

import io.github.pixmapcache.CacheStats;
import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocator;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.javafx.PixmapImage;
import io.github.pixmapcache.javafx.demo.GalleryOptions.Release;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import javafx.scene.image.Image;

/**
 * Thumbnails rendered straight into an off-heap {@link PixmapCache} and shown without a copy. A
 * thumbnail scrolled out of view is dropped by its cell and released two frames later
 * ({@link Release#FRAMES}), or, with {@link Release#GC}, left to the garbage collector: then the
 * pixels of evicted thumbnails stay pinned until it finds their images unreachable, which for
 * images promoted to the old generation can take many seconds (the overlay's "pinned").
 */
final class CachedThumbnails implements ThumbnailSource {
    /** Frames between a cell dropping an image and its release: the render tree syncs in between. */
    private static final int RELEASE_DELAY_FRAMES = 2;

    private record Dropped(PixmapImage image, long frame) {
    }

    private final Thumbnails thumbnails;
    private final PixmapCache<Integer> cache;
    private final Release release;
    private final int[] row;
    private final ArrayDeque<Dropped> dropped = new ArrayDeque<>();
    private long frame;
    private long peakPinnedBytes;

    CachedThumbnails(Thumbnails thumbnails, long budgetBytes, Release release) {
        this.thumbnails = thumbnails;
        // LRU, the baseline's order, so that both ways render the same misses and differ only in where pixels live.
        this.cache = PixmapCache.<Integer>builder().maximumBytes(budgetBytes).evictionPolicy(EvictionPolicy.LRU).build();
        this.release = release;
        this.row = new int[thumbnails.width()];
    }

    @Override
    public Image image(int index) {
        return PixmapImage.load(cache, index, this::render);
    }

    private Pixmap render(int index, PixmapAllocator pixels) {
        Pixmap pixmap = pixels.allocate(thumbnails.width(), thumbnails.height(), PixelFormat.BGRA_8888_PRE);
        MemorySegment target = pixmap.segment();
        for (int y = 0; y < thumbnails.height(); y++) {
            thumbnails.renderRow(index, y, row);  // IntArgbPre ints are BGRA_8888_PRE bytes in little-endian order
            MemorySegment.copy(row, 0, target, ValueLayout.JAVA_INT, y * pixmap.stride(), row.length);
        }
        return pixmap;
    }

    @Override
    public void dropped(Image image) {
        if (release == Release.FRAMES) {
            dropped.add(new Dropped((PixmapImage) image, frame));
        }
    }

    @Override
    public void frameDone() {
        frame++;
        peakPinnedBytes = Math.max(peakPinnedBytes, cache.stats().leasedDetachedBytes());
        while (!dropped.isEmpty() && dropped.peek().frame() <= frame - RELEASE_DELAY_FRAMES) {
            dropped.remove().image().release();
        }
    }

    @Override
    public String status() {
        CacheStats stats = cache.stats();
        return String.format("off-heap cache: %d entries, %.1f of %.0f MiB, hit rate %.1f%%, %d evictions; "
                + "evicted but pinned by images: %.1f MiB (peak %.1f)", stats.entries(), mib(stats.usedBytes()),
                mib(cache.maximumBytes()), 100 * stats.hitRate(), stats.evictions(), mib(stats.leasedDetachedBytes()),
                mib(peakPinnedBytes));
    }

    @Override
    public double hitRate() {
        return cache.stats().hitRate();
    }

    @Override
    public void close() {
        cache.close();
    }

    private static double mib(long bytes) {
        return bytes / (double) (1 << 20);
    }
}
