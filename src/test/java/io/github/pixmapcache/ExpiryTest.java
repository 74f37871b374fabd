package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code expireAfterAccess}: on a hand-moved clock, so that no test sleeps. */
class ExpiryTest {
    private static final int UNIT = 64;
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    @RegisterExtension
    final CacheFixture caches = CacheFixture.withSharedArena();
    private final Arena arena = caches.arena();
    private final ManualTicker ticker = new ManualTicker();
    private final RecordingListener listener = new RecordingListener();

    private PixmapCache<String> cache(EvictionPolicy policy) {
        return caches.track(caches.allocator().<String>builder().maximumBytes(100 * UNIT).evictionPolicy(policy)
                .expireAfterAccess(TEN_SECONDS).ticker(ticker).removalListener(listener).build());
    }

    private Pixmap unit() {
        return TestPixmaps.solidRow(arena, UNIT, 0xFF0000FF);
    }

    private static boolean found(PixmapCache<String> cache, String key) {
        try (PixmapLease lease = cache.find(key)) {
            return lease != null;
        }
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void anEntryNotAccessedForTheDurationExpiresAndOneReadMeanwhileStays(EvictionPolicy policy) {
        PixmapCache<String> cache = cache(policy);
        cache.insert("read", unit());
        cache.insert("unread", unit());
        ticker.advance(Duration.ofSeconds(6));
        assertTrue(found(cache, "read"));  // the read waits in the read buffer: applied, and timed, later
        ticker.advance(Duration.ofSeconds(4));  // unread: exactly 10 s since its insert

        cache.cleanUp();

        assertEquals(List.of(new Removal("unread", RemovalCause.EXPIRED)), listener.removals());
        assertTrue(found(cache, "read"));
        assertEquals(1, cache.stats().evictions(), "an expiry counts as an eviction");
    }

    @Test
    void justBeforeTheDurationNothingExpires() {
        PixmapCache<String> cache = cache(EvictionPolicy.ADAPTIVE);
        cache.insert("a", unit());
        ticker.advance(TEN_SECONDS.minusNanos(1));

        cache.cleanUp();

        assertEquals(List.of(), listener.removals());
        assertEquals(1, cache.size());
    }

    @Test
    void everyLockedOperationExpiresOnTheCallersThreadWithoutCleanUp() {
        PixmapCache<String> cache = cache(EvictionPolicy.LRU);
        cache.insert("a", unit());
        cache.insert("b", unit());
        ticker.advance(TEN_SECONDS);

        assertEquals(0, cache.size(), "size() takes the lock, so it expires first");
        assertEquals(List.of(new Removal("a", RemovalCause.EXPIRED), new Removal("b", RemovalCause.EXPIRED)),
                listener.removals(), "oldest access first");
        assertFalse(found(cache, "a"));
    }

    @Test
    void aReplacementRestartsTheClock() {
        PixmapCache<String> cache = cache(EvictionPolicy.ADAPTIVE);
        cache.insert("a", unit());
        ticker.advance(Duration.ofSeconds(9));
        cache.insert("a", unit());
        ticker.advance(Duration.ofSeconds(9));

        cache.cleanUp();

        assertEquals(List.of(new Removal("a", RemovalCause.REPLACED)), listener.removals());
        assertTrue(found(cache, "a"));
    }

    @Test
    void closingClearsWhatHasNotExpiredAndExpiresWhatHas() {
        PixmapCache<String> cache = cache(EvictionPolicy.LRU);
        cache.insert("old", unit());
        ticker.advance(TEN_SECONDS);
        cache.insert("new", unit());   // expires old first

        cache.close();

        assertEquals(List.of(new Removal("old", RemovalCause.EXPIRED), new Removal("new", RemovalCause.CLEARED)),
                listener.removals());
    }

    @Test
    void withoutExpiryNothingEverExpires() {
        PixmapCache<String> cache = caches.track(caches.allocator().<String>builder().ticker(ticker)
                .removalListener(listener).build());
        cache.insert("a", unit());
        ticker.advance(Duration.ofDays(365));

        cache.cleanUp();

        assertTrue(found(cache, "a"));
        assertEquals(List.of(), listener.removals());
    }

    /**
     * On a real scheduler: the cache schedules its maintenance there (every quarter of the duration,
     * here the minimum, 1 ms), the expired entry leaves without any call by the test, and closing
     * the cache takes the task off the scheduler.
     */
    @Test
    void aSchedulerExpiresWithoutAnyCallAndStopsWhenTheCacheCloses() throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        scheduler.setRemoveOnCancelPolicy(true);
        try {
            CountDownLatch expired = new CountDownLatch(1);
            PixmapCache<String> cache = caches.track(caches.allocator().<String>builder()
                    .expireAfterAccess(Duration.ofMillis(2)).ticker(ticker).scheduler(scheduler)
                    .removalListener((key, cause) -> {
                        if (cause == RemovalCause.EXPIRED) {
                            expired.countDown();
                        }
                    }).build());
            cache.insert("a", unit());

            ticker.advance(Duration.ofMillis(2));

            assertTrue(expired.await(30, TimeUnit.SECONDS), "expired on the scheduler's thread");
            assertNull(cache.find("a"));
            cache.close();
            assertEquals(0, scheduler.getQueue().size(), "the task is cancelled on close");
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void theBuilderRefusesDurationsThatAreNotPositive() {
        PixmapCache.Builder<String> builder = PixmapCache.builder();
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> builder.expireAfterAccess(Duration.ZERO));
        assertTrue(zero.getMessage().contains("PT0S"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> builder.expireAfterAccess(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> builder.expireAfterAccess(null));
        assertThrows(NullPointerException.class, () -> builder.ticker(null));
        assertThrows(NullPointerException.class, () -> builder.scheduler(null));
    }

    @Test
    void anEnormousDurationMeansNeverWithoutOverflow() {
        PixmapCache<String> cache = caches.track(caches.allocator().<String>builder()
                .expireAfterAccess(Duration.ofSeconds(Long.MAX_VALUE)).ticker(ticker).build());
        cache.insert("a", unit());
        ticker.advance(Duration.ofDays(365 * 50));

        cache.cleanUp();

        assertTrue(found(cache, "a"));
    }
}
