package io.github.pixmapcache;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestAllocator;
import io.github.pixmapcache.testing.TestPixmaps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code read(key, reader)}: null on a miss without calling the reader, the pixmap pinned while the
 * reader runs whatever the cache does meanwhile, and every view the reader lets out dead once it
 * returns or throws (FFM-enforced). There is no lease, so nothing is left pinned afterwards: every
 * test ends with {@link CacheFixture} checking that no block is left.
 */
class ReadTest {
    /** Bytes of every test pixmap: 32 BGRA pixels in one row. */
    private static final int UNIT = 128;

    @RegisterExtension
    final CacheFixture caches = CacheFixture.withSharedArena();  // shared: other threads compare against its pixmaps
    private final Arena arena = caches.arena();
    private final TestAllocator allocator = caches.allocator();
    private final PixmapCache<String> cache = caches.cache(EvictionPolicy.LRU, 4 * UNIT);
    private final Pixmap original = TestPixmaps.gradientRow(arena, UNIT / 4);

    // ------------------------------------------------------------------ hits and misses

    @Test
    void aHitReturnsWhatTheReaderComputedAndCountsAHit() {
        cache.insert("a", original);

        assertEquals(original.getArgb(5, 0), cache.<Integer>read("a", pixmap -> pixmap.getArgb(5, 0)));
        assertTrue(cache.<Boolean>read("a", pixmap -> pixmap.contentEquals(original)));
        assertEquals(2, cache.stats().hits());
        assertEquals(0, cache.stats().misses());
    }

    @Test
    void aMissReturnsNullWithoutCallingTheReaderAndCountsAMiss() {
        AtomicBoolean called = new AtomicBoolean();

        assertNull(cache.read("absent", pixmap -> called.getAndSet(true)));

        assertFalse(called.get());
        assertEquals(1, cache.stats().misses());
    }

    @Test
    void aReaderMayReturnNull() {
        cache.insert("a", original);
        assertNull(cache.read("a", pixmap -> null));
    }

    @Test
    void aReadPixmapIsReadOnly() {
        cache.insert("a", original);
        assertThrows(IllegalArgumentException.class, () -> cache.read("a", pixmap -> {
            pixmap.setArgb(0, 0, 0);
            return null;
        }));
        assertTrue(cache.<Boolean>read("a", pixmap -> pixmap.contentEquals(original)));
    }

    @Test
    void theReadersPixmapIsNoLeaseAndMakesNoViewUnlessAskedFor() {
        cache.insert("a", original);
        assertTrue(cache.<Boolean>read("a", pixmap -> {
            assertFalse(pixmap instanceof PixmapLease, "a reader could close or share the read's pixmap: " + pixmap);
            assertEquals(original.getArgb(3, 0), pixmap.getArgb(3, 0));
            assertTrue(pixmap.contentEquals(original));
            assertNull(pixmap.view(), "the library's own accessors made a view");
            MemorySegment segment = pixmap.segment();
            assertSame(segment, pixmap.segment(), "a second segment() made a second view");
            return segment.isReadOnly();
        }));
    }

    @Test
    void aReadMakesThePixmapTheMostRecentlyUsed() {
        for (String key : List.of("a", "b", "c", "d")) {
            cache.insert(key, original);
        }
        cache.read("a", Pixmap::width);

        cache.insert("e", original);  // evicts the least recently used: b, not a

        assertTrue(cache.read("a", pixmap -> true) != null);
        assertNull(cache.read("b", pixmap -> true));
    }

    @Test
    void byKeyAnInvalidKeyIsAMissAndAValidOneAHit() {
        PixmapCache.Key key = cache.insert(original);

        assertEquals(original.getArgb(3, 0), cache.<Integer>read(key, pixmap -> pixmap.getArgb(3, 0)));
        assertTrue(cache.remove(key));
        AtomicBoolean called = new AtomicBoolean();
        assertNull(cache.read(key, pixmap -> called.getAndSet(true)));
        assertFalse(called.get());
    }

    // ------------------------------------------------------------------ bad arguments, closed cache

    @Test
    void nullArgumentsAndForeignKeysAreRefusedBeforeAnythingIsCounted() {
        cache.insert("a", original);
        PixmapCache.Key foreign = caches.<String>cache(UNIT).insert(original);

        assertThrows(NullPointerException.class, () -> cache.read("a", null));
        assertThrows(NullPointerException.class, () -> cache.read((String) null, Pixmap::width));
        assertThrows(NullPointerException.class, () -> cache.read((PixmapCache.Key) null, Pixmap::width));
        assertThrows(IllegalArgumentException.class, () -> cache.read(foreign, Pixmap::width));
        assertEquals(0, cache.stats().hits() + cache.stats().misses());
    }

    @Test
    void aClosedCacheRefusesReadsWithoutCallingTheReader() {
        cache.insert("a", original);
        PixmapCache.Key key = cache.insert(original);
        cache.close();
        AtomicBoolean called = new AtomicBoolean();

        assertThrows(IllegalStateException.class, () -> cache.read("a", pixmap -> called.getAndSet(true)));
        assertThrows(IllegalStateException.class, () -> cache.read(key, pixmap -> called.getAndSet(true)));
        assertFalse(called.get());
    }

    // ------------------------------------------------------------------ what the reader lets out dies

    @ParameterizedTest(name = "a reader that lets out {0}")
    @MethodSource("views")
    void everyViewTheReaderLetsOutDiesWhenItReturns(Function<Pixmap, Object> keep) {
        cache.insert("a", original);

        Object leaked = cache.read("a", keep);

        assertThrows(IllegalStateException.class, () -> firstByteOf(leaked));
        cache.remove("a");
        assertEquals(0, allocator.liveBytes(), "the read left the pixmap pinned");
        assertThrows(IllegalStateException.class, () -> firstByteOf(leaked));
    }

    @ParameterizedTest(name = "a reader that lets out {0} and throws")
    @MethodSource("views")
    void aThrowingReaderReleasesThePixmapAndKillsItsViews(Function<Pixmap, Object> keep) {
        cache.insert("a", original);
        AtomicReference<Object> leaked = new AtomicReference<>();
        IllegalStateException thrown = new IllegalStateException("the reader's own failure");

        IllegalStateException caught = assertThrows(IllegalStateException.class, () -> cache.read("a", pixmap -> {
            leaked.set(keep.apply(pixmap));
            throw thrown;
        }));

        assertSame(thrown, caught, "the reader's exception reaches the caller unchanged");
        assertThrows(IllegalStateException.class, () -> firstByteOf(leaked.get()));
        assertTrue(cache.remove("a"));
        assertEquals(0, allocator.liveBytes(), "a throwing reader left the pixmap pinned");
    }

    @Test
    void aCheckedExceptionSneakedOutOfTheReaderStillReleases() {
        cache.insert("a", original);
        Exception checked = new Exception("checked");

        Exception caught = assertThrows(Exception.class, () -> cache.read("a", pixmap -> sneakyThrow(checked)));

        assertSame(checked, caught);
        cache.remove("a");
        assertEquals(0, allocator.liveBytes());
    }

    @Test
    void anotherThreadCannotReadThePixmapEvenWhileTheReaderRuns() {
        cache.insert("a", original);

        Throwable other = cache.read("a", pixmap -> {
            try {
                CompletableFuture.runAsync(() -> pixmap.getArgb(0, 0)).get();
                return null;
            } catch (ExecutionException e) {
                return e.getCause();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });

        assertTrue(other instanceof WrongThreadException, String.valueOf(other));
    }

    static List<Named<Function<Pixmap, Object>>> views() {
        return List.of(
                Named.of("the pixmap", pixmap -> pixmap),
                Named.of("its segment", Pixmap::segment),
                Named.of("a slice", pixmap -> pixmap.segment().asSlice(4, 8)),
                Named.of("a ByteBuffer", pixmap -> pixmap.segment().asByteBuffer()));
    }

    // ------------------------------------------------------------------ the cache changing under a reader

    @Test
    void aReaderMayRemoveClearOrCloseAndStillReadsItsPixmapToTheEnd() {
        for (Function<PixmapCache<String>, Object> change : List.<Function<PixmapCache<String>, Object>>of(
                c -> c.remove("a"), c -> { c.clear(); return null; }, c -> c.insert("a", TestPixmaps.solidRow(arena, UNIT, 0)),
                c -> { c.setMaximumBytes(0); return null; }, c -> { c.close(); return null; })) {
            PixmapCache<String> own = caches.cache(EvictionPolicy.LRU, 4 * UNIT);
            own.insert("a", original);

            boolean intact = own.read("a", pixmap -> {
                change.apply(own);
                System.gc();
                return pixmap.contentEquals(original);
            });

            assertTrue(intact, "the pixmap changed while its reader ran");
            own.close();
            assertEquals(0, allocator.liveBytes(), "a pixmap taken out under its reader was not freed after it");
        }
    }

    @Test
    void aReaderMayReadAndFindInsideAndNestingBeyondTheHazardSlotsFallsBackToCountedPins() {
        cache.insert("a", original);
        cache.insert("b", original);

        int depth = cache.read("a", pixmap -> nested(20, pixmap));

        assertEquals(20, depth);
        try (PixmapLease lease = cache.find("a")) {
            assertTrue(cache.<Boolean>read("b", pixmap -> pixmap.contentEquals(lease.pixmap())));
        }
        cache.clear();
        assertEquals(0, allocator.liveBytes(), "a nested read left a pin behind");
    }

    /** Reads "b" inside a read of "b", {@code levels} deep, checking every outer pixmap on the way out. */
    private int nested(int levels, Pixmap outer) {
        if (levels == 1) {
            return 1;
        }
        int depth = cache.read(levels % 2 == 0 ? "b" : "a", inner -> nested(levels - 1, inner)) + 1;
        assertTrue(outer.contentEquals(original), "an outer pixmap died when an inner read returned");
        return depth;
    }

    /**
     * Readers on one thread while another replaces, removes and clears: every read sees one whole
     * pixmap (equal to one of those inserted), never a freed (poisoned) or half-written one,
     * and when everything is over no block is left.
     */
    @Test
    void readsStayIntactWhileAnotherThreadRemovesReplacesAndClears() throws Exception {
        List<Pixmap> versions = new ArrayList<>();
        for (int v = 1; v <= 4; v++) {
            versions.add(TestPixmaps.solidRow(arena, UNIT, 0xFF000000 | v * 0x010101));  // no byte is POISON
        }
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Void> churn = CompletableFuture.runAsync(() -> {
            started.countDown();
            for (int i = 0; !stop.get(); i++) {
                switch (i % 4) {
                    case 0, 1 -> cache.insert("a", versions.get(i % versions.size()));
                    case 2 -> cache.remove("a");
                    default -> cache.clear();
                }
            }
        });
        started.await();
        AtomicInteger hits = new AtomicInteger();
        try {
            for (int i = 0; i < 200_000 || hits.get() < 1000; i++) {
                Boolean whole = cache.read("a", pixmap -> versions.stream().anyMatch(pixmap::contentEquals));
                if (whole != null) {
                    assertTrue(whole, "a read saw a torn or freed pixmap");
                    hits.incrementAndGet();
                }
            }
        } finally {
            stop.set(true);
            churn.get();
        }
        cache.clear();
        assertEquals(0, allocator.liveBytes());
    }

    private static byte firstByteOf(Object view) {
        return switch (view) {
            case Pixmap pixmap -> pixmap.segment().get(JAVA_BYTE, 0);
            case MemorySegment segment -> segment.get(JAVA_BYTE, 0);
            case ByteBuffer buffer -> buffer.get(0);
            default -> throw new AssertionError(view);
        };
    }

    @SuppressWarnings("unchecked")
    private static <R, T extends Throwable> R sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
