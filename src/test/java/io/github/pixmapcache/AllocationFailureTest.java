package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.internal.index.KeyTable;
import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestAllocator;
import io.github.pixmapcache.testing.TestPixmaps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failure injection through {@link TestAllocator}: whichever native allocation fails, the call
 * throws {@link PixmapAllocationException} naming the bytes it wanted, the cache is exactly as it
 * was, nothing leaks, and the cache keeps working. {@link EveryAllocationFailsTest} fails every
 * allocation of a longer workload in turn.
 */
class AllocationFailureTest {
    private static final long SLOT_BYTES = 16;

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();
    private final TestAllocator allocator = caches.allocator();
    private final PixmapCache<String> cache = caches.cache(1 << 20);
    private final Arena arena = caches.arena();

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
        return TestPixmaps.patterned(arena, width, height, seed);
    }

    /** A loader's step: draws {@code source} into a pixmap from {@code pixmaps}. */
    private static Pixmap copyInto(PixmapAllocator pixmaps, Pixmap source) {
        Pixmap pixmap = pixmaps.allocate(source.width(), source.height(), source.format());
        MemorySegment.copy(source.segment(), 0, pixmap.segment(), 0, source.byteSize());
        return pixmap;
    }
}
