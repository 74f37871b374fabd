package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.ManualTicker;
import io.github.pixmapcache.testing.RecordingListener;
import io.github.pixmapcache.testing.RecordingListener.Removal;
import io.github.pixmapcache.testing.TestPixmaps;
import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Idle trimming as Qt's QPixmapCache does it: once per period, a cache that nothing used during
 * the period before drops a quarter of its bytes, least valuable first, until it is empty. Eight
 * pixmaps of {@value #UNIT} bytes under LRU, so that "least valuable" is exactly the oldest.
 */
class IdleTrimmingTest {
    private static final int UNIT = 64;
    private static final Duration PERIOD = Duration.ofSeconds(30);

    @RegisterExtension
    final CacheFixture caches = CacheFixture.withSharedArena();
    private final Arena arena = caches.arena();
    private final ManualTicker ticker = new ManualTicker();
    private final RecordingListener listener = new RecordingListener();

    private PixmapCache<String> filled() {
        PixmapCache<String> cache = caches.track(caches.allocator().<String>builder().maximumBytes(8 * UNIT)
                .evictionPolicy(EvictionPolicy.LRU).idleTrimming(PERIOD).ticker(ticker).removalListener(listener)
                .build());
        for (int i = 0; i < 8; i++) {
            cache.insert("p" + i, TestPixmaps.solidRow(arena, UNIT, 0));
        }
        return cache;
    }

    private static void find(PixmapCache<String> cache, String key) {
        try (PixmapLease lease = cache.find(key)) {
            assertTrue(lease != null, key);
        }
    }

    @Test
    void anIdleCacheLosesAQuarterPerPeriodOldestFirstUntilEmpty() {
        PixmapCache<String> cache = filled();
        ticker.advance(PERIOD);
        cache.cleanUp();  // the first period saw the inserts: not idle
        assertEquals(8, cache.size());

        ticker.advance(PERIOD);
        cache.cleanUp();

        assertEquals(6 * UNIT, cache.usedBytes(), "three quarters of 8 units");
        assertEquals(List.of(new Removal("p0", RemovalCause.EVICTED), new Removal("p1", RemovalCause.EVICTED)),
                listener.removals());
        int[] sizes = {6, 4, 3, 2, 1, 0};  // 6 → 4.5 → 3 (a whole unit at a time), 3 → 2.25, ...
        for (int i = 1; i < sizes.length; i++) {
            ticker.advance(PERIOD);
            cache.cleanUp();
            assertEquals(sizes[i], cache.size(), "after idle period " + (i + 1));
        }
        assertEquals(8, listener.count(RemovalCause.EVICTED));
        assertEquals(8, cache.stats().evictions());
    }

    @Test
    void anyUseDuringAPeriodStopsTheTrimming() {
        PixmapCache<String> cache = filled();
        ticker.advance(PERIOD);
        cache.cleanUp();

        for (int period = 0; period < 5; period++) {
            find(cache, "p" + period);  // one find per period is use enough
            ticker.advance(PERIOD);
            cache.cleanUp();
        }
        assertEquals(8, cache.size());

        ticker.advance(PERIOD);
        cache.cleanUp();
        assertEquals(6, cache.size(), "idle again: trimmed");
        assertEquals(List.of(new Removal("p5", RemovalCause.EVICTED), new Removal("p6", RemovalCause.EVICTED)),
                listener.removals(), "the least recently used, after the finds of p0..p4");
    }

    @Test
    void aMissIsUseToo() {
        PixmapCache<String> cache = filled();
        ticker.advance(PERIOD);
        cache.cleanUp();

        try (PixmapLease miss = cache.find("absent")) {
            assertEquals(null, miss);
        }
        ticker.advance(PERIOD);
        cache.cleanUp();

        assertEquals(8, cache.size());
    }

    @Test
    void cleanUpWithinAPeriodDoesNothing() {
        PixmapCache<String> cache = filled();
        for (int i = 0; i < 10; i++) {
            ticker.advance(PERIOD.dividedBy(11));
            cache.cleanUp();
        }

        assertEquals(8, cache.size());
    }

    @Test
    void offByDefault() {
        PixmapCache<String> cache = caches.track(caches.allocator().<String>builder().ticker(ticker).build());
        cache.insert("a", TestPixmaps.solidRow(arena, UNIT, 0));
        for (int i = 0; i < 10; i++) {
            ticker.advance(Duration.ofDays(1));
            cache.cleanUp();
        }

        assertEquals(1, cache.size());
    }

    /** On a real scheduler and a ticker that moves a period at every reading: the cache empties with no call. */
    @Test
    void aSchedulerTrimsAnIdleCacheToEmptyOnItsOwn() throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            CountDownLatch emptied = new CountDownLatch(4);
            ManualTicker racing = new ManualTicker(Duration.ofMillis(1));
            PixmapCache<String> cache = caches.track(caches.allocator().<String>builder().maximumBytes(4 * UNIT)
                    .idleTrimming(Duration.ofMillis(1)).ticker(racing).scheduler(scheduler)
                    .removalListener((key, cause) -> emptied.countDown()).build());
            for (int i = 0; i < 4; i++) {
                cache.insert("p" + i, TestPixmaps.solidRow(arena, UNIT, 0));
            }

            assertTrue(emptied.await(30, TimeUnit.SECONDS), "trimmed to empty on the scheduler's thread");
            assertEquals(0, cache.size());
            cache.close();
            assertEquals(0, scheduler.getQueue().size(), "the task is cancelled on close");
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void theBuilderRefusesAPeriodThatIsNotPositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PixmapCache.builder().idleTrimming(Duration.ofMillis(-5)));
        assertTrue(e.getMessage().contains("idleTrimming") && e.getMessage().contains("PT-0.005S"), e.getMessage());
    }
}
