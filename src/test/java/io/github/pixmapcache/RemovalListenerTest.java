package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.RecordingListener;
import io.github.pixmapcache.testing.RecordingListener.Removal;
import io.github.pixmapcache.testing.TestPixmaps;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The removal listener: exactly one notification per pixmap that leaves, with its cause, delivered
 * after the cache's lock is released; a listener that throws or calls back into the cache never
 * breaks it. Pixmaps are {@value #UNIT} bytes; LRU makes every eviction order exact.
 */
class RemovalListenerTest {
    private static final int UNIT = 64;

    @RegisterExtension
    final CacheFixture caches = CacheFixture.withSharedArena();
    private final Arena arena = caches.arena();
    private final RecordingListener listener = new RecordingListener();

    private PixmapCache<String> cache(int units, RemovalListener listener) {
        return caches.track(caches.allocator().<String>builder().maximumBytes((long) units * UNIT)
                .evictionPolicy(EvictionPolicy.LRU).removalListener(listener).build());
    }

    private Pixmap unit() {
        return TestPixmaps.solidRow(arena, UNIT, 0xFF00FF00);
    }

    @Test
    void everyCauseIsReportedWithItsKey() {
        PixmapCache<String> cache = cache(3, listener);
        cache.insert("a", unit());
        cache.insert("a", unit());                              // REPLACED
        assertTrue(cache.remove("a"));                          // EXPLICIT
        assertFalse(cache.remove("a"), "nothing left: no second notification");
        cache.insert("b", unit());
        cache.insert("c", unit());
        cache.insert("d", unit());
        cache.insert("e", unit());                              // b EVICTED
        PixmapCache.Key key = cache.insert(unit());             // c EVICTED
        assertTrue(cache.replace(key, unit()));                 // the Key REPLACED
        cache.setMaximumBytes(2 * UNIT);                        // d EVICTED
        assertTrue(cache.remove(key));                          // the Key EXPLICIT
        cache.insert("f", unit());
        cache.clear();                                          // e, f CLEARED (least recent first)
        cache.insert("g", unit());
        cache.close();                                          // g CLEARED

        assertEquals(List.of(
                new Removal("a", RemovalCause.REPLACED),
                new Removal("a", RemovalCause.EXPLICIT),
                new Removal("b", RemovalCause.EVICTED),
                new Removal("c", RemovalCause.EVICTED),
                new Removal(key, RemovalCause.REPLACED),
                new Removal("d", RemovalCause.EVICTED),
                new Removal(key, RemovalCause.EXPLICIT),
                new Removal("e", RemovalCause.CLEARED),
                new Removal("f", RemovalCause.CLEARED),
                new Removal("g", RemovalCause.CLEARED)), listener.removals());
    }

    @Test
    void aPixmapTooLargeForTheBudgetNeverEntersSoItNeverLeaves() {
        PixmapCache<String> cache = cache(1, listener);

        assertFalse(cache.insert("huge", TestPixmaps.solidRow(arena, 2 * UNIT, 0)));

        assertEquals(List.of(), listener.removals());
    }

    /** Six pixmaps of 16 and 256 bytes in turn (their sizes vary) fill 816 of 1,024 bytes; a large one-off loses. */
    @Test
    void aNewcomerTheDefaultPolicyTurnsAwayAtOnceIsReportedAsEvicted() {
        PixmapCache<String> cache = caches.track(caches.allocator().<String>builder().maximumBytes(1024)
                .removalListener(listener).build());
        for (int i = 0; i < 6; i++) {
            cache.insert("warm" + i, TestPixmaps.solidRow(arena, i % 2 == 0 ? 16 : 256, 0));
            try (PixmapLease lease = cache.find("warm" + i)) {
                assertNotNull(lease);
            }
        }

        assertTrue(cache.insert("big", TestPixmaps.solidRow(arena, 512, 0)), "the insert succeeds");

        assertEquals(List.of(new Removal("big", RemovalCause.EVICTED)), listener.removals());
        assertEquals(1, cache.stats().evictions());
        assertEquals(6, cache.size());
    }

    @Test
    void theListenerRunsAfterTheLockIsReleased() throws Exception {
        try (ExecutorService other = Executors.newSingleThreadExecutor()) {
            AtomicReference<PixmapCache<String>> self = new AtomicReference<>();
            AtomicInteger checked = new AtomicInteger();
            PixmapCache<String> cache = cache(1, (key, cause) -> {
                if (cause == RemovalCause.CLEARED) {
                    return;  // the fixture's close, after the test
                }
                // Another thread takes the cache's lock: under the lock this would never return.
                Future<Integer> size = other.submit(() -> self.get().size());
                try {
                    assertEquals(1, size.get(10, TimeUnit.SECONDS));
                } catch (Exception e) {
                    throw new AssertionError("another thread could not take the lock during the listener", e);
                }
                checked.incrementAndGet();
            });
            self.set(cache);
            cache.insert("a", unit());

            cache.insert("b", unit());     // evicts a
            cache.insert("b", unit());     // replaces b

            assertEquals(2, checked.get(), "each notification saw another thread take the lock");
        }
    }

    @Test
    void aListenerMayInsertRemoveAndClearFromWithin() {
        AtomicReference<PixmapCache<String>> self = new AtomicReference<>();
        List<Removal> seen = new ArrayList<>();
        PixmapCache<String> cache = cache(3, (key, cause) -> {
            seen.add(new Removal(key, cause));
            PixmapCache<String> c = self.get();
            if (key.equals("a") && cause == RemovalCause.EVICTED) {
                c.insert("a-again", unit());   // evicts b: a notification from within a notification
            } else if (key.equals("c")) {
                c.remove("a-again");
            } else if (key.equals("d")) {
                c.clear();
            }
        });
        self.set(cache);
        cache.insert("a", unit());
        cache.insert("b", unit());
        cache.insert("c", unit());

        cache.insert("d", unit());        // evicts a → inserts a-again → evicts b
        assertEquals(List.of(new Removal("a", RemovalCause.EVICTED), new Removal("b", RemovalCause.EVICTED)), seen);
        assertEquals(3, cache.size());
        cache.remove("c");                // → removes a-again
        assertEquals(1, cache.size());
        cache.remove("d");                // → clear(), of an empty cache
        assertEquals(0, cache.size());
        assertEquals(0, cache.usedBytes());
        assertEquals(List.of(
                new Removal("a", RemovalCause.EVICTED),
                new Removal("b", RemovalCause.EVICTED),
                new Removal("c", RemovalCause.EXPLICIT),
                new Removal("a-again", RemovalCause.EXPLICIT),
                new Removal("d", RemovalCause.EXPLICIT)), seen);
    }

    @Test
    void aThrowingListenerIsLoggedAndTheOperationAndTheOtherNotificationsGoOn() {
        List<LogRecord> logged = new ArrayList<>();
        Logger logger = Logger.getLogger(Removals.LOGGER_NAME);  // held: JUL loggers are weak
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (logged) {
                    logged.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
        try {
            PixmapCache<String> cache = cache(3, (key, cause) -> {
                listener.onRemoval(key, cause);
                throw new IllegalStateException("listener fails on " + key);
            });
            cache.insert("a", unit());
            cache.insert("b", unit());
            cache.insert("c", unit());

            cache.insert("a", unit());    // the insert still succeeds
            assertTrue(cache.remove("b"));
            cache.clear();                // two notifications, each throwing: both delivered

            assertEquals(0, cache.size());
            assertEquals(List.of(
                    new Removal("a", RemovalCause.REPLACED),
                    new Removal("b", RemovalCause.EXPLICIT),
                    new Removal("c", RemovalCause.CLEARED),
                    new Removal("a", RemovalCause.CLEARED)), listener.removals());
            assertEquals(4, logged.size());
            assertTrue(logged.getFirst().getThrown().getMessage().contains("listener fails on a"));
            cache.insert("d", unit());
            try (PixmapLease lease = cache.find("d")) {
                assertNotNull(lease, "the cache works on");
            }
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(true);
        }
    }

    @Test
    void anErrorFromTheListenerIsContainedToo() {
        PixmapCache<String> cache = cache(1, (key, cause) -> {
            throw new AssertionError("an Error, not an Exception");
        });
        cache.insert("a", unit());

        cache.insert("b", unit());

        assertEquals(1, cache.size());
    }

    /**
     * Four threads insert, replace and remove over few keys in a small cache while the listener
     * counts; at the end (after close) every pixmap that entered has left exactly once: per key,
     * insertions equal notifications, and the causes add up to the cache's own counters.
     */
    @Test
    void underConcurrentMutationsEveryPixmapThatEnteredLeavesExactlyOnce() throws Exception {
        Map<String, AtomicInteger> leftPerKey = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> enteredPerKey = new ConcurrentHashMap<>();
        PixmapCache<String> cache = cache(8, (key, cause) -> {
            listener.onRemoval(key, cause);
            leftPerKey.computeIfAbsent((String) key, k -> new AtomicInteger()).incrementAndGet();
        });
        Pixmap pixmap = unit();
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = t;
                done.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        String key = "k" + random.nextInt(24);
                        if (random.nextInt(4) == 0) {
                            cache.remove(key);
                        } else {
                            // Count before: the listener may hear of the replacement's removal at once.
                            enteredPerKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                            cache.insert(key, pixmap);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        }
        CacheStats stats = cache.stats();
        cache.close();

        assertEquals(stats.insertions(), listener.total(), "one notification per pixmap that entered");
        assertEquals(stats.evictions(), listener.count(RemovalCause.EVICTED));
        assertEquals(stats.entries(), listener.count(RemovalCause.CLEARED), "close clears what was left");
        for (String key : enteredPerKey.keySet()) {
            assertEquals(enteredPerKey.get(key).get(), leftPerKey.getOrDefault(key, new AtomicInteger()).get(), key);
        }
    }

    @Test
    void theBuilderRefusesANullListener() {
        assertThrows(NullPointerException.class, () -> PixmapCache.builder().removalListener(null));
    }
}
