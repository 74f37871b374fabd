package io.github.pixmapcache.javafx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.lang.foreign.Arena;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/** An {@link UpdatableImage} shows a replaced entry's pixels in place, and frees its own pixels when gone. */
class UpdateTest {
    private static final int WIDTH = 29;
    private static final int HEIGHT = 17;
    private static final long BYTES = WIDTH * HEIGHT * 4L;

    @Test
    void aReplacedEntryShownThroughTheUpdatePathShowsItsNewPixels() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            Pixmap before = Pixels.pattern(arena, WIDTH, HEIGHT, 10, true);
            Pixmap after = Pixels.pattern(arena, WIDTH, HEIGHT, 11, true);
            PixmapCache.Key key = cache.insert(before);
            UpdatableImage image;
            try (PixmapLease lease = cache.find(key)) {
                image = UpdatableImage.copyOf(lease);
            }
            try (Shown shown = Shown.show(image)) {
                assertNull(Pixels.firstDifference(Pixels.argbPre(before), shown.snapshot()));
                assertTrue(cache.replace(key, after));
                Fx.run(() -> {
                    try (PixmapLease lease = cache.find(key)) {
                        image.update(lease);
                    }
                });
                Fx.awaitPulses(2);
                assertNull(Pixels.firstDifference(Pixels.argbPre(after), shown.snapshot()), "the same image, new pixels");
            }
        }
    }

    /** A dirty rectangle away from the origin: JavaFX's ByteBuffer path copies the wrong pixels here. */
    @Test
    void aSmallChangeAwayFromTheOriginShowsExactly() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixels.pattern(arena, WIDTH, HEIGHT, 12, true);
            cache.insert("p", pixmap);
            UpdatableImage image;
            try (PixmapLease lease = cache.find("p")) {
                image = UpdatableImage.copyOf(lease);
            }
            try (Shown shown = Shown.show(image)) {
                for (int y = 4; y < 7; y++) {
                    for (int x = 7; x < 12; x++) {
                        pixmap.setArgb(x, y, 0x80000000 | (x * 20) << 16 | (y * 30) << 8 | 0x55);
                    }
                }
                cache.insert("p", pixmap);
                Fx.run(() -> {
                    try (PixmapLease lease = cache.find("p")) {
                        image.update(lease);
                    }
                });
                Fx.awaitPulses(2);
                assertNull(Pixels.firstDifference(Pixels.argbPre(pixmap), shown.snapshot()));
            }
        }
    }

    @Test
    void anUpdatableImageKeepsItsPixelsWhenTheEntryGoesAndFreesThemWhenItIsGone() {
        awaitNoneAllocated();
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixels.pattern(arena, WIDTH, HEIGHT, 13, true);
            cache.insert("p", pixmap);
            WeakReference<UpdatableImage> image = showThenClear(cache, pixmap);
            assertEquals(0, cache.stats().leasedDetachedBytes(), "the image's pixels are its own");
            Gc.until(() -> image.get() == null && UpdatableImage.allocatedBytes() == 0,
                    () -> UpdatableImage.allocatedBytes() + " bytes still allocated");
        }
    }

    @Test
    void releaseFreesThePixelsAtOnce() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            cache.insert("p", Pixels.pattern(arena, WIDTH, HEIGHT, 14, false));
            awaitNoneAllocated();
            UpdatableImage image;
            try (PixmapLease lease = cache.find("p")) {
                image = UpdatableImage.copyOf(lease);
            }
            assertEquals(BYTES, UpdatableImage.allocatedBytes());
            image.release();
            assertEquals(0, UpdatableImage.allocatedBytes());
            image.release();
            assertEquals(0, UpdatableImage.allocatedBytes());
            assertNotNull(image.toString());
        }
    }

    /** Lets the images that earlier tests dropped be freed, so that the count is this test's alone. */
    private static void awaitNoneAllocated() {
        Gc.until(() -> UpdatableImage.allocatedBytes() == 0, () -> UpdatableImage.allocatedBytes() + " bytes allocated");
    }

    private static WeakReference<UpdatableImage> showThenClear(PixmapCache<String> cache, Pixmap expected) {
        UpdatableImage image;
        try (PixmapLease lease = cache.find("p")) {
            image = UpdatableImage.copyOf(lease);
        }
        try (Shown shown = Shown.show(image)) {
            cache.clear();
            Gc.collect(3);
            assertNull(Pixels.firstDifference(Pixels.argbPre(expected), shown.snapshot()));
        }
        return new WeakReference<>(image);
    }
}
