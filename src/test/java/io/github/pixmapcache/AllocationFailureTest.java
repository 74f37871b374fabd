package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.internal.index.KeyTable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failure injection through {@link TestAllocator}: whichever native allocation fails, the call
 * throws {@link PixmapAllocationException} naming the bytes it wanted, the cache is exactly as it
 * was, nothing leaks, and the cache keeps working.
 */
class AllocationFailureTest {
    private static final long SLOT_BYTES = 16;

    private final TestAllocator allocator = new TestAllocator();
    private final PixmapCache<String> cache = allocator.<String>builder().maximumBytes(1 << 20).build();
    private final Arena arena = Arena.ofConfined();

    private Pixmap pixmapA;
    private Pixmap pixmapB;
    private Pixmap pixmapC;
    private PixmapCache.Key keyC;
    /** 7x3 RGBA_8888: 84 bytes, a size no other pixmap here has. */
    private Pixmap incoming;

    @BeforeEach
    void fillCache() {
        pixmapA = patterned(8, 8, 1);
        pixmapB = patterned(5, 2, 2);
        pixmapC = patterned(3, 3, 3);
        incoming = patterned(7, 3, 4);
        assertTrue(cache.insert("a", pixmapA));
        assertTrue(cache.insert("b", pixmapB));
        keyC = cache.insert(pixmapC);
        assertTrue(keyC.isValid());
    }

    @AfterEach
    void closeAndCheckNothingLeaked() {
        cache.close();
        arena.close();
        assertEquals(0, allocator.liveBytes(), "bytes leaked");
        assertEquals(0, allocator.liveBlocks(), "blocks leaked");
    }

    @ParameterizedTest(name = "under key \"{0}\"")
    @ValueSource(strings = {"a", "new"})
    void failedPixelAllocationOfKeyedInsertChangesNothing(String key) {
        allocator.failNextAllocation();

        assertFailsCleanly(() -> cache.insert(key, incoming), incoming.byteSize());

        assertOriginalContents();
        assertNull(cache.find("new"));
        assertTrue(cache.insert(key, incoming), "a later insert works");
        assertFinds(key, incoming);
    }

    @Test
    void failedPixelAllocationOfAnonymousInsertChangesNothing() {
        allocator.failNextAllocation();

        assertFailsCleanly(() -> cache.insert(incoming), incoming.byteSize());

        assertOriginalContents();
        PixmapCache.Key later = cache.insert(incoming);
        assertFinds(later, incoming);
    }

    @Test
    void failedPixelAllocationOfReplaceKeepsTheOldPixmapUnderTheKey() {
        allocator.failNextAllocation();

        assertFailsCleanly(() -> cache.replace(keyC, incoming), incoming.byteSize());

        assertOriginalContents();
        assertTrue(cache.replace(keyC, incoming), "a later replace works");
        assertFinds(keyC, incoming);
    }

    @Test
    void failedKeyTableGrowthLeavesTheFullTableAndEveryKeyAsBefore() {
        List<PixmapCache.Key> keys = new ArrayList<>(List.of(keyC));
        List<Pixmap> pixmaps = new ArrayList<>(List.of(pixmapC));
        for (int i = 1; i < KeyTable.INITIAL_CAPACITY; i++) {
            Pixmap pixmap = patterned(2, 1, 100 + i);
            keys.add(cache.insert(pixmap));
            pixmaps.add(pixmap);
        }
        long attempts = allocator.allocationAttempts();
        long frees = allocator.frees();
        allocator.failAllocation(attempts + 2);  // the pixel block comes first, then the table

        assertFailsCleanly(() -> cache.insert(incoming), 2 * KeyTable.INITIAL_CAPACITY * SLOT_BYTES);

        assertEquals(attempts + 2, allocator.allocationAttempts(), "pixels, then the failed table");
        assertEquals(frees + 1, allocator.frees(), "the pixel block of the failed insert is freed");
        assertEquals(KeyTable.INITIAL_CAPACITY + 2, cache.size());
        assertAllFind(keys, pixmaps);
        long liveBefore = allocator.liveBytes();

        PixmapCache.Key grown = cache.insert(incoming);

        assertFinds(grown, incoming);
        assertEquals(liveBefore + incoming.byteSize() + KeyTable.INITIAL_CAPACITY * SLOT_BYTES,
                allocator.liveBytes(), "the table doubled and the old one was freed");
        assertAllFind(keys, pixmaps);
    }

    @Test
    void failedAllocationInsideALoaderPropagatesAndFreesWhatTheLoaderTook() {
        allocator.failAllocation(allocator.allocationAttempts() + 2);

        assertLoadFailsCleanly(() -> cache.computeIfAbsent("loaded", (key, pixmaps) -> {
            pixmaps.allocate(16, 16, PixelFormat.RGBA_8888);
            return copyInto(pixmaps, incoming);
        }), incoming.byteSize());

        assertNull(cache.find("loaded"));
        assertOriginalContents();
        try (PixmapLease lease = cache.computeIfAbsent("loaded", (key, pixmaps) -> copyInto(pixmaps, incoming))) {
            assertTrue(lease.pixmap().contentEquals(incoming), "a later load works");
        }
        assertFinds("loaded", incoming);
    }

    @Test
    void failedCopyOfAForeignLoaderResultPropagates() {
        allocator.failNextAllocation();

        assertLoadFailsCleanly(() -> cache.computeIfAbsent("loaded", (key, pixmaps) -> incoming), incoming.byteSize());

        assertNull(cache.find("loaded"));
        assertOriginalContents();
    }

    @Test
    void workloadWithoutFailuresMakesTheCountedAllocations() {
        long before = allocator.allocationAttempts();
        Workload workload = new Workload(Long.MAX_VALUE);

        workload.run();

        assertEquals(before + Workload.ALLOCATIONS, allocator.allocationAttempts());
        assertEquals(0, workload.failures);
        assertEquals(6, cache.size());
    }

    @ParameterizedTest(name = "allocations fail from #{0} of the workload on")
    @MethodSource("failurePoints")
    void failingEveryAllocationFromSomePointOnKeepsTheCacheConsistent(int firstFailing) {
        long failingFrom = allocator.allocationAttempts() + firstFailing;
        allocator.failAllocationsFrom(failingFrom);
        Workload workload = new Workload(failingFrom);

        workload.run();

        assertTrue(workload.failures > 0, "at least one operation hit a failed allocation");
        assertEquals(workload.failures, cache.stats().allocationFailures());
        cache.close();
        assertEquals(0, allocator.liveBytes());
        assertEquals(0, allocator.liveBlocks());
    }

    static IntStream failurePoints() {
        return IntStream.rangeClosed(1, Workload.ALLOCATIONS);
    }

    /**
     * A script of inserts, replaces, loads and removals, checked against a model after every step:
     * an operation throws exactly when one of its own allocations failed, it throws nothing but
     * {@link PixmapAllocationException}, and a failed operation changes nothing.
     */
    private final class Workload {
        /** Allocations the script makes when none fails. */
        static final int ALLOCATIONS = 8;

        private final long failingFrom;
        private final Map<String, Pixmap> keyed = new HashMap<>();
        private final Map<PixmapCache.Key, Pixmap> anonymous = new HashMap<>();
        private final List<PixmapCache.Key> stale = new ArrayList<>();
        int failures;

        /** @param failingFrom the number of the first allocation that fails */
        Workload(long failingFrom) {
            this.failingFrom = failingFrom;
            keyed.put("a", pixmapA);
            keyed.put("b", pixmapB);
            anonymous.put(keyC, pixmapC);
        }

        void run() {
            Pixmap p1 = patterned(4, 4, 11);
            Pixmap p2 = patterned(6, 1, 12);
            Pixmap p3 = patterned(2, 9, 13);
            Pixmap p4 = patterned(3, 5, 14);
            Pixmap p5 = patterned(1, 7, 15);
            step(() -> insert("a", p1));                 // 1 allocation
            step(() -> insertAnonymous(p2));             // 1
            step(() -> loadDrawn("loaded", p3));         // 2: a scratch pixmap and the result
            step(() -> replace(keyC, p4));               // 1
            step(() -> remove("b"));                     // 0
            step(() -> loadForeign("copied", p5));       // 1: the copy
            step(() -> loadDrawn("a", p5));              // 0: a hit
            step(() -> removeAnonymous(keyC));           // 0
            step(() -> insert("b", p2));                 // 1
            step(() -> insertAnonymous(p3));             // 1
        }

        private void step(Executable operation) {
            long before = allocator.allocationAttempts();
            boolean failed = false;
            try {
                operation.execute();
            } catch (Throwable t) {
                assertInstanceOf(PixmapAllocationException.class, t);
                failed = true;
                failures++;
            }
            long after = allocator.allocationAttempts();
            assertEquals(after > before && after >= failingFrom, failed,
                    "the operation failed exactly when one of its allocations did");
            assertMatchesModel();
        }

        private void insert(String key, Pixmap pixmap) {
            assertTrue(cache.insert(key, pixmap));
            keyed.put(key, pixmap);
        }

        private void insertAnonymous(Pixmap pixmap) {
            anonymous.put(cache.insert(pixmap), pixmap);
        }

        private void replace(PixmapCache.Key key, Pixmap pixmap) {
            assertTrue(cache.replace(key, pixmap));
            anonymous.put(key, pixmap);
        }

        private void remove(String key) {
            assertTrue(cache.remove(key));
            keyed.remove(key);
        }

        private void removeAnonymous(PixmapCache.Key key) {
            assertTrue(cache.remove(key));
            anonymous.remove(key);
            stale.add(key);
        }

        private void loadDrawn(String key, Pixmap pixmap) {
            load(key, pixmap, (k, pixmaps) -> {
                pixmaps.allocate(16, 16, PixelFormat.GRAY_8);
                return copyInto(pixmaps, pixmap);
            });
        }

        private void loadForeign(String key, Pixmap pixmap) {
            load(key, pixmap, (k, pixmaps) -> pixmap);
        }

        private void load(String key, Pixmap pixmap, PixmapLoader<String> loader) {
            try (PixmapLease lease = cache.computeIfAbsent(key, loader)) {
                keyed.putIfAbsent(key, pixmap);
                assertTrue(lease.pixmap().contentEquals(keyed.get(key)), () -> "loaded pixels under " + key);
            }
        }

        private void assertMatchesModel() {
            assertEquals(keyed.size() + anonymous.size(), cache.size());
            long bytes = 0;
            for (Map.Entry<String, Pixmap> entry : keyed.entrySet()) {
                assertFinds(entry.getKey(), entry.getValue());
                bytes += entry.getValue().byteSize();
            }
            for (Map.Entry<PixmapCache.Key, Pixmap> entry : anonymous.entrySet()) {
                assertFinds(entry.getKey(), entry.getValue());
                bytes += entry.getValue().byteSize();
            }
            for (PixmapCache.Key key : stale) {
                assertFalse(key.isValid(), () -> "removed " + key + " is valid");
            }
            assertEquals(bytes, cache.usedBytes());
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Runs an operation set up to fail an allocation and checks that it throws for
     * {@code requestedBytes}, with the cache and its memory unchanged but for one more counted
     * allocation failure.
     */
    private void assertFailsCleanly(Executable operation, long requestedBytes) {
        assertFailsCleanly(operation, requestedBytes, 0);
    }

    /** As {@link #assertFailsCleanly(Executable, long)} for a computeIfAbsent, which counts a miss. */
    private void assertLoadFailsCleanly(Executable load, long requestedBytes) {
        assertFailsCleanly(load, requestedBytes, 1);
    }

    private void assertFailsCleanly(Executable operation, long requestedBytes, long misses) {
        CacheStats before = cache.stats();
        long liveBytes = allocator.liveBytes();
        long liveBlocks = allocator.liveBlocks();

        PixmapAllocationException e = assertThrows(PixmapAllocationException.class, operation);

        assertEquals(requestedBytes, e.requestedBytes());
        assertTrue(e.getMessage().contains(Long.toString(requestedBytes)), e.getMessage());
        assertEquals(afterOneFailure(before, misses), cache.stats());
        assertEquals(liveBytes, allocator.liveBytes(), "live bytes");
        assertEquals(liveBlocks, allocator.liveBlocks(), "live blocks");
    }

    private static CacheStats afterOneFailure(CacheStats s, long misses) {
        return new CacheStats(s.hits(), s.misses() + misses, s.insertions(), s.evictions(), s.rejectedInsertions(),
                s.allocationFailures() + 1, s.entries(), s.usedBytes(), s.leasedDetachedBytes());
    }

    private void assertOriginalContents() {
        assertEquals(3, cache.size());
        assertEquals(pixmapA.byteSize() + pixmapB.byteSize() + pixmapC.byteSize(), cache.usedBytes());
        assertFinds("a", pixmapA);
        assertFinds("b", pixmapB);
        assertFinds(keyC, pixmapC);
    }

    private void assertAllFind(List<PixmapCache.Key> keys, List<Pixmap> pixmaps) {
        for (int i = 0; i < keys.size(); i++) {
            assertFinds(keys.get(i), pixmaps.get(i));
        }
    }

    private void assertFinds(String key, Pixmap expected) {
        try (PixmapLease lease = cache.find(key)) {
            assertNotNull(lease, () -> "miss for " + key);
            assertTrue(lease.pixmap().contentEquals(expected), () -> "wrong pixels under " + key);
        }
    }

    private void assertFinds(PixmapCache.Key key, Pixmap expected) {
        assertTrue(key.isValid(), () -> key + " is invalid");
        try (PixmapLease lease = cache.find(key)) {
            assertNotNull(lease, () -> "miss for " + key);
            assertTrue(lease.pixmap().contentEquals(expected), () -> "wrong pixels under " + key);
        }
    }

    /** An RGBA pixmap in the test arena whose bytes follow from {@code seed}. */
    private Pixmap patterned(int width, int height, int seed) {
        Pixmap pixmap = Pixmap.allocate(arena, width, height, PixelFormat.RGBA_8888);
        MemorySegment pixels = pixmap.segment();
        for (long i = 0; i < pixels.byteSize(); i++) {
            pixels.set(ValueLayout.JAVA_BYTE, i, (byte) (seed * 31 + i * 7));
        }
        return pixmap;
    }

    /** A loader's step: draws {@code source} into a pixmap from {@code pixmaps}. */
    private static Pixmap copyInto(PixmapAllocator pixmaps, Pixmap source) {
        Pixmap pixmap = pixmaps.allocate(source.width(), source.height(), source.format());
        MemorySegment.copy(source.segment(), 0, pixmap.segment(), 0, source.byteSize());
        return pixmap;
    }
}
