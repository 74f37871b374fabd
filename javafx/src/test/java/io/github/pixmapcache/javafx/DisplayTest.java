package io.github.pixmapcache.javafx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What JavaFX renders from a {@link PixmapImage} is the pixmap, pixel for pixel. */
class DisplayTest {

    @ParameterizedTest(name = "translucent={0}")
    @ValueSource(booleans = {false, true})
    void aShownImageRendersThePixmapExactly(boolean translucent) {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixels.pattern(arena, 37, 23, 42, translucent);
            cache.insert("p", pixmap);
            PixmapImage image = PixmapImage.find(cache, "p");
            try (Shown shown = Shown.show(image)) {
                assertEquals(null, Pixels.firstDifference(Pixels.argbPre(pixmap), shown.snapshot()));
                assertArrayEquals(Pixels.argbPre(pixmap), Pixels.argbPre(image));
            }
        }
    }

    @Test
    void aLoadRendersIntoCacheMemoryAndTheImageShowsThatMemory() {
        AtomicLong renderedAt = new AtomicLong();
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            Pixmap expected = Pixels.pattern(arena, 16, 9, 7, true);
            PixmapImage image = PixmapImage.load(cache, "tile", (key, pixels) -> {
                Pixmap tile = pixels.allocate(16, 9, PixelFormat.BGRA_8888_PRE);
                MemorySegment.copy(expected.segment(), 0, tile.segment(), 0, expected.byteSize());
                renderedAt.set(tile.segment().address());
                return tile;
            });
            assertEquals(renderedAt.get(), bufferAddress(image), "the image reads the memory the loader rendered into");
            assertEquals(1, cache.size());
            try (Shown shown = Shown.show(image)) {
                assertEquals(null, Pixels.firstDifference(Pixels.argbPre(expected), shown.snapshot()));
            }
            PixmapImage hit = PixmapImage.load(cache, "tile", (key, pixels) -> {
                throw new AssertionError("a hit must not load");
            });
            assertEquals(renderedAt.get(), bufferAddress(hit));
        }
    }

    @Test
    void aMissFindsNoImage() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build()) {
            assertNull(PixmapImage.find(cache, "absent"));
        }
    }

    @Test
    void pickingReadsTheImagesAlphaOnTheApplicationThread() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixmap.allocate(arena, 4, 1, PixelFormat.BGRA_8888_PRE);
            pixmap.setArgb(0, 0, 0x00000000);
            pixmap.setArgb(1, 0, 0xFF102030);
            pixmap.setArgb(2, 0, 0x00000000);
            pixmap.setArgb(3, 0, 0x80FFFFFF);
            cache.insert("p", pixmap);
            try (Shown shown = Shown.show(PixmapImage.find(cache, "p"))) {
                cache.remove("p");  // picking reads the detached pixels, which stay pinned
                assertFalse(shown.picks(0, 0));
                assertTrue(shown.picks(1, 0));
                assertFalse(shown.picks(2, 0));
                assertTrue(shown.picks(3, 0));
            }
        }
    }

    /** Where the pixels JavaFX reads lie in memory. */
    static long bufferAddress(PixmapImage image) {
        return MemorySegment.ofBuffer(image.pixelBuffer().getBuffer()).address();
    }
}
