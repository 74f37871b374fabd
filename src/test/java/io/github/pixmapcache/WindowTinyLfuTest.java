package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestAllocator;
import io.github.pixmapcache.testing.TestPixmaps;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The default policy, {@link EvictionPolicy#WINDOW_TINY_LFU}: admission by frequency per byte,
 * resistance to scans, and the byte budget. Pixmaps are multiples of {@value #UNIT} bytes; with a
 * budget of 10 units the window (1% of the budget) is smaller than one pixmap, so every newcomer
 * that does not fit in main at once meets main's oldest probationary entry.
 */
class WindowTinyLfuTest {
    private static final int UNIT = 100;

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();
    private final Arena arena = caches.arena();
    private final TestAllocator allocator = caches.allocator();

    @Test
    void isTheDefaultPolicy() {
        PixmapCache<String> cache = caches.cache(10 * UNIT);
        fillHot(cache, 9);

        scan(cache, 100);

        assertHotCached(cache, 9);  // LRU would have lost them all to the scan
    }

    @Test
    void aScanOfOneHitPixmapsNeverDisplacesFrequentlyUsedOnes() {
        PixmapCache<String> ours = cache(EvictionPolicy.WINDOW_TINY_LFU, 10 * UNIT);
        PixmapCache<String> lru = cache(EvictionPolicy.LRU, 10 * UNIT);
        for (PixmapCache<String> cache : List.of(ours, lru)) {
            fillHot(cache, 9);
            scan(cache, 100);  // ten times the cache: short enough that aging keeps the hot counts above 0
        }

        assertHotCached(ours, 9);
        assertEquals(10, ours.size(), "the 9 hot pixmaps and the scan's last, still in the window");
        assertEquals(99, ours.stats().evictions(), "every scanned pixmap but the last, and nothing else");
        for (int i = 0; i < 9; i++) {
            assertFalse(isCached(lru, "hot" + i), "LRU keeps hot" + i + " through a scan: the test shows nothing");
        }
    }

    @Test
    void aLoopLargerThanTheCacheStillHitsWhereLruNeverDoes() {
        double ours = loopHitRatio(EvictionPolicy.WINDOW_TINY_LFU);
        double lru = loopHitRatio(EvictionPolicy.LRU);

        assertEquals(0.0, lru, "LRU on a loop over twice its capacity");
        assertTrue(ours >= 0.3, "hit ratio " + ours + " on a loop of 20 in room for 10 (OPT: about 0.45)");
    }

    @Test
    void oneHugePixmapDoesNotFlushManySmallHotOnesEvenWhenRequestedMoreOftenThanEachOfThem() {
        PixmapCache<String> cache = cache(EvictionPolicy.WINDOW_TINY_LFU, 100 * UNIT);
        fillHot(cache, 90);  // 3 requests each

        for (int request = 1; request <= 5; request++) {  // a miss, then an insert, as a loader does
            assertFalse(isCached(cache, "huge"), "request " + request);
            assertTrue(cache.insert("huge", solid(50 * UNIT)), "an insert within the budget succeeds");
        }

        assertFalse(isCached(cache, "huge"), "5 requests per 50 units lose against 3 per unit");
        assertHotCached(cache, 90);
        assertEquals(90 * UNIT, cache.usedBytes());
        assertEquals(5, cache.stats().evictions(), "the huge pixmap itself, evicted at once each time");
    }

    @Test
    void aLargerPixmapGetsInOnceItIsWorthMoreHitsPerByteThanItsVictims() {
        PixmapCache<String> cache = cache(EvictionPolicy.WINDOW_TINY_LFU, 10 * UNIT);
        for (int i = 0; i < 9; i++) {
            cache.insert("cold" + i, solid(UNIT));  // each seen once: 1 hit per unit
        }

        cache.insert("double", solid(2 * UNIT));  // seen once: 1 per 2 units, rejected
        assertFalse(isCached(cache, "double"));
        assertEquals(9, cache.size());
        cache.insert("double", solid(2 * UNIT));  // seen twice: 1 per unit, a tie keeps the victim
        assertFalse(isCached(cache, "double"), "by frequency alone, 2 would have beaten 1");
        assertEquals(9, cache.size());
        cache.insert("double", solid(2 * UNIT));  // three times: 1.5 per unit, admitted

        assertTrue(isCached(cache, "double"));
        assertFalse(isCached(cache, "cold0"), "the oldest cold pixmap made room");
        for (int i = 1; i < 9; i++) {
            assertTrue(isCached(cache, "cold" + i), "cold" + i);
        }
        assertEquals(10 * UNIT, cache.usedBytes());
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void randomOperationsNeverExceedTheBudgetAndChargeExactlyWhatIsCached(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 20 * UNIT);
        SplittableRandom random = new SplittableRandom(7);
        for (int step = 0; step < 5_000; step++) {
            String key = "k" + (int) Math.abs(random.nextGaussian() * 15);
            switch (random.nextInt(10)) {
                case 0 -> cache.remove(key);
                case 1 -> cache.setMaximumBytes((10 + random.nextInt(20)) * UNIT);
                case 2, 3, 4 -> cache.insert(key, solid((1 + random.nextInt(8)) * UNIT));
                default -> isCached(cache, key);
            }
            assertTrue(cache.usedBytes() <= cache.maximumBytes(), "step " + step + ": " + cache);
        }
        long charged = 0;
        int cached = 0;
        for (int i = 0; i < 100; i++) {
            try (PixmapLease lease = cache.find("k" + i)) {
                if (lease != null) {
                    charged += lease.pixmap().byteSize();
                    cached++;
                }
            }
        }
        assertEquals(cache.usedBytes(), charged);
        assertEquals(cache.size(), cached);
        assertEquals(allocator.liveBytes(), charged, "nothing leased, so every live byte is cached");
    }

    private double loopHitRatio(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy, 10 * UNIT);
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 20; i++) {
                if (!isCached(cache, "loop" + i)) {
                    cache.insert("loop" + i, solid(UNIT));
                }
            }
        }
        return cache.stats().hitRate();
    }

    /** Inserts {@code count} unit pixmaps and finds each twice more. */
    private void fillHot(PixmapCache<String> cache, int count) {
        for (int i = 0; i < count; i++) {
            assertTrue(cache.insert("hot" + i, solid(UNIT)));
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < count; i++) {
                assertTrue(isCached(cache, "hot" + i), "hot" + i);
            }
        }
    }

    private void scan(PixmapCache<String> cache, int length) {
        for (int i = 0; i < length; i++) {
            assertTrue(cache.insert("scan" + i, solid(UNIT)));
        }
    }

    private static void assertHotCached(PixmapCache<String> cache, int count) {
        for (int i = 0; i < count; i++) {
            assertTrue(isCached(cache, "hot" + i), "hot" + i + " should be cached");
        }
    }

    private static boolean isCached(PixmapCache<String> cache, String key) {
        try (PixmapLease lease = cache.find(key)) {
            return lease != null;
        }
    }

    private Pixmap solid(long bytes) {
        return TestPixmaps.solidRow(arena, bytes, 0xFF336699);
    }

    private PixmapCache<String> cache(EvictionPolicy policy, long maximumBytes) {
        return caches.cache(policy, maximumBytes);
    }
}
