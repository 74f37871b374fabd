package io.github.pixmapcache.javafx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import java.lang.foreign.Arena;
import java.lang.ref.WeakReference;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Group;
import javafx.scene.Scene;
import javafx.scene.image.ImageView;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@link PixmapImage}'s pixels stay pinned exactly while JavaFX can read them, whatever the cache
 * does meanwhile, and return once the image is gone. Bytes are counted through the cache's stats: a
 * detached entry's bytes show in {@code leasedDetachedBytes} until its last lease closes.
 *
 * <p>Images are made in helper methods, so that no test frame keeps one reachable by accident.
 */
class LifetimeTest {
    private static final int SIDE = 32;
    private static final long BYTES = SIDE * SIDE * 4L;

    enum Detach { EVICT, REPLACE, REMOVE, CLEAR }

    @Test
    void aDroppedImageReturnsItsPixels() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixels.pattern(arena, SIDE, SIDE, 1, true);
            cache.insert("p", pixmap);
            WeakReference<PixmapImage> image = showThenRemove(cache, pixmap);
            Gc.until(() -> image.get() == null && cache.stats().leasedDetachedBytes() == 0, cache::stats);
            assertEquals(0, cache.usedBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(Detach.class)
    void anEntryDetachedWhileShownStillDrawsItsOwnPixelsAndReturnsThemOnceTheImageIsGone(Detach how) {
        try (PixmapCache<String> cache = PixmapCache.<String>builder()
                .maximumBytes(2 * BYTES).evictionPolicy(EvictionPolicy.LRU).build();
                Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixels.pattern(arena, SIDE, SIDE, 2, true);
            cache.insert("p", pixmap);
            WeakReference<PixmapImage> image = detachWhileShown(cache, how, pixmap, arena);
            Gc.until(() -> image.get() == null && cache.stats().leasedDetachedBytes() == 0, cache::stats);
        }
    }

    @Test
    void anImageOutlivesItsCache() {
        try (Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixels.pattern(arena, SIDE, SIDE, 3, true);
            PixmapCache<String> cache = PixmapCache.<String>builder().build();
            cache.insert("p", pixmap);
            PixmapImage image = PixmapImage.find(cache, "p");
            try (Shown shown = Shown.show(image)) {
                cache.close();
                Gc.collect(3);
                assertNull(Pixels.firstDifference(Pixels.argbPre(pixmap), shown.snapshot()));
                assertNull(Pixels.firstDifference(Pixels.argbPre(pixmap), Pixels.argbPre(image)));
            }
        }
    }

    @Test
    void releaseReturnsThePixelsAtOnceAndJavaFxCanNoLongerReadThem() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            cache.insert("p", Pixels.pattern(arena, SIDE, SIDE, 4, false));
            PixmapImage image = PixmapImage.find(cache, "p");
            cache.remove("p");
            assertEquals(BYTES, cache.stats().leasedDetachedBytes());
            image.release();
            assertEquals(0, cache.stats().leasedDetachedBytes());
            IntBuffer pixels = image.pixelBuffer().getBuffer();
            assertThrows(IllegalStateException.class, () -> pixels.get(0), "the FFM scope check refuses the read");
            image.release();  // a second release does nothing
            assertEquals(0, cache.stats().leasedDetachedBytes());
        }
    }

    /**
     * Misuse, and what it costs: after {@code release()} JavaFX's reads of the pixels throw (picking on
     * the Application Thread) or draw nothing; what it renders is its texture made earlier or
     * nothing, never the freed memory, which other pixmaps reuse here.
     */
    @Test
    void anImageReleasedWhileShownNeverReadsFreedMemory() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixels.pattern(arena, SIDE, SIDE, 7, false);
            cache.insert("p", pixmap);
            PixmapImage image = PixmapImage.find(cache, "p");
            List<Throwable> uncaught = new CopyOnWriteArrayList<>();  // picking on pulses and mouse events
            Thread.UncaughtExceptionHandler before = Fx.call(() -> {
                Thread fxThread = Thread.currentThread();
                Thread.UncaughtExceptionHandler previous = fxThread.getUncaughtExceptionHandler();
                fxThread.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
                return previous;
            });
            try (Shown shown = Shown.show(image)) {
                cache.clear();
                image.release();
                assertEquals(0, cache.stats().leasedDetachedBytes());
                Pixmap other = Pixels.pattern(arena, SIDE, SIDE, 8, false);
                for (int i = 0; i < 50; i++) {
                    cache.insert("reuse" + i, other);
                }
                assertThrows(IllegalStateException.class, () -> shown.picks(1, 1));
                int[] rendered = shown.snapshot();
                int[] again = Pixels.argbPre(Fx.call(() -> {  // a new scene
                    ImageView view = new ImageView(image);
                    view.setMouseTransparent(true);
                    return new Scene(new Group(view), SIDE, SIDE, Color.TRANSPARENT).snapshot(null);
                }));
                for (int[] snapshot : List.of(rendered, again)) {
                    assertTrue(Pixels.firstDifference(Pixels.argbPre(pixmap), snapshot) == null
                            || Pixels.firstDifference(new int[SIDE * SIDE], snapshot) == null,
                            "neither the earlier texture nor transparent: " + Pixels.firstDifference(Pixels.argbPre(pixmap), snapshot));
                }
            } finally {
                Fx.run(() -> Thread.currentThread().setUncaughtExceptionHandler(before));
            }
            for (Throwable e : uncaught) {
                assertEquals(IllegalStateException.class, e.getClass(), "only the FFM runtime's refusal: " + e);
            }
        }
    }

    @Test
    void aBufferMadeFromTheImageKeepsThePixelsPinnedAndReadable() {
        try (PixmapCache<String> cache = PixmapCache.<String>builder().build(); Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixels.pattern(arena, SIDE, SIDE, 5, true);
            int[] expected = Pixels.argbPre(pixmap);
            cache.insert("p", pixmap);
            List<WeakReference<PixmapImage>> image = new ArrayList<>();
            List<IntBuffer> kept = buffersOfADroppedImage(cache, image);
            cache.remove("p");
            Gc.until(() -> image.getFirst().get() == null, () -> "the image is still reachable");
            Gc.throughout(5, () -> cache.stats().leasedDetachedBytes() == BYTES, cache::stats);
            IntBuffer duplicate = kept.get(0);
            IntBuffer slice = kept.get(1);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], duplicate.get(i), "pixel " + i);
            }
            assertEquals(expected[5], slice.get(0));
            kept.clear();
            duplicate = null;
            slice = null;
            Gc.until(() -> cache.stats().leasedDetachedBytes() == 0, cache::stats);
        }
    }

    @Test
    void thousandsOfDroppedImagesReturnEveryByte() {
        int count = 2000;
        try (PixmapCache<Integer> cache = PixmapCache.<Integer>builder().maximumBytes(count * BYTES).build();
                Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixels.pattern(arena, SIDE, SIDE, 6, false);
            for (int i = 0; i < count; i++) {
                cache.insert(i, pixmap);
            }
            int made = makeImagesThenClear(cache, count);
            assertEquals(count, made);
            Gc.until(() -> cache.stats().leasedDetachedBytes() == 0, cache::stats);
        }
    }

    private static WeakReference<PixmapImage> showThenRemove(PixmapCache<String> cache, Pixmap expected) {
        PixmapImage image = PixmapImage.find(cache, "p");
        try (Shown shown = Shown.show(image)) {
            assertNull(Pixels.firstDifference(Pixels.argbPre(expected), shown.snapshot()));
            cache.remove("p");
            assertEquals(BYTES, cache.stats().leasedDetachedBytes());
        }
        return new WeakReference<>(image);
    }

    private static WeakReference<PixmapImage> detachWhileShown(PixmapCache<String> cache, Detach how, Pixmap original,
            Arena arena) {
        int[] expected = Pixels.argbPre(original);
        Pixmap other = Pixels.pattern(arena, SIDE, SIDE, 99, false);
        PixmapImage image = PixmapImage.find(cache, "p");
        try (Shown shown = Shown.show(image)) {
            switch (how) {
                case EVICT -> {
                    cache.insert("q1", other);
                    cache.insert("q2", other);
                }
                case REPLACE -> cache.insert("p", other);
                case REMOVE -> cache.remove("p");
                case CLEAR -> cache.clear();
            }
            assertEquals(BYTES, cache.stats().leasedDetachedBytes(), how + " detached the shown entry");
            for (int i = 0; i < 50; i++) {  // memory freed by mistake would now hold other pixels
                cache.insert("churn" + i, other);
            }
            Gc.throughout(3, () -> cache.stats().leasedDetachedBytes() == BYTES, cache::stats);
            assertNull(Pixels.firstDifference(expected, shown.snapshot()), "the rendered scene");
            assertNull(Pixels.firstDifference(expected, Pixels.argbPre(image)), "the image's buffer");
            try (Shown again = Shown.show(image)) {  // a new view of the image: JavaFX reads the pixels again
                assertNull(Pixels.firstDifference(expected, again.snapshot()), "a second window");
            }
        }
        return new WeakReference<>(image);
    }

    /** Keeps a duplicate and a slice of what JavaFX reads, and drops the image. */
    private static List<IntBuffer> buffersOfADroppedImage(PixmapCache<String> cache,
            List<WeakReference<PixmapImage>> imageOut) {
        PixmapImage image = PixmapImage.find(cache, "p");
        imageOut.add(new WeakReference<>(image));
        IntBuffer pixels = image.pixelBuffer().getBuffer();
        return new ArrayList<>(List.of(pixels.duplicate(), pixels.slice(5, 10)));
    }

    private static int makeImagesThenClear(PixmapCache<Integer> cache, int count) {
        List<PixmapImage> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            images.add(PixmapImage.find(cache, i));
        }
        cache.clear();
        assertEquals(count * BYTES, cache.stats().leasedDetachedBytes());
        return images.size();
    }
}
