package io.github.pixmapcache.server.encoded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both homes of the encoded tier keep the same contract: on the heap and in native memory. */
class EncodedTierTest {

    /** Where the tier keeps its bytes. */
    enum Home {
        HEAP, NATIVE;

        <K> EncodedTier<K> tier(String name, long budget) {
            return this == HEAP ? new HeapEncodedTier<>(name, budget) : new NativeEncodedTier<>(name, budget);
        }
    }

    record Key(String version, int id) {
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void aHitReturnsTheCachedBytesWithoutEncoding(Home home) {
        EncodedTier<Key> tier = home.tier("t", 1 << 20);
        AtomicInteger encodes = new AtomicInteger();
        byte[] first = tier.get(new Key("v1", 1), k -> { encodes.incrementAndGet(); return new byte[] {1, 2, 3, 4}; });
        byte[] second = tier.get(new Key("v1", 1), k -> { encodes.incrementAndGet(); return new byte[] {9}; });
        assertArrayEquals(first, second);
        if (home == Home.HEAP) {
            assertSame(first, second, "the heap tier returns its cached array itself");
        }
        assertEquals(1, encodes.get());
        EncodedTier.Numbers numbers = tier.numbers();
        assertEquals(1, numbers.hits());
        assertEquals(1, numbers.misses());
        assertEquals(1, numbers.encodes());
        assertEquals(4, numbers.usedBytes());
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void sixtyFourConcurrentCallersOfOneColdKeyShareOneEncode(Home home) throws Exception {
        EncodedTier<Key> tier = home.tier("t", 1 << 20);
        AtomicInteger encodes = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<byte[]>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> tier.get(new Key("v1", 7), k -> {
                    encodes.incrementAndGet();
                    await(release);
                    return new byte[] {7};
                })));
            }
            while (tier.numbers().misses() < 64) {
                Thread.sleep(1); // every caller has arrived: one encodes (held), 63 wait for it
            }
            release.countDown();
            for (Future<byte[]> result : results) {
                assertArrayEquals(new byte[] {7}, result.get(10, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, encodes.get());
        assertEquals(63, tier.numbers().waits());
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void aFillCachesOnceCountsNoLookupAndSkipsWhatIsCachedOrHasNothingToEncode(Home home) {
        EncodedTier<Key> tier = home.tier("t", 1 << 20);
        AtomicInteger encodes = new AtomicInteger();
        assertTrue(tier.fill(new Key("v1", 1), k -> { encodes.incrementAndGet(); return new byte[] {1}; }));
        assertFalse(tier.fill(new Key("v1", 1), k -> { encodes.incrementAndGet(); return new byte[] {2}; }));
        assertFalse(tier.fill(new Key("v1", 2), k -> null)); // its metatile was evicted: nothing to encode from
        assertNull(tier.getIfPresent(new Key("v1", 2)));
        assertArrayEquals(new byte[] {1}, tier.get(new Key("v1", 1), k -> new byte[] {3}));
        assertEquals(1, encodes.get());
        EncodedTier.Numbers numbers = tier.numbers();
        assertEquals(1, numbers.hits(), "the get; fills are no lookups");
        assertEquals(1, numbers.misses(), "the getIfPresent");
        assertEquals(1, numbers.encodes(), "a null from a fill is no encode");
        assertEquals(1, numbers.entries());
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void aCallerWaitingOnAFillThatFindsNothingEncodesItself(Home home) throws Exception {
        EncodedTier<Key> tier = home.tier("t", 1 << 20);
        CountDownLatch filling = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread fill = Thread.ofPlatform().start(() -> tier.fill(new Key("v1", 1), k -> {
            filling.countDown();
            await(release);
            return null;
        }));
        filling.await();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<byte[]> got = pool.submit(() -> tier.get(new Key("v1", 1), k -> new byte[] {5}));
            while (tier.numbers().waits() < 1) {
                Thread.sleep(1); // the caller waits for the fill's flight
            }
            release.countDown();
            assertArrayEquals(new byte[] {5}, got.get(10, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
        fill.join();
        assertEquals(1, tier.numbers().encodes());
        assertArrayEquals(new byte[] {5}, tier.getIfPresent(new Key("v1", 1)));
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void aFillDoesNotWaitForAnEncodeRunningForItsKey(Home home) throws Exception {
        EncodedTier<Key> tier = home.tier("t", 1 << 20);
        whileEncoding(tier, new Key("v1", 1), new byte[] {6},
                () -> assertFalse(tier.fill(new Key("v1", 1), k -> new byte[] {7})));
        assertArrayEquals(new byte[] {6}, tier.getIfPresent(new Key("v1", 1)));
        assertEquals(1, tier.numbers().encodes());
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void aFailedEncodeReachesEveryWaiterAndIsNotCached(Home home) throws Exception {
        EncodedTier<Key> tier = home.tier("t", 1 << 20);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread failing = Thread.ofPlatform().start(() -> assertThrows(IllegalStateException.class,
                () -> tier.get(new Key("v1", 1), k -> {
                    started.countDown();
                    await(release);
                    throw new IllegalStateException("render failed");
                })));
        started.await();
        Thread waiter = Thread.ofPlatform().start(() -> assertThrows(IllegalStateException.class,
                () -> tier.get(new Key("v1", 1), k -> new byte[] {1})));
        while (tier.numbers().waits() < 1) {
            Thread.sleep(1);
        }
        release.countDown();
        failing.join();
        waiter.join();
        assertEquals(1, tier.numbers().encodeFailures());
        assertNull(tier.getIfPresent(new Key("v1", 1)));
        assertArrayEquals(new byte[] {2}, tier.get(new Key("v1", 1), k -> new byte[] {2}));
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void theBudgetHoldsAndEvictionsAreCounted(Home home) {
        long budget = 100_000;
        EncodedTier<Key> tier = home.tier("t", budget);
        for (int i = 0; i < 1000; i++) {
            tier.get(new Key("v1", i), k -> new byte[1000]);
            assertTrue(tier.numbers().usedBytes() <= budget, () -> tier.numbers().toString());
        }
        EncodedTier.Numbers numbers = tier.numbers();
        assertEquals(1000, numbers.encodes());
        assertTrue(numbers.evictions() >= 900, numbers::toString);
        assertEquals(numbers.entries() * 1000, numbers.usedBytes());
        assertEquals(1000, numbers.evictions() + numbers.entries());
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void aValueLargerThanTheBudgetIsServedButNotKept(Home home) {
        EncodedTier<Key> tier = home.tier("t", 10);
        assertEquals(11, tier.get(new Key("v1", 1), k -> new byte[11]).length);
        assertEquals(0, tier.numbers().usedBytes());
        assertNull(tier.getIfPresent(new Key("v1", 1)));
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void anotherRendererVersionIsAnotherKey(Home home) {
        EncodedTier<Key> tier = home.tier("t", 1 << 20);
        tier.get(new Key("v1", 1), k -> new byte[] {1});
        assertArrayEquals(new byte[] {2}, tier.get(new Key("v2", 1), k -> new byte[] {2}));
        assertEquals(2, tier.numbers().encodes());
    }

    /**
     * The fleet's publisher puts tiles that requests may be encoding while they wait on the fleet for
     * that same publisher: a put that joined their encode stalled both until the fleet lock expired.
     */
    @ParameterizedTest
    @EnumSource(Home.class)
    void aPutDoesNotWaitForAnEncodeRunningForItsKey(Home home) throws Exception {
        EncodedTier<Key> tier = home.tier("t", 1 << 20);
        whileEncoding(tier, new Key("v1", 1), new byte[] {6}, () -> {
            CompletableFuture<Boolean> put = CompletableFuture.supplyAsync(() -> tier.putIfAbsent(new Key("v1", 1), new byte[] {6}));
            assertFalse(put.get(10, TimeUnit.SECONDS), "a put while the key is being encoded is skipped");
        });
        assertArrayEquals(new byte[] {6}, tier.getIfPresent(new Key("v1", 1)));
        assertEquals(0, tier.numbers().puts());
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void putIfAbsentNeverReplaces(Home home) {
        EncodedTier<Key> tier = home.tier("t", 1 << 20);
        assertTrue(tier.putIfAbsent(new Key("v1", 1), new byte[] {1}));
        assertTrue(!tier.putIfAbsent(new Key("v1", 1), new byte[] {2}));
        assertArrayEquals(new byte[] {1}, tier.getIfPresent(new Key("v1", 1)));
        assertEquals(1, tier.numbers().puts());
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void badArgumentsAreRefusedByName(Home home) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> home.<Key>tier("tiles", -1));
        assertTrue(e.getMessage().contains("tiles") && e.getMessage().contains("-1"), e.getMessage());
        EncodedTier<Key> tier = home.tier("t", 1 << 20);
        assertThrows(NullPointerException.class, () -> tier.get(new Key("v1", 1), k -> null));
        assertNull(tier.getIfPresent(new Key("v1", 1)), "a null encode caches nothing");
    }

    @ParameterizedTest
    @EnumSource(Home.class)
    void theMetersFollowTheNumbers(Home home) {
        EncodedTier<Key> tier = home.tier("tiles", 1 << 20);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        tier.bindTo(registry);
        tier.get(new Key("v1", 1), k -> new byte[] {1, 2, 3, 4});
        tier.get(new Key("v1", 1), k -> new byte[] {1, 2, 3, 4});
        assertEquals(1, registry.get("cache.gets").tag("cache", "tiles").tag("result", "hit").functionCounter().count());
        assertEquals(1, registry.get("cache.gets").tag("cache", "tiles").tag("result", "miss").functionCounter().count());
        assertEquals(1, registry.get("cache.load").tag("result", "success").functionCounter().count());
        assertEquals(4, registry.get("cache.used").tag("cache", "tiles").gauge().value());
        assertEquals(1 << 20, registry.get("cache.maximum").gauge().value());
    }

    /** A step of a test that may throw. */
    private interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} while a get of {@code key} is inside its encode (which then returns {@code bytes}); returns once that get has ended. */
    private static void whileEncoding(EncodedTier<Key> tier, Key key, byte[] bytes, Action action) throws Exception {
        CountDownLatch encoding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread get = Thread.ofPlatform().start(() -> tier.get(key, k -> {
            encoding.countDown();
            await(release);
            return bytes;
        }));
        encoding.await();
        try {
            action.run();
        } finally {
            release.countDown();
            get.join();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A hit racing its value's eviction, invalidation and replacement serves one generation's complete
     * bytes: never a mix of two, a short copy, nor freed memory (the native tier's copy runs while the
     * cache's read pins the value); and every body gives its pooled buffer back.
     */
    @ParameterizedTest
    @EnumSource(Home.class)
    void aHitRacingEvictionAndReplacementServesOneWholeGeneration(Home home) throws Exception {
        ArrayByteBufferPool.Tracking pool = new ArrayByteBufferPool.Tracking();
        EncodedTier<Key> tier = home.tier("t", 64 << 10); // about 14 generations: the churn's puts evict the hot key
        AtomicInteger generations = new AtomicInteger();
        Function<Key, byte[]> encode = k -> generation(generations.incrementAndGet());
        Key hot = new Key("v1", 0);
        AtomicBoolean churning = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            Future<?> churn = threads.submit(() -> {
                try {
                    for (int round = 0; round < 600; round++) {
                        if (round % 3 == 0) {
                            tier.invalidateAll();
                        } else {
                            for (int i = 1; i <= 8; i++) {
                                tier.putIfAbsent(new Key("v1", round * 8 + i), generation(generations.incrementAndGet()));
                            }
                        }
                        tier.putIfAbsent(hot, generation(generations.incrementAndGet()));
                    }
                } finally {
                    churning.set(false);
                }
                return null;
            });
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                readers.add(threads.submit(() -> {
                    int reads = 0;
                    do {
                        try (EncodedBody body = tier.body(hot, encode, pool)) {
                            assertEquals(body.length(), body.buffer().remaining());
                            assertWholeGeneration(body.buffer());
                        }
                        assertWholeGeneration(ByteBuffer.wrap(tier.get(hot, encode)));
                        reads++;
                    } while (churning.get());
                    return reads;
                }));
            }
            churn.get(120, TimeUnit.SECONDS);
            for (Future<Integer> reader : readers) {
                assertTrue(reader.get(30, TimeUnit.SECONDS) > 0);
            }
        } finally {
            threads.shutdownNow();
        }
        assertTrue(tier.numbers().evictions() > 0, () -> "the hot key was never evicted by the churn: " + tier.numbers());
        assertEquals(0, pool.getLeaks().size(), pool::dumpLeaks);
        if (tier instanceof NativeEncodedTier<Key> nativeTier) {
            assertEquals(0, nativeTier.openBodies());
            assertEquals(0, nativeTier.leasedDetachedBytes(), "no read still pins a value");
        }
        tier.close();
    }

    /** Generation {@code g}'s bytes: all {@code (byte) g}, and as many as that byte says, so a mix or a short copy shows. */
    private static byte[] generation(int g) {
        byte[] bytes = new byte[lengthOf((byte) g)];
        java.util.Arrays.fill(bytes, (byte) g);
        return bytes;
    }

    private static int lengthOf(byte value) {
        return 1_000 + (value & 0xff) * 29;
    }

    private static void assertWholeGeneration(ByteBuffer bytes) {
        byte value = bytes.get(bytes.position());
        assertEquals(lengthOf(value), bytes.remaining(), "a body as long as its first byte's generation");
        for (int i = bytes.position(); i < bytes.limit(); i++) {
            if (bytes.get(i) != value) {
                throw new AssertionError("byte " + i + " is " + bytes.get(i) + " in a body of generation " + value);
            }
        }
    }
}
