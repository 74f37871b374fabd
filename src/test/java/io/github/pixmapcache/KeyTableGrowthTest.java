package io.github.pixmapcache;

import static io.github.pixmapcache.internal.index.KeyTable.INITIAL_CAPACITY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The anonymous key table grows by doubling from {@code KeyTable.INITIAL_CAPACITY}, keeps every
 * Key pointing at its own pixels across growth, reuses freed slots without reviving stale keys,
 * and gives all its memory back on close.
 *
 * <p>Every pixmap is 4x1 GRAY_8: 4 bytes, one allocation, holding its index as an int, so the
 * allocator's counts separate pixel blocks (4 bytes each) from key tables (16 bytes a slot).
 */
class KeyTableGrowthTest {
    private static final long SLOT_BYTES = 16;
    private static final long PIXMAP_BYTES = 4;
    /** 2^20 keys fill the table exactly: 2^8, 2^9, ..., 2^20 slots, 13 tables. */
    private static final int MANY_KEYS = 1 << 20;
    private static final int TABLES_FOR_MANY_KEYS = 13;
    private static final long CAPACITY_FOR_MANY_KEYS = 1 << 20;
    private static final int REMOVAL_STRIDE = 8;
    /** Pixels are read back through a find for every this-many-th key; validity is checked for all. */
    private static final int FIND_STRIDE = 7;

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();
    private final TestAllocator allocator = caches.allocator();
    private final PixmapCache<String> cache = caches.cache(1L << 40);
    private final Arena arena = caches.arena();
    private final Pixmap source = Pixmap.allocate(arena, 4, 1, PixelFormat.GRAY_8);

    @ParameterizedTest(name = "{0} keys -> {1} table allocations, {2} slots")
    @CsvSource({
        "1, 1, 256",
        "255, 1, 256",
        "256, 1, 256",
        "257, 2, 512",
        "512, 2, 512",
        "513, 3, 1024",
        "4096, 5, 4096",
        "4097, 6, 8192",
    })
    void tableDoublesFromInitialCapacityWhenFull(int keys, int tableAllocations, long capacity) {
        insertIndexed(0, keys);

        assertTableAllocations(keys, tableAllocations);
        assertEquals(capacity * SLOT_BYTES, allocator.liveBytes() - cache.usedBytes(), "current table size");
        assertEquals(keys + 1, allocator.liveBlocks());
    }

    @Test
    void aMillionKeysStayOnTheirOwnPixelsThroughGrowthRemovalsAndReuse() {
        PixmapCache.Key[] keys = insertIndexed(0, MANY_KEYS);

        assertEquals(MANY_KEYS, cache.size());
        assertEquals(MANY_KEYS * PIXMAP_BYTES, cache.usedBytes());
        assertTableAllocations(MANY_KEYS, TABLES_FOR_MANY_KEYS);
        assertEquals(CAPACITY_FOR_MANY_KEYS * SLOT_BYTES, allocator.liveBytes() - cache.usedBytes(), "a full table");
        assertAllValidAndSampleFindOwnPixels(keys, 0);

        int removed = 0;
        for (int i = 0; i < keys.length; i += REMOVAL_STRIDE) {
            assertTrue(cache.remove(keys[i]), "first removal of key " + i);
            assertStale(keys[i], i);
            removed++;
        }
        PixmapCache.Key[] reinserted = insertIndexed(MANY_KEYS, removed);

        assertTableAllocations(MANY_KEYS + removed, TABLES_FOR_MANY_KEYS);
        assertEquals(MANY_KEYS, cache.size());
        for (int i = 0; i < keys.length; i++) {
            if (i % REMOVAL_STRIDE == 0) {
                assertStale(keys[i], i);
            } else if (i % FIND_STRIDE == 0) {
                assertFindsIndex(keys[i], i);
            } else if (!keys[i].isValid()) {
                fail("key " + i + " lost by removals of other keys: " + keys[i]);
            }
        }
        assertAllValidAndSampleFindOwnPixels(reinserted, MANY_KEYS);

        PixmapCache.Key overflow = insertIndexed(MANY_KEYS + removed, 1)[0];
        assertTableAllocations(MANY_KEYS + removed + 1, TABLES_FOR_MANY_KEYS + 1);
        assertEquals(2 * CAPACITY_FOR_MANY_KEYS * SLOT_BYTES, allocator.liveBytes() - cache.usedBytes(),
                "every freed slot was reused before the table grew again");
        assertFindsIndex(overflow, MANY_KEYS + removed);

        cache.close();
        assertEquals(0, allocator.liveBytes());
        assertEquals(0, allocator.liveBlocks());
        assertFalse(keys[1].isValid());
        assertFalse(overflow.isValid());
    }

    @Test
    void slotFreedByRemovalIsReusedByTheNextInsertUnderANewGeneration() {
        PixmapCache.Key[] keys = insertIndexed(0, INITIAL_CAPACITY);
        assertTrue(cache.remove(keys[7]));
        long attemptsBefore = allocator.allocationAttempts();

        PixmapCache.Key successor = insertIndexed(INITIAL_CAPACITY, 1)[0];

        assertEquals(attemptsBefore + 1, allocator.allocationAttempts(), "the freed slot, no new table");
        assertStale(keys[7], 7);
        assertFindsIndex(successor, INITIAL_CAPACITY);
        assertFalse(cache.remove(keys[7]), "a stale key removes nothing");
        assertFindsIndex(successor, INITIAL_CAPACITY);
    }

    /** Inserts {@code count} pixmaps holding first, first + 1, ...; returns their keys in order. */
    private PixmapCache.Key[] insertIndexed(int first, int count) {
        PixmapCache.Key[] keys = new PixmapCache.Key[count];
        for (int i = 0; i < count; i++) {
            source.segment().set(ValueLayout.JAVA_INT_UNALIGNED, 0, first + i);
            keys[i] = cache.insert(source);
        }
        return keys;
    }

    /** Each pixmap is one allocation; the rest are tables, all freed but the current one. */
    private void assertTableAllocations(int pixmapsInserted, int tables) {
        assertEquals(pixmapsInserted + tables, allocator.allocationAttempts(), "pixel blocks plus tables");
        assertEquals(pixmapsInserted - cache.size() + tables - 1, allocator.frees(), "freed pixmaps plus old tables");
    }

    /** Every key valid, and a sample (the first, the last, every FIND_STRIDE-th) finds first + its index. */
    private void assertAllValidAndSampleFindOwnPixels(PixmapCache.Key[] keys, int first) {
        for (int i = 0; i < keys.length; i++) {
            if (!keys[i].isValid()) {
                fail("key " + (first + i) + " is invalid: " + keys[i]);
            }
            if (i % FIND_STRIDE == 0 || i == keys.length - 1) {
                assertFindsIndex(keys[i], first + i);
            }
        }
    }

    private void assertFindsIndex(PixmapCache.Key key, int index) {
        if (!key.isValid()) {
            fail("key " + index + " is invalid: " + key);
        }
        try (PixmapLease lease = cache.find(key)) {
            if (lease == null) {
                fail("key " + index + " misses: " + key);
            }
            int found = lease.pixmap().segment().get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            if (found != index) {
                fail("key " + index + " finds the pixels of " + found + ": " + key);
            }
        }
    }

    private void assertStale(PixmapCache.Key key, int index) {
        if (key.isValid()) {
            fail("stale key " + index + " is valid again: " + key);
        }
        assertNull(cache.find(key), () -> "stale key " + index + " finds pixels: " + key);
    }
}
