package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A user key that breaks its contract (a {@code hashCode} that throws, or one that changes while
 * the key is cached) may be lost, but never corrupts the budget or the books, never makes a find
 * spin, never frees memory a lease reads, and {@code clear()} always empties the cache.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)  // a guard against a spinning find
class ContractBreakingKeysTest {
    private static final long BYTES = 4 * 4 * 4;

    private final TestAllocator allocator = new TestAllocator();
    private final Arena arena = Arena.ofShared();  // the test body runs on the timeout thread

    @AfterEach
    void nothingLeaked() {
        arena.close();
        assertEquals(0, allocator.liveBytes(), "native bytes still allocated after the cache closed");
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void keyWhoseHashCodeStartsThrowingIsEvictedAndClearedWithoutBreakingTheBudget(EvictionPolicy policy) {
        try (PixmapCache<Object> cache = cache(policy, 2 * BYTES)) {
            BrokenKey broken = new BrokenKey(7);
            assertTrue(cache.insert(broken, filled(1)));
            broken.throwing = true;

            for (int i = 0; i < 6; i++) {
                assertTrue(cache.insert("filler " + i, filled(10 + i)), "insert " + i);
                assertBooksHold(cache);
            }
            assertTrue(cache.insert("last", filled(20)));
            cache.clear();
            assertEquals(0, cache.size());
            assertEquals(0, cache.usedBytes());
            assertTrue(cache.insert("after", filled(21)));
            assertBooksHold(cache);
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void keyWhoseHashCodeThrowsOnInsertFailsThatInsertAndLeavesNothingBehind(EvictionPolicy policy) {
        try (PixmapCache<Object> cache = cache(policy, 4 * BYTES)) {
            assertTrue(cache.insert("kept", filled(1)));
            BrokenKey broken = new BrokenKey(7);
            broken.throwing = true;

            assertThrows(BrokenKey.Refused.class, () -> cache.insert(broken, filled(2)));
            assertThrows(BrokenKey.Refused.class,
                    () -> cache.computeIfAbsent(broken, (key, pixmaps) -> pixmaps.allocate(4, 4, PixelFormat.RGBA_8888)));

            assertEquals(1, cache.size());
            assertEquals(BYTES, cache.usedBytes());
            assertEquals(BYTES, allocator.liveBytes(), "only the kept pixmap is allocated");
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void keyWhoseHashChangedIsLostNotLeftHalfFreed(EvictionPolicy policy) {
        try (PixmapCache<Object> cache = cache(policy, 2 * BYTES)) {
            BrokenKey moved = new BrokenKey(7);
            assertTrue(cache.insert(moved, filled(1)));
            PixmapLease lease = cache.find(moved);
            moved.hash = 8;

            cache.clear();  // cannot find the entry under its new hash
            assertEquals(0, cache.size());
            assertEquals(0, cache.usedBytes());
            try (lease) {
                assertEquals(colour(1), lease.pixmap().getArgb(2, 2), "the lease reads its own pixels");
            }
            moved.hash = 7;
            assertNull(cache.find(moved), "a miss, not a spin on the freed entry");
            assertNull(cache.find(moved), "and again");

            assertTrue(cache.insert(moved, filled(2)));
            try (PixmapLease again = cache.find(moved)) {
                assertNotNull(again);
                assertEquals(colour(2), again.pixmap().getArgb(2, 2));
            }
            try (PixmapLease loaded = cache.computeIfAbsent(moved, (key, pixmaps) -> {
                throw new AssertionError("cached, so never loaded");
            })) {
                assertEquals(colour(2), loaded.pixmap().getArgb(2, 2));
            }
            assertTrue(cache.remove(moved));
            assertEquals(0, cache.size());
            try (PixmapLease loaded = cache.computeIfAbsent(moved, (key, pixmaps) -> filled(3, pixmaps))) {
                assertEquals(colour(3), loaded.pixmap().getArgb(2, 2));
            }
            assertBooksHold(cache);
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void evictedEntryUnderAKeyWhoseHashChangedIsNeverHandedOutFreed(EvictionPolicy policy) {
        try (PixmapCache<Object> cache = cache(policy, 2 * BYTES)) {
            BrokenKey moved = new BrokenKey(7);
            assertTrue(cache.insert(moved, filled(1)));
            moved.hash = 8;
            cache.setMaximumBytes(0);  // evicts it, but cannot find it under its new hash
            cache.setMaximumBytes(2 * BYTES);
            moved.hash = 7;

            assertNull(cache.find(moved), "a miss, not a spin on the freed entry");
            try (PixmapLease loaded = cache.computeIfAbsent(moved, (key, pixmaps) -> filled(3, pixmaps))) {
                assertEquals(colour(3), loaded.pixmap().getArgb(2, 2));
            }
            assertEquals(1, cache.size());
            assertBooksHold(cache);
        }
    }

    private PixmapCache<Object> cache(EvictionPolicy policy, long maximumBytes) {
        return allocator.<Object>builder().maximumBytes(maximumBytes).evictionPolicy(policy).build();
    }

    private static void assertBooksHold(PixmapCache<Object> cache) {
        assertTrue(cache.usedBytes() <= cache.maximumBytes(), "used " + cache.usedBytes() + " over the budget");
        assertEquals(cache.size() * BYTES, cache.usedBytes(), "usedBytes against size");
        assertEquals(cache.size(), cache.stats().entries());
    }

    private Pixmap filled(int seed) {
        Pixmap pixmap = Pixmap.allocate(arena, 4, 4, PixelFormat.RGBA_8888);
        pixmap.fill(colour(seed));
        return pixmap;
    }

    private static Pixmap filled(int seed, PixmapAllocator pixmaps) {
        Pixmap pixmap = pixmaps.allocate(4, 4, PixelFormat.RGBA_8888);
        pixmap.fill(colour(seed));
        return pixmap;
    }

    private static int colour(int seed) {
        return 0xFF000000 | seed * 0x010305;
    }

    /** Equal by id; its hash is whatever the test sets, and it throws while {@code throwing}. */
    static final class BrokenKey {
        private final int id;
        volatile int hash;
        volatile boolean throwing;

        BrokenKey(int id) {
            this.id = id;
            this.hash = id;
        }

        @Override
        public int hashCode() {
            if (throwing) {
                throw new Refused();
            }
            return hash;
        }

        /** The hash it starts with. */
        int hashCodeWhenUnbroken() {
            return id;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof BrokenKey key && key.id == id;
        }

        @Override
        public String toString() {
            return "BrokenKey[" + id + "]";
        }

        static final class Refused extends RuntimeException {
            Refused() {
                super("hashCode refused");
            }
        }
    }
}
