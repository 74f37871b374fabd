package io.github.pixmapcache;

import static io.github.pixmapcache.testing.Accesses.refusedAsClosed;
import static io.github.pixmapcache.testing.Accesses.thrownOnAnotherThread;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestAllocator;
import io.github.pixmapcache.testing.TestPixmaps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The lazy scope of a confined lease: the lease is its own pixmap, its accessors check it without
 * an arena, and the arena and view are made only when {@code segment()} is asked for. Each test asks
 * which interleaving could let an access through: before or after the view is made, on the owner or
 * on another thread, before or after close, and for untracked leases (level {@code off}: never a
 * view unless asked) as well as leak-tracked ones (level {@code all}: a view from the start).
 */
class LazyScopeTest {
    /** Bytes of the test pixmap: 32 BGRA pixels in one row. */
    private static final int UNIT = 128;

    @RegisterExtension
    final CacheFixture caches = CacheFixture.withSharedArena();  // shared: other threads compare against its pixmaps
    private final Arena arena = caches.arena();
    private final TestAllocator allocator = caches.allocator();
    private final Pixmap original = TestPixmaps.gradientRow(arena, UNIT / 4);

    /** How a test's lease came to be: whether it is leak-tracked, and whether its segment was asked for. */
    enum Shape {
        /** Untracked, segment never asked for: no arena at all. */
        LAZY("off", false),
        /** Untracked, segment asked for once before the test's accesses. */
        MATERIALIZED("off", true),
        /** Leak-tracked: the arena and view exist from the start, the segment never asked for. */
        TRACKED("all", false);

        final String level;
        final boolean takeSegment;

        Shape(String level, boolean takeSegment) {
            this.level = level;
            this.takeSegment = takeSegment;
        }
    }

    // ------------------------------------------------------------------ no scope until asked

    @Test
    void theLibrarysOwnAccessorsMakeNoScope() {
        PixmapCache<String> cache = cacheWithOriginalAt("off");
        try (PixmapLease lease = cache.find("a")) {
            Pixmap pixmap = lease.pixmap();

            assertSame(lease, pixmap, "the lease is its own pixmap");
            assertEquals(original.getArgb(5, 0), pixmap.getArgb(5, 0));
            assertTrue(pixmap.contentEquals(original));
            assertTrue(original.contentEquals(pixmap));
            assertTrue(cache.insert("copy", pixmap), "a copy reads the leased pixels");
            assertEquals(UNIT, pixmap.byteSize());
            assertThrows(IllegalArgumentException.class, () -> pixmap.setArgb(0, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> pixmap.fill(0));

            assertNull(pixmap.view(), "an accessor made an arena and a view");
            MemorySegment segment = pixmap.segment();
            assertNotNull(pixmap.view());
            assertSame(segment, pixmap.segment(), "a second segment() makes no second view");
            assertTrue(segment.isReadOnly());
        }
        try (PixmapLease copy = cache.find("copy")) {
            assertTrue(copy.pixmap().contentEquals(original));
        }
    }

    /** api.md: users cannot subclass Pixmap; the lease that is one is neither public nor open. */
    @Test
    void onlyTheLibrarysOwnLeasesArePixmaps() {
        assertTrue(Pixmap.class.isSealed());
        for (Class<?> permitted : Pixmap.class.getPermittedSubclasses()) {
            assertFalse(Modifier.isPublic(permitted.getModifiers()), permitted + " is public");
            assertTrue(permitted.isSealed() || Modifier.isFinal(permitted.getModifiers()), permitted + " is open");
        }
    }

    // ------------------------------------------------------------------ after close

    @ParameterizedTest
    @EnumSource(Shape.class)
    void afterCloseEveryAccessThrowsIllegalState(Shape shape) {
        PixmapCache<String> cache = cacheWithOriginalAt(shape.level);
        PixmapLease lease = cache.find("a");
        Pixmap pixmap = lease.pixmap();
        List<Object> views = shape.takeSegment ? viewsOf(pixmap.segment()) : List.of();

        lease.close();

        assertAll(
                refusedAsClosed(lease::pixmap),
                refusedAsClosed(lease::share),
                refusedAsClosed(() -> pixmap.getArgb(0, 0)),
                refusedAsClosed(() -> pixmap.contentEquals(original)),
                refusedAsClosed(() -> original.contentEquals(pixmap)),
                refusedAsClosed(pixmap::segment),
                refusedAsClosed(() -> pixmap.setArgb(0, 0, 0)),
                refusedAsClosed(() -> pixmap.fill(0)),
                refusedAsClosed(() -> cache.insert("copy", pixmap)));
        for (Object view : views) {
            assertThrows(IllegalStateException.class, () -> read(view), "a view taken before close: " + view);
        }
        assertNull(cache.find("copy"), "a copy of a closed lease was inserted");
        assertEquals(UNIT, allocator.liveBytes(), "the failed copy left memory behind");
    }

    @Test
    void viewsTakenAfterGetArgbDieWithTheLease() {
        PixmapCache<String> cache = cacheWithOriginalAt("off");
        PixmapLease lease = cache.find("a");
        Pixmap pixmap = lease.pixmap();
        assertEquals(original.getArgb(3, 0), pixmap.getArgb(3, 0));
        List<Object> views = viewsOf(pixmap.segment());
        for (Object view : views) {
            assertEquals(original.segment().get(JAVA_BYTE, 0), read(view));
        }

        lease.close();

        for (Object view : views) {
            assertThrows(IllegalStateException.class, () -> read(view), "a view made lazily outlived its lease: " + view);
        }
    }

    // ------------------------------------------------------------------ other threads

    @ParameterizedTest
    @EnumSource(Shape.class)
    void anotherThreadGetsWrongThreadFromEveryAccessorAndChangesNothing(Shape shape) throws InterruptedException {
        PixmapCache<String> cache = cacheWithOriginalAt(shape.level);
        PixmapLease lease = cache.find("a");
        Pixmap pixmap = lease.pixmap();
        MemorySegment segment = shape.takeSegment ? pixmap.segment() : null;

        List<Executable> accesses = new ArrayList<>(List.of(
                () -> pixmap.getArgb(0, 0),
                () -> pixmap.contentEquals(original),
                () -> original.contentEquals(pixmap),
                pixmap::segment,
                () -> pixmap.setArgb(0, 0, 0),
                () -> pixmap.fill(0),
                () -> cache.insert("copy", pixmap),
                lease::close));
        if (segment != null) {
            accesses.add(() -> segment.get(JAVA_BYTE, 0));
        }
        for (Executable access : accesses) {
            assertInstanceOf(WrongThreadException.class, thrownOnAnotherThread(access));
        }

        if (shape == Shape.LAZY) {
            assertNull(pixmap.view(), "another thread's access made a view");
        }
        assertNull(cache.find("copy"));
        assertEquals(original.getArgb(9, 0), pixmap.getArgb(9, 0), "the owner still reads");
        cache.remove("a");
        lease.close();
        assertEquals(0, allocator.liveBytes(), "the owner's close freed the removed pixmap");
        assertInstanceOf(IllegalStateException.class, thrownOnAnotherThread(() -> pixmap.getArgb(0, 0)),
                "after close another thread is told the lease is closed");
    }

    @Test
    void aLeaseFoundOnAVirtualThreadIsConfinedToIt() throws InterruptedException {
        PixmapCache<String> cache = cacheWithOriginalAt("off");
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread.ofVirtual().start(() -> {
            try (PixmapLease lease = cache.find("a")) {
                Pixmap pixmap = lease.pixmap();
                assertTrue(pixmap.contentEquals(original));
                Throwable elsewhere = thrownOnAnotherThread(() -> pixmap.getArgb(0, 0));
                assertInstanceOf(WrongThreadException.class, elsewhere);
            } catch (Throwable t) {
                failure.set(t);
            }
        }).join();
        assertNull(failure.get());
    }

    /**
     * The race the lazy check must win: another thread calls every accessor while the owner reads
     * and then closes. No call on the other thread may ever return pixels: before the close it is
     * refused as the wrong thread, after it as closed, and never anything else.
     */
    @ParameterizedTest
    @EnumSource(Shape.class)
    void accessesRacingTheOwnersCloseAreAlwaysRefused(Shape shape) throws InterruptedException {
        PixmapCache<String> cache = cacheWithOriginalAt(shape.level);
        for (int round = 0; round < 50; round++) {
            PixmapLease lease = cache.find("a");
            Pixmap pixmap = lease.pixmap();
            if (shape.takeSegment) {
                pixmap.segment();
            }
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger wrongThread = new AtomicInteger();
            AtomicInteger closed = new AtomicInteger();
            AtomicReference<Object> leaked = new AtomicReference<>();
            Thread other = new Thread(() -> {
                started.countDown();
                while (closed.get() == 0) {
                    for (int i = 0; i < 4; i++) {
                        try {
                            leaked.compareAndSet(null, switch (i) {
                                case 0 -> pixmap.getArgb(1, 0);
                                case 1 -> pixmap.contentEquals(original);
                                case 2 -> pixmap.segment();
                                default -> cache.insert("copy", pixmap);
                            });
                        } catch (WrongThreadException e) {
                            wrongThread.incrementAndGet();
                        } catch (IllegalStateException e) {
                            closed.incrementAndGet();
                        } catch (Throwable t) {
                            leaked.compareAndSet(null, t);
                            return;
                        }
                    }
                }
            });
            other.start();
            started.await();
            for (int i = 0; i < 1000; i++) {
                assertEquals(original.getArgb(i % 32, 0), pixmap.getArgb(i % 32, 0));
            }
            lease.close();
            other.join();
            assertNull(leaked.get(), "another thread got through a confined lease");
            assertTrue(closed.get() > 0);
        }
        assertNull(cache.find("copy"));
    }

    // ------------------------------------------------------------------ freed exactly once

    @ParameterizedTest
    @EnumSource(Shape.class)
    void closedTwiceAndFromAnotherThreadTheMemoryIsFreedExactlyOnce(Shape shape) throws InterruptedException {
        PixmapCache<String> cache = cacheWithOriginalAt(shape.level);
        PixmapLease lease = cache.find("a");
        if (shape.takeSegment) {
            lease.pixmap().segment();
        }
        PixmapLease shared = lease.share();
        cache.remove("a");

        assertInstanceOf(WrongThreadException.class, thrownOnAnotherThread(lease::close));
        assertEquals(0, allocator.frees(), "another thread's close dropped the pin");
        lease.close();
        lease.close();
        assertEquals(0, allocator.frees(), "the shared lease still pins");
        assertNull(thrownOnAnotherThread(() -> assertTrue(shared.pixmap().contentEquals(original))));
        assertNull(thrownOnAnotherThread(shared::close));
        shared.close();
        lease.close();

        assertEquals(1, allocator.frees());
        assertEquals(0, allocator.liveBytes());
        assertEquals(0, cache.stats().leasedDetachedBytes());
    }

    @Test
    void aLeakTrackedLeaseKeepsTheViewItWasBornWith() {
        PixmapCache<String> cache = cacheWithOriginalAt("all");
        try (PixmapLease lease = cache.find("a")) {
            Pixmap pixmap = lease.pixmap();
            MemorySegment born = pixmap.view();

            assertNotNull(born, "a tracked lease's watch must ride in an arena from the start");
            assertSame(born, pixmap.segment());
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A cache at leak detection {@code level}, the original cached under "a". */
    private PixmapCache<String> cacheWithOriginalAt(String level) {
        PixmapCache<String> cache = caches.cacheAtLeakLevel(level, 1 << 20);
        assertTrue(cache.insert("a", original));
        return cache;
    }

    /** The segment, a slice of it, a ByteBuffer of it and a slice of that buffer. */
    private static List<Object> viewsOf(MemorySegment segment) {
        ByteBuffer buffer = segment.asByteBuffer();
        return List.of(segment, segment.asSlice(0, 16), buffer, buffer.slice(0, 16));
    }

    private static byte read(Object view) {
        return switch (view) {
            case MemorySegment segment -> segment.get(JAVA_BYTE, 0);
            case ByteBuffer buffer -> buffer.get(0);
            default -> throw new AssertionError(view);
        };
    }
}
