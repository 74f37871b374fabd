package io.github.pixmapcache.javafx.demo;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;

/** The plain way, for comparison: {@code WritableImage}s, whose pixels are on the Java heap, in an LRU map. */
final class HeapLruThumbnails implements ThumbnailSource {
    private final Thumbnails thumbnails;
    private final long budgetBytes;
    private final long imageBytes;
    private final int[] row;
    private final LinkedHashMap<Integer, Image> lru = new LinkedHashMap<>(1024, 0.75f, true);
    private long usedBytes;
    private long hits;
    private long misses;
    private long evictions;

    HeapLruThumbnails(Thumbnails thumbnails, long budgetBytes) {
        this.thumbnails = thumbnails;
        this.budgetBytes = budgetBytes;
        this.imageBytes = (long) thumbnails.width() * thumbnails.height() * 4;
        this.row = new int[thumbnails.width()];
    }

    @Override
    public Image image(int index) {
        Image cached = lru.get(index);
        if (cached != null) {
            hits++;
            return cached;
        }
        misses++;
        WritableImage image = new WritableImage(thumbnails.width(), thumbnails.height());
        PixelWriter writer = image.getPixelWriter();
        for (int y = 0; y < thumbnails.height(); y++) {
            thumbnails.renderRow(index, y, row);
            writer.setPixels(0, y, row.length, 1, PixelFormat.getIntArgbPreInstance(), row, 0, row.length);
        }
        lru.put(index, image);
        usedBytes += imageBytes;
        for (Iterator<Map.Entry<Integer, Image>> eldest = lru.entrySet().iterator(); usedBytes > budgetBytes; ) {
            eldest.next();
            eldest.remove();
            usedBytes -= imageBytes;
            evictions++;
        }
        return image;
    }

    @Override
    public void dropped(Image image) {
        // the map or the garbage collector decides
    }

    @Override
    public void frameDone() {
    }

    @Override
    public String status() {
        return String.format("on-heap LRU map: %d images, %.1f of %.0f MiB, hit rate %.1f%%, %d evictions",
                lru.size(), usedBytes / (double) (1 << 20), budgetBytes / (double) (1 << 20), 100 * hitRate(), evictions);
    }

    @Override
    public double hitRate() {
        long lookups = hits + misses;
        return lookups == 0 ? 1.0 : (double) hits / lookups;
    }

    @Override
    public void close() {
        lru.clear();
    }
}
