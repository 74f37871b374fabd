package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestPixmaps;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hits are counted exactly, though most are counted by the read buffer rather than a counter of
 * their own (a platform thread's own ring counts its hits; a virtual thread's are counted by the
 * tails of shared stripes): through full rings and their drains, many platform threads each with a
 * ring, virtual threads sharing more stripes than there are (where a reader can lose the slot and
 * its read is dropped, but never its hit), mutations that drain every ring meanwhile, and reads
 * that are not hits (a waiter's lease on what another caller loaded).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)  // a guard against hangs only
class HitCountTest {
    private static final int KEYS = 4;
    /** More threads than the read buffer has shared stripes, so that virtual threads share some. */
    private static final int THREADS = 4 * Runtime.getRuntime().availableProcessors() * 4 + 3;
    private static final int FINDS_PER_THREAD = 20_000;

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();
    private final PixmapCache<String> cache = caches.cache(1 << 20);

    @Test
    void oneThreadsHitsAndMissesAreCountedOneByOneThroughManyFullRings() {
        insertKeys();
        PixmapCache.Key anonymous;
        try (Arena arena = Arena.ofConfined()) {
            anonymous = cache.insert(TestPixmaps.solid(arena, 4, 4, 0xFF00FF00));
        }
        for (int i = 0; i < 1_000; i++) {
            try (PixmapLease lease = cache.find("key" + (i % KEYS))) {
                assertNotNull(lease);
            }
            try (PixmapLease lease = cache.find(anonymous)) {
                assertNotNull(lease);
            }
            assertNull(cache.find("absent"));
        }

        assertEquals(2_000, cache.stats().hits());
        assertEquals(1_000, cache.stats().misses());
    }

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = {false, true})
    void manyThreadsWhileMutationsDrainTheirRingsLoseNoHit(boolean virtual) throws Exception {
        insertKeys();
        ExecutorService threads = virtual ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newFixedThreadPool(THREADS + 1);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> finders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                finders.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < FINDS_PER_THREAD; i++) {
                        try (PixmapLease lease = cache.find("key" + ((thread + i) % KEYS))) {
                            assertNotNull(lease);
                        }
                    }
                    return null;
                }));
            }
            Future<?> mutator = threads.submit(() -> {
                start.await();
                try (Arena arena = Arena.ofConfined()) {
                    for (int i = 0; !allDone(finders); i++) {
                        cache.insert("churn" + (i % 8), TestPixmaps.solid(arena, 4, 4, i));  // drains every ring
                    }
                }
                return null;
            });
            start.countDown();
            for (Future<?> finder : finders) {
                finder.get(50, TimeUnit.SECONDS);
            }
            mutator.get(50, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertEquals((long) THREADS * FINDS_PER_THREAD, cache.stats().hits());
        assertEquals(0, cache.stats().misses());
    }

    @Test
    void aReadThatIsNotAHitIsNotCountedAsOne() throws Exception {
        // A loader's result handed to the caller that ran it is a miss, never a hit; the later find is one.
        try (PixmapLease loaded = cache.computeIfAbsent("loaded", (key, pixmaps) -> pixmaps.allocate(4, 4, PixelFormat.RGBA_8888))) {
            assertNotNull(loaded);
        }
        try (PixmapLease found = cache.find("loaded")) {
            assertNotNull(found);
        }

        assertEquals(1, cache.stats().hits());
        assertEquals(1, cache.stats().misses());
    }

    private void insertKeys() {
        try (Arena arena = Arena.ofConfined()) {
            for (int k = 0; k < KEYS; k++) {
                cache.insert("key" + k, TestPixmaps.solid(arena, 4, 4, 0xFF000000 | k));
            }
        }
    }

    private static boolean allDone(List<Future<?>> futures) {
        return futures.stream().allMatch(Future::isDone);
    }
}
