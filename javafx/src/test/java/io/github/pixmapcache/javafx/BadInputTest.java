package io.github.pixmapcache.javafx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bad input fails at once with an exception that says what was wrong, and changes nothing. */
class BadInputTest {

    @ParameterizedTest
    @EnumSource(value = PixelFormat.class, names = "BGRA_8888_PRE", mode = EnumSource.Mode.EXCLUDE)
    void aPixmapThatIsNotBgraIsRefusedEverywhere(PixelFormat format) {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            Pixmap wrong = Pixmap.allocate(arena, 4, 4, format);
            cache.insert("wrong", wrong);
            assertNamesFormat(format, () -> PixmapImage.find(cache, "wrong"));
            try (PixmapLease lease = cache.find("wrong")) {
                assertNamesFormat(format, () -> PixmapImage.of(lease));
                assertNamesFormat(format, () -> UpdatableImage.copyOf(lease));
            }
            assertEquals(0, cache.stats().leasedDetachedBytes());

            cache.insert("right", Pixmap.allocate(arena, 4, 4, PixelFormat.BGRA_8888_PRE));
            UpdatableImage image;
            try (PixmapLease lease = cache.find("right")) {
                image = UpdatableImage.copyOf(lease);
            }
            Fx.run(() -> {
                try (PixmapLease lease = cache.find("wrong")) {
                    assertNamesFormat(format, () -> image.update(lease));
                }
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = PixelFormat.class, names = "BGRA_8888_PRE", mode = EnumSource.Mode.EXCLUDE)
    void aLoaderResultThatIsNotBgraFailsTheLoadAndNothingIsCached(PixelFormat format) {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build()) {
            assertNamesFormat(format, () -> PixmapImage.load(cache, "k", (key, pixels) -> pixels.allocate(8, 8, format)));
            assertEquals(0, cache.size());
            assertEquals(0, cache.usedBytes());
            assertEquals(0, cache.stats().leasedDetachedBytes());
            PixmapImage image = PixmapImage.load(cache, "k", (key, pixels) -> pixels.allocate(8, 8, PixelFormat.BGRA_8888_PRE));
            assertEquals(8, image.getWidth());
            assertEquals(1, cache.size());
        }
    }

    @Test
    void aClosedLeaseIsRefused() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            cache.insert("p", Pixmap.allocate(arena, 4, 4, PixelFormat.BGRA_8888_PRE));
            PixmapLease closed = cache.find("p");
            closed.close();
            assertClosed(() -> PixmapImage.of(closed), "lease is closed");
            assertClosed(() -> UpdatableImage.copyOf(closed), "lease is closed");
            UpdatableImage image;
            try (PixmapLease lease = cache.find("p")) {
                image = UpdatableImage.copyOf(lease);
            }
            Fx.run(() -> assertClosed(() -> image.update(closed), "lease is closed"));
        }
    }

    @Test
    void aClosedCacheIsRefused() {
        PixmapCache<String> cache = PixmapCache.<String>builder().build();
        cache.close();
        assertThrows(IllegalStateException.class, () -> PixmapImage.find(cache, "p"));
        assertThrows(IllegalStateException.class,
                () -> PixmapImage.load(cache, "p", (key, pixels) -> pixels.allocate(1, 1, PixelFormat.BGRA_8888_PRE)));
    }

    @Test
    void anUpdateOfAnotherSizeOffTheApplicationThreadOrAfterReleaseIsRefused() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            cache.insert("4x4", Pixmap.allocate(arena, 4, 4, PixelFormat.BGRA_8888_PRE));
            cache.insert("3x4", Pixmap.allocate(arena, 3, 4, PixelFormat.BGRA_8888_PRE));
            UpdatableImage image;
            try (PixmapLease lease = cache.find("4x4")) {
                image = UpdatableImage.copyOf(lease);
            }
            Fx.run(() -> {
                try (PixmapLease lease = cache.find("3x4")) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> image.update(lease));
                    assertTrue(e.getMessage().contains("3x4") && e.getMessage().contains("4x4"), e.getMessage());
                }
            });
            try (PixmapLease lease = cache.find("4x4")) {
                assertThrows(IllegalStateException.class, () -> image.update(lease), "not on the Application Thread");
            }
            image.release();
            Fx.run(() -> {
                try (PixmapLease lease = cache.find("4x4")) {
                    assertClosed(() -> image.update(lease), "image is released");
                }
            });
        }
    }

    @Test
    void nullsAreRefusedByName() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build()) {
            assertNullNamed("lease", () -> PixmapImage.of(null));
            assertNullNamed("lease", () -> UpdatableImage.copyOf(null));
            assertNullNamed("cache", () -> PixmapImage.find(null, "k"));
            assertNullNamed("cache", () -> PixmapImage.load(null, "k", (key, pixels) -> null));
            assertNullNamed("loader", () -> PixmapImage.load(cache, "k", null));
        }
    }

    private static void assertNamesFormat(PixelFormat format, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(format.name()) && e.getMessage().contains("BGRA_8888_PRE"), e.getMessage());
    }

    private static void assertClosed(Executable call, String fragment) {
        IllegalStateException e = assertThrows(IllegalStateException.class, call);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static void assertNullNamed(String name, Executable call) {
        NullPointerException e = assertThrows(NullPointerException.class, call);
        assertEquals(name, e.getMessage());
    }
}
