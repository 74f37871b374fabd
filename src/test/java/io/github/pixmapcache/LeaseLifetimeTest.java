package io.github.pixmapcache;

import static io.github.pixmapcache.testing.Accesses.refusedAsClosed;
import static io.github.pixmapcache.testing.Accesses.thrownOnAnotherThread;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.PixmapCache.Key;
import io.github.pixmapcache.internal.memory.NativeAllocator;
import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestAllocator;
import io.github.pixmapcache.testing.TestPixmaps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Lease lifetimes as the FFM runtime enforces them: views that die with their lease, memory that
 * outlives the entry's stay in the cache but not its last lease, read-only and thread-confined
 * views, shared leases, and blocks reused for other pixmaps that stale views can never read.
 */
class LeaseLifetimeTest {
    /** Bytes of every test pixmap: 32 BGRA pixels in one row. */
    private static final int UNIT = 128;
    private static final int BLUE = 0xFF0000FF;

    @RegisterExtension
    final CacheFixture caches = CacheFixture.withSharedArena();  // shared: other threads compare against its pixmaps
    private final Arena arena = caches.arena();
    private final TestAllocator allocator = caches.allocator();
    private final PixmapCache<String> cache = caches.cache(EvictionPolicy.LRU, 4 * UNIT);
    /** A pixmap whose pixels all differ, and the saved copy every lease is compared against. */
    private final Pixmap original = gradient();

    // ------------------------------------------------------------------ closing a lease

    @Test
    void closedLeaseRefusesItsPixmap() {
        PixmapLease lease = leaseOf("a");

        lease.close();

        assertThrows(IllegalStateException.class, lease::pixmap);
    }

    @Test
    void everyViewTakenBeforeCloseDiesWithTheLease() {
        PixmapLease lease = leaseOf("a");
        Pixmap pixmap = lease.pixmap();
        MemorySegment segment = pixmap.segment();
        MemorySegment slice = segment.asSlice(UNIT / 2, 16);
        ByteBuffer buffer = segment.asByteBuffer();
        assertEquals(original.getArgb(5, 0), pixmap.getArgb(5, 0));
        assertEquals(original.segment().get(JAVA_BYTE, UNIT / 2), slice.get(JAVA_BYTE, 0));
        assertEquals(original.segment().get(JAVA_BYTE, 9), buffer.get(9));

        lease.close();

        assertAll(
                refusedAsClosed(() -> pixmap.getArgb(5, 0)),
                refusedAsClosed(() -> pixmap.contentEquals(original)),
                refusedAsClosed(() -> segment.get(JAVA_BYTE, 0)),
                refusedAsClosed(() -> segment.toArray(JAVA_BYTE)),
                refusedAsClosed(() -> slice.get(JAVA_BYTE, 0)),
                refusedAsClosed(() -> buffer.get(9)));
    }

    @Test
    void closingAConfinedLeaseTwiceIsANoOp() {
        PixmapLease lease = leaseOf("a");

        lease.close();
        assertDoesNotThrow(lease::close);

        assertEquals(0, allocator.frees(), "a second close must not drop the cache's own reference");
        assertCachedOriginal("a");
    }

    @Test
    void closingASharedLeaseTwiceIsANoOp() {
        PixmapLease shared;
        try (PixmapLease lease = leaseOf("a")) {
            shared = lease.share();
        }

        shared.close();
        assertDoesNotThrow(shared::close);

        assertEquals(0, allocator.frees(), "a second close must not drop the cache's own reference");
        assertCachedOriginal("a");
    }

    // ------------------------------------------------------------------ leases outlive their entry

    @Test
    void leaseOutlivesEviction() {
        PixmapLease lease = leaseOf("a");

        insertBlue("b", "c", "d", "e");

        assertNull(cache.find("a"));
        assertEquals(cache.usedBytes() + UNIT, allocator.liveBytes());
        assertPinnedUntilClosed(lease);
    }

    @Test
    void leaseOutlivesRemoveByName() {
        PixmapLease lease = leaseOf("a");

        assertTrue(cache.remove("a"));

        assertNull(cache.find("a"));
        assertEquals(UNIT, allocator.liveBytes());
        assertPinnedUntilClosed(lease);
    }

    @Test
    void leaseOutlivesRemoveByKey() {
        Key key = cache.insert(original);
        PixmapLease lease = cache.find(key);

        assertTrue(cache.remove(key));

        assertNull(cache.find(key));
        assertPinnedUntilClosed(lease);
    }

    @Test
    void leaseOutlivesReplace() {
        Key key = cache.insert(original);
        PixmapLease lease = cache.find(key);
        Pixmap blue = solidBlue();

        assertTrue(cache.replace(key, blue));

        assertPixels(blue, cache.find(key));
        assertPinnedUntilClosed(lease);
    }

    @Test
    void leaseOutlivesReinsertUnderTheSameKey() {
        PixmapLease lease = leaseOf("a");
        Pixmap blue = solidBlue();

        assertTrue(cache.insert("a", blue));

        assertPixels(blue, cache.find("a"));
        assertEquals(2 * UNIT, allocator.liveBytes());
        assertPinnedUntilClosed(lease);
    }

    @Test
    void leaseOutlivesClear() {
        PixmapLease lease = leaseOf("a");
        insertBlue("b");

        cache.clear();

        assertNull(cache.find("a"));
        assertEquals(UNIT, allocator.liveBytes(), "clear frees what no lease pins");
        assertPinnedUntilClosed(lease);
    }

    @Test
    void leaseOutlivesTheCacheItself() {
        PixmapLease lease = leaseOf("a");
        insertBlue("b");
        cache.insert(solidBlue());

        cache.close();

        assertEquals(UNIT, allocator.liveBytes(), "close frees everything but the leased pixmap");
        assertTrue(lease.pixmap().contentEquals(original));
        lease.close();
        assertEquals(0, allocator.liveBytes());
        assertThrows(IllegalStateException.class, lease::pixmap);
    }

    @Test
    void memoryIsFreedOnlyWhenTheLastOfTwoLeasesCloses() {
        PixmapLease first = leaseOf("a");
        PixmapLease second = cache.find("a");
        cache.remove("a");

        first.close();

        assertEquals(0, allocator.frees());
        assertThrows(IllegalStateException.class, first::pixmap);
        assertTrue(second.pixmap().contentEquals(original));
        assertEquals(UNIT, cache.stats().leasedDetachedBytes());
        second.close();
        assertEquals(1, allocator.frees());
        assertEquals(0, allocator.liveBytes());
        assertEquals(0, cache.stats().leasedDetachedBytes());
    }

    // ------------------------------------------------------------------ read-only

    @Test
    void leasedPixmapIsReadOnly() {
        Pixmap blue = solidBlue();
        try (PixmapLease lease = leaseOf("a")) {
            Pixmap pixmap = lease.pixmap();

            assertTrue(pixmap.segment().isReadOnly());
            assertAll(
                    () -> assertThrows(IllegalArgumentException.class, () -> pixmap.setArgb(0, 0, BLUE)),
                    () -> assertThrows(IllegalArgumentException.class, () -> pixmap.fill(BLUE)),
                    () -> assertThrows(IllegalArgumentException.class, () -> pixmap.segment().set(JAVA_BYTE, 0, (byte) 1)),
                    () -> assertThrows(IllegalArgumentException.class,
                            () -> MemorySegment.copy(blue.segment(), 0, pixmap.segment(), 0, UNIT)),
                    () -> assertThrows(ReadOnlyBufferException.class,
                            () -> pixmap.segment().asByteBuffer().put(0, (byte) 1)));
        }
        assertCachedOriginal("a");
    }

    // ------------------------------------------------------------------ threads

    @Test
    void confinedLeaseRefusesOtherThreadsAndStaysUsableByItsOwner() throws InterruptedException {
        PixmapLease lease = leaseOf("a");
        Pixmap pixmap = lease.pixmap();

        assertInstanceOf(WrongThreadException.class, thrownOnAnotherThread(() -> pixmap.getArgb(0, 0)));
        assertInstanceOf(WrongThreadException.class,
                thrownOnAnotherThread(() -> lease.pixmap().segment().get(JAVA_BYTE, 0)));
        assertInstanceOf(WrongThreadException.class, thrownOnAnotherThread(lease::close));

        cache.remove("a");
        assertTrue(lease.pixmap().contentEquals(original));
        assertPinnedUntilClosed(lease);
    }

    @Test
    void sharedLeaseIsReadAndClosedOnAnExecutorAfterTheConfinedLeaseCloses() throws Exception {
        PixmapLease confined = leaseOf("a");
        PixmapLease shared = confined.share();
        confined.close();
        cache.remove("a");
        MemorySegment segment;

        try (ExecutorService executor = Executors.newSingleThreadExecutor()) {
            assertTrue(executor.submit(() -> shared.pixmap().contentEquals(original)).get());
            segment = executor.submit(() -> shared.pixmap().segment()).get();
            assertEquals(UNIT, cache.stats().leasedDetachedBytes());
            executor.submit(shared::close).get();
        }

        assertThrows(IllegalStateException.class, shared::pixmap);
        assertThrows(IllegalStateException.class, () -> segment.get(JAVA_BYTE, 0));
        assertEquals(0, allocator.liveBytes());
        assertEquals(0, cache.stats().leasedDetachedBytes());
    }

    @Test
    void sharedLeaseIsReadAndClosedOnAPlainThreadWhileTheConfinedLeaseStillPins() throws InterruptedException {
        PixmapLease confined = leaseOf("a");
        PixmapLease shared = confined.share();
        cache.remove("a");
        AtomicInteger pixelSeenThere = new AtomicInteger();

        assertNull(thrownOnAnotherThread(() -> {
            pixelSeenThere.set(shared.pixmap().getArgb(7, 0));
            shared.close();
        }));

        assertEquals(original.getArgb(7, 0), pixelSeenThere.get());
        assertThrows(IllegalStateException.class, shared::pixmap);
        assertTrue(confined.pixmap().contentEquals(original));
        assertPinnedUntilClosed(confined);
    }

    @Test
    void shareOfAClosedLeaseThrows() {
        PixmapLease confined = leaseOf("a");
        PixmapLease shared = confined.share();

        confined.close();
        shared.close();

        assertThrows(IllegalStateException.class, confined::share);
        assertThrows(IllegalStateException.class, shared::share);
    }

    // ------------------------------------------------------------------ reused memory

    /**
     * The canary: a block is freed, handed straight back for a different pixmap, and every read
     * through a view of its old owner (pixmap, segment, slice, ByteBuffer and a slice of it) throws
     * instead of returning the new pixmap's bytes.
     */
    @ParameterizedTest(name = "views of {0}")
    @EnumSource(StaleViewSource.class)
    void memoryReusedForAnotherPixmapIsNeverVisibleThroughStaleViews(StaleViewSource source) {
        Pixmap blue = solidBlue();
        try (RecyclingAllocator recycler = new RecyclingAllocator();
                PixmapCache<String> recycling = PixmapCache.<String>builder().nativeAllocator(recycler).build()) {
            StaleView stale = source.view(recycling, original);
            Pixmap pixmap = stale.pixmap();
            MemorySegment segment = pixmap.segment();
            MemorySegment slice = segment.asSlice(8, 16);
            ByteBuffer buffer = segment.asByteBuffer();
            ByteBuffer bufferSlice = buffer.slice(8, 16);
            stale.release().run();

            recycling.insert("b", blue);

            try (PixmapLease reused = recycling.find("b")) {
                assertEquals(segment.address(), reused.pixmap().segment().address(), "the block was reused");
                assertTrue(reused.pixmap().contentEquals(blue));
            }
            assertAll(
                    refusedAsClosed(() -> pixmap.getArgb(0, 0)),
                    refusedAsClosed(() -> pixmap.contentEquals(blue)),
                    refusedAsClosed(() -> segment.get(JAVA_BYTE, 0)),
                    refusedAsClosed(() -> segment.toArray(JAVA_BYTE)),
                    refusedAsClosed(() -> MemorySegment.copy(segment, 0, blue.segment(), 0, UNIT)),
                    refusedAsClosed(() -> slice.get(JAVA_BYTE, 0)),
                    refusedAsClosed(() -> buffer.get(0)),
                    refusedAsClosed(() -> buffer.asIntBuffer().get(0)),
                    refusedAsClosed(() -> bufferSlice.get(0)));
        }
    }

    /** Where a view of a cache-owned block can come from, and how its owner lets go of the block. */
    enum StaleViewSource {
        /** A confined lease on an entry that was removed; the lease closes last. */
        CONFINED_LEASE {
            @Override
            StaleView view(PixmapCache<String> cache, Pixmap original) {
                cache.insert("a", original);
                PixmapLease lease = cache.find("a");
                cache.remove("a");
                return new StaleView(lease.pixmap(), lease::close);
            }
        },
        /** A shared lease taken from a confined one; the confined lease closes first, the shared last. */
        SHARED_LEASE {
            @Override
            StaleView view(PixmapCache<String> cache, Pixmap original) {
                cache.insert("a", original);
                PixmapLease shared;
                try (PixmapLease confined = cache.find("a")) {
                    shared = confined.share();
                }
                cache.remove("a");
                return new StaleView(shared.pixmap(), shared::close);
            }
        },
        /** A scratch pixmap a loader drew into and kept; the load's end frees it. */
        LOADER_SCRATCH {
            @Override
            StaleView view(PixmapCache<String> cache, Pixmap original) {
                Pixmap[] kept = new Pixmap[1];
                cache.computeIfAbsent("loaded", (key, pixmaps) -> {
                    kept[0] = pixmaps.allocate(original.width(), original.height(), original.format());
                    MemorySegment.copy(original.segment(), 0, kept[0].segment(), 0, UNIT);
                    return pixmaps.allocate(1, 1, PixelFormat.GRAY_8);
                }).close();
                return new StaleView(kept[0], () -> {});  // the load's end already freed the block
            }
        };

        /** Puts {@code original} into the cache's memory and returns a view of it. */
        abstract StaleView view(PixmapCache<String> cache, Pixmap original);
    }

    /** A view of a cache-owned block, and what lets go of the last thing keeping that block allocated. */
    record StaleView(Pixmap pixmap, Runnable release) {}

    // ------------------------------------------------------------------ helpers

    /** Inserts the original under {@code name} and leases it. */
    private PixmapLease leaseOf(String name) {
        assertTrue(cache.insert(name, original));
        PixmapLease lease = cache.find(name);
        assertNotNull(lease);
        return lease;
    }

    private void insertBlue(String... names) {
        for (String name : names) {
            assertTrue(cache.insert(name, solidBlue()));
        }
    }

    /**
     * The lease reads the original although its entry left the cache; its bytes count as leased
     * and detached, and stay allocated until the lease closes.
     */
    private void assertPinnedUntilClosed(PixmapLease lease) {
        assertTrue(lease.pixmap().contentEquals(original), "the lease must read its own pixels");
        assertEquals(UNIT, cache.stats().leasedDetachedBytes());
        long liveBytes = allocator.liveBytes();

        lease.close();

        assertEquals(liveBytes - UNIT, allocator.liveBytes(), "closing the last lease frees the pixmap");
        assertEquals(0, cache.stats().leasedDetachedBytes());
    }

    private void assertCachedOriginal(String name) {
        assertPixels(original, cache.find(name));
        assertEquals(UNIT, cache.usedBytes());
    }

    /** The lease is a hit on {@code expected}'s pixels; closes it. */
    private static void assertPixels(Pixmap expected, PixmapLease lease) {
        assertNotNull(lease);
        try (lease) {
            assertTrue(lease.pixmap().contentEquals(expected));
        }
    }

    /** Every pixel differs: opaque, with x in each channel. */
    private Pixmap gradient() {
        return TestPixmaps.gradientRow(arena, UNIT / 4);
    }

    private Pixmap solidBlue() {
        return TestPixmaps.solidRow(arena, UNIT, BLUE);
    }

    /**
     * Hands a freed block straight back to the next allocation of the same size, as malloc often
     * does, so that reuse of a leased pixmap's memory is certain rather than likely.
     */
    private static final class RecyclingAllocator implements NativeAllocator, AutoCloseable {
        private final NativeAllocator system = NativeAllocator.system();
        private final Map<Long, Deque<Long>> freedBySize = new HashMap<>();

        @Override
        public synchronized long allocate(long byteSize) {
            Deque<Long> freed = freedBySize.get(byteSize);
            return freed == null || freed.isEmpty() ? system.allocate(byteSize) : freed.pop();
        }

        @Override
        public synchronized void free(long address, long byteSize) {
            freedBySize.computeIfAbsent(byteSize, size -> new ArrayDeque<>()).push(address);
        }

        /** Returns every block to the system; call after the cache using it is closed. */
        @Override
        public synchronized void close() {
            freedBySize.forEach((size, blocks) -> blocks.forEach(address -> system.free(address, size)));
            freedBySize.clear();
        }
    }
}
