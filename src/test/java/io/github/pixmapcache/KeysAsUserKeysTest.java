package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@link PixmapCache.Key}, this cache's or another's, is a legal user key of a
 * {@code PixmapCache<Object>} (immutable, identity equality): the entry under it is keyed, not
 * anonymous, whatever leaves the cache, and no lease on it ever reads freed memory.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)  // a guard against a spinning find
class KeysAsUserKeysTest {
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
    void ownKeyAsUserKeyStaysKeyedThroughClearAndReinsertWhileLeased(EvictionPolicy policy) {
        try (PixmapCache<Object> cache = cache(policy, 1 << 20)) {
            PixmapCache.Key anonymous = cache.insert(filled(1));
            Object userKey = anonymous;
            assertTrue(cache.insert(userKey, filled(2)));
            PixmapLease lease = cache.find(userKey);

            cache.clear();
            assertEquals(0, cache.size());
            assertEquals(0, cache.usedBytes());
            assertFalse(anonymous.isValid());
            assertNull(cache.find(userKey));

            assertTrue(cache.insert(userKey, filled(3)));
            assertTrue(cache.insert(filled(4)).isValid(), "the key table survived");
            assertEquals(2, cache.size());
            assertEquals(2 * BYTES, cache.usedBytes());
            try (lease) {
                assertEquals(colour(2), lease.pixmap().getArgb(3, 3), "the lease reads its own pixels");
            }
            assertFinds(cache, userKey, 3);
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void ownKeyAsUserKeyIsEvictedAsAKeyedEntry(EvictionPolicy policy) {
        try (PixmapCache<Object> cache = cache(policy, 2 * BYTES)) {
            PixmapCache.Key anonymous = cache.insert(filled(1));
            assertTrue(cache.insert(anonymous, filled(2)));
            PixmapLease lease = cache.find((Object) anonymous);
            assertNotNull(lease);

            for (int i = 0; i < 8; i++) {
                assertTrue(cache.insert("filler " + i, filled(10 + i)));
                assertBooksHold(cache);
            }
            assertTrue(cache.insert(anonymous, filled(3)));
            assertBooksHold(cache);
            try (lease) {
                assertEquals(colour(2), lease.pixmap().getArgb(0, 0), "the lease reads its own pixels");
            }
            try (PixmapLease again = cache.find((Object) anonymous)) {
                if (again != null) {
                    assertEquals(colour(3), again.pixmap().getArgb(0, 0));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void foreignKeyAsUserKeyIsEvictedRemovedAndClearedAsAKeyedEntry(EvictionPolicy policy) {
        try (PixmapCache<Object> other = cache(policy, 1 << 20);
                PixmapCache<Object> cache = cache(policy, 2 * BYTES)) {
            PixmapCache.Key foreign = other.insert(filled(1));
            assertTrue(cache.insert(foreign, filled(2)));
            for (int i = 0; i < 4; i++) {
                assertTrue(cache.insert("filler " + i, filled(10 + i)));
                assertBooksHold(cache);
            }
            assertTrue(cache.insert(foreign, filled(3)));
            cache.remove((Object) foreign);
            assertNull(cache.find((Object) foreign));
            assertTrue(cache.insert(foreign, filled(4)));
            cache.clear();
            assertEquals(0, cache.size());
            assertEquals(0, cache.usedBytes());
            assertTrue(foreign.isValid(), "the other cache's own entry is untouched");
            assertFinds(other, foreign, 1);
        }
    }

    private PixmapCache<Object> cache(EvictionPolicy policy, long maximumBytes) {
        return allocator.<Object>builder().maximumBytes(maximumBytes).evictionPolicy(policy).build();
    }

    private static void assertBooksHold(PixmapCache<Object> cache) {
        assertTrue(cache.usedBytes() <= cache.maximumBytes(), "used " + cache.usedBytes() + " over the budget");
        assertEquals(cache.size() * BYTES, cache.usedBytes(), "usedBytes against size");
    }

    private static void assertFinds(PixmapCache<Object> cache, Object key, int seed) {
        try (PixmapLease lease = cache.find(key)) {
            assertNotNull(lease, "a hit on " + key);
            assertEquals(colour(seed), lease.pixmap().getArgb(1, 2));
        }
    }

    private static void assertFinds(PixmapCache<Object> cache, PixmapCache.Key key, int seed) {
        try (PixmapLease lease = cache.find(key)) {
            assertNotNull(lease, "a hit on " + key);
            assertEquals(colour(seed), lease.pixmap().getArgb(1, 2));
        }
    }

    private Pixmap filled(int seed) {
        Pixmap pixmap = Pixmap.allocate(arena, 4, 4, PixelFormat.RGBA_8888);
        pixmap.fill(colour(seed));
        return pixmap;
    }

    private static int colour(int seed) {
        return 0xFF000000 | seed * 0x010305;
    }
}
