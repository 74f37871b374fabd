package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestAllocator;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link PixmapCache#computeIfAbsent}: one loader run per miss however many callers wait, no copy
 * of what the loader drew into the cache's allocator, nothing kept of a failed or oversized load,
 * and a loader that loads its own key is refused instead of deadlocking.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)  // a guard against hangs only
class ComputeIfAbsentTest {
    private static final String KEY = "tile";
    private static final int CALLERS = 8;
    /** The pixmap every loader here draws: 8x8 RGBA_8888, 256 bytes. */
    private static final int WIDTH = 8;
    private static final int HEIGHT = 8;
    private static final long BYTES = WIDTH * HEIGHT * 4;
    /** How long a blocked loader or test thread waits before it gives up; never reached when all is well. */
    private static final long GIVE_UP_SECONDS = 30;

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();
    private final TestAllocator allocator = caches.allocator();
    private final PixmapCache<String> cache = caches.cache(1 << 20);
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void concurrentMissesRunTheLoaderOnceAndAllGetItsPixels() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BlockingLoader loader = new BlockingLoader(release, (key, pixmaps) -> drawn(pixmaps, 1));

        List<Caller> callers = startCallers(loader);
        awaitOthersParked(callers, loader);
        release.countDown();

        for (Caller caller : callers) {
            assertArrayEquals(expectedPixels(1), caller.pixels());
        }
        assertEquals(1, runs.get());
        assertEquals(1, allocator.allocationAttempts(), "one pixel block, shared by every caller");
        assertEquals(CALLERS, cache.stats().misses());
        assertEquals(0, cache.stats().hits());
        assertEquals(1, cache.size());
        assertFindsPixels(expectedPixels(1));
    }

    @Test
    void loaderPixmapFromTheAllocatorIsCachedWithoutACopy() {
        try (PixmapLease lease = cache.computeIfAbsent(KEY, counting((key, pixmaps) -> drawn(pixmaps, 2)))) {
            assertArrayEquals(expectedPixels(2), bytesOf(lease.pixmap()));
        }

        assertEquals(1, allocator.allocationAttempts(), "only the loader's own allocation");
        assertEquals(BYTES, allocator.liveBytes());
        assertEquals(BYTES, cache.usedBytes());
        assertFindsPixels(expectedPixels(2));
    }

    @Test
    void loaderPixmapFromItsOwnArenaIsCopiedAndOutlivesThatArena() {
        PixmapLease lease;
        try (Arena own = Arena.ofConfined()) {
            lease = cache.computeIfAbsent(KEY, (key, pixmaps) -> draw(Pixmap.allocate(own, WIDTH, HEIGHT,
                    PixelFormat.RGBA_8888), 3));
        }

        try (lease) {
            assertArrayEquals(expectedPixels(3), bytesOf(lease.pixmap()));
        }
        assertEquals(1, allocator.allocationAttempts(), "one allocation: the copy");
        assertEquals(BYTES, allocator.liveBytes());
        assertFindsPixels(expectedPixels(3));
    }

    @Test
    void segmentsTheLoaderKeptAreDeadAfterTheLoad() {
        AtomicReference<MemorySegment> keptResult = new AtomicReference<>();
        AtomicReference<MemorySegment> keptScratch = new AtomicReference<>();

        try (PixmapLease lease = cache.computeIfAbsent(KEY, (key, pixmaps) -> {
            keptScratch.set(pixmaps.allocate(16, 16, PixelFormat.RGBA_8888).segment());
            Pixmap result = drawn(pixmaps, 4);
            keptResult.set(result.segment());
            return result;
        })) {
            assertArrayEquals(expectedPixels(4), bytesOf(lease.pixmap()));
            assertThrows(IllegalStateException.class, () -> keptResult.get().get(ValueLayout.JAVA_BYTE, 0));
            assertThrows(IllegalStateException.class, () -> keptScratch.get().get(ValueLayout.JAVA_BYTE, 0));
            assertThrows(IllegalStateException.class, () -> keptResult.get().set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
        }
        assertFindsPixels(expectedPixels(4));
    }

    @Test
    void allocatorPixmapsTheLoaderDidNotReturnAreFreed() {
        try (PixmapLease lease = cache.computeIfAbsent(KEY, (key, pixmaps) -> {
            pixmaps.allocate(16, 16, PixelFormat.RGBA_8888);
            Pixmap result = drawn(pixmaps, 5);
            pixmaps.allocate(3, 3, PixelFormat.GRAY_8);
            return result;
        })) {
            assertEquals(3, allocator.allocationAttempts());
            assertEquals(2, allocator.frees());
            assertEquals(BYTES, allocator.liveBytes(), "only the cached pixmap is live");
            assertArrayEquals(expectedPixels(5), bytesOf(lease.pixmap()));
        }
    }

    @Test
    void loaderExceptionReachesTheCallerAndNothingIsCached() {
        RuntimeException failure = new IllegalStateException("decoder failed");

        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> cache.computeIfAbsent(KEY, counting((key, pixmaps) -> {
                    drawn(pixmaps, 6);
                    throw failure;
                })));

        assertSame(failure, thrown);
        assertNothingCached();
        assertLaterLoadSucceeds(2);
    }

    @Test
    void loaderExceptionReachesEveryConcurrentWaiter() throws Exception {
        RuntimeException failure = new IllegalStateException("decoder failed");
        CountDownLatch release = new CountDownLatch(1);
        BlockingLoader loader = new BlockingLoader(release, (key, pixmaps) -> {
            drawn(pixmaps, 7);
            throw failure;
        });

        List<Caller> callers = startCallers(loader);
        awaitOthersParked(callers, loader);
        release.countDown();

        for (Caller caller : callers) {
            ExecutionException e = assertThrows(ExecutionException.class, caller::pixels);
            assertSame(failure, e.getCause());
        }
        assertEquals(1, runs.get());
        assertNothingCached();
        assertLaterLoadSucceeds(2);
    }

    @Test
    void loaderReturningNullThrowsNullPointerExceptionAndCachesNothing() {
        assertThrows(NullPointerException.class, () -> cache.computeIfAbsent(KEY, counting((key, pixmaps) -> {
            drawn(pixmaps, 8);
            return null;
        })));

        assertNothingCached();
        assertLaterLoadSucceeds(2);
    }

    @Test
    void resultLargerThanTheBudgetIsLeasedButNotCached() {
        cache.setMaximumBytes(BYTES - 1);

        try (PixmapLease lease = cache.computeIfAbsent(KEY, counting((key, pixmaps) -> drawn(pixmaps, 9)))) {
            assertArrayEquals(expectedPixels(9), bytesOf(lease.pixmap()));
            assertEquals(0, cache.size());
            assertEquals(0, cache.usedBytes());
            assertEquals(BYTES, allocator.liveBytes(), "alive while leased");
            assertEquals(1, cache.stats().rejectedInsertions());
            assertEquals(BYTES, cache.stats().leasedDetachedBytes());
            assertNull(cache.find(KEY));
        }

        assertEquals(0, allocator.liveBytes(), "freed when the lease closed");
        assertEquals(0, cache.stats().leasedDetachedBytes());
        assertEquals(1, runs.get());
    }

    @Test
    void hitDoesNotRunTheLoader() {
        PixmapLoader<String> loader = counting((key, pixmaps) -> drawn(pixmaps, 10));
        cache.computeIfAbsent(KEY, loader).close();

        try (PixmapLease lease = cache.computeIfAbsent(KEY, loader)) {
            assertArrayEquals(expectedPixels(10), bytesOf(lease.pixmap()));
        }

        assertEquals(1, runs.get());
        assertEquals(1, cache.stats().hits());
        assertEquals(1, cache.stats().misses());
        assertEquals(1, cache.stats().insertions());
    }

    @Test
    void insertedPixmapIsAHitWithoutLoading() {
        try (Arena arena = Arena.ofConfined()) {
            assertTrue(cache.insert(KEY, draw(Pixmap.allocate(arena, WIDTH, HEIGHT, PixelFormat.RGBA_8888), 11)));
        }

        try (PixmapLease lease = cache.computeIfAbsent(KEY, counting((key, pixmaps) -> drawn(pixmaps, 12)))) {
            assertArrayEquals(expectedPixels(11), bytesOf(lease.pixmap()));
        }

        assertEquals(0, runs.get());
        assertEquals(1, cache.stats().hits());
        assertEquals(0, cache.stats().misses());
    }

    @Test
    void loaderLoadingItsOwnKeyIsRefusedInsteadOfDeadlocking() {
        AtomicReference<IllegalStateException> inner = new AtomicReference<>();
        PixmapLoader<String> reentrant = new PixmapLoader<>() {
            @Override
            public Pixmap load(String key, PixmapAllocator pixmaps) {
                runs.incrementAndGet();
                inner.set(assertThrows(IllegalStateException.class, () -> cache.computeIfAbsent(key, this)));
                throw inner.get();
            }
        };

        IllegalStateException outer = assertThrows(IllegalStateException.class,
                () -> cache.computeIfAbsent(KEY, reentrant));

        assertSame(inner.get(), outer);
        assertEquals(1, runs.get(), "the inner call never ran the loader");
        assertNothingCached();
        assertLaterLoadSucceeds(2);
    }

    @Test
    void checkedLoaderExceptionReachesTheCallerAndEveryWaiter() throws Exception {
        IOException failure = new IOException("tile source unreachable");
        CountDownLatch release = new CountDownLatch(1);
        BlockingLoader loader = new BlockingLoader(release, (key, pixmaps) -> {
            pixmaps.allocate(WIDTH, HEIGHT, PixelFormat.RGBA_8888);
            throw sneaky(failure);
        });

        List<Caller> callers = startCallers(loader);
        awaitOthersParked(callers, loader);
        release.countDown();

        for (Caller caller : callers) {
            ExecutionException e = assertThrows(ExecutionException.class, caller::pixels);
            assertSame(failure, e.getCause(), "every caller gets the loader's own checked exception");
        }
        assertEquals(1, runs.get());
        assertNothingCached();
        assertLaterLoadSucceeds(2);
    }

    @Test
    void waitersGetAnUncacheableResultWithoutLoadingAgain() throws Exception {
        cache.setMaximumBytes(BYTES - 1);  // every result is too large to cache
        CountDownLatch release = new CountDownLatch(1);
        BlockingLoader loader = new BlockingLoader(release, (key, pixmaps) -> drawn(pixmaps, 6));

        List<Caller> callers = startCallers(loader);
        awaitOthersParked(callers, loader);
        release.countDown();

        for (Caller caller : callers) {
            assertArrayEquals(expectedPixels(6), caller.pixels());
        }
        assertEquals(1, runs.get(), "one load for all callers, though its result was never cached");
        assertEquals(0, cache.size());
        assertEquals(1, cache.stats().rejectedInsertions(), "one result, rejected once");
    }

    @Test
    void loaderRendersInParallelIntoItsPixmaps() {
        int width = 64;
        int height = 256;
        try (PixmapLease lease = cache.computeIfAbsent(KEY, (key, pixmaps) -> {
            Pixmap tile = pixmaps.allocate(width, height, PixelFormat.RGBA_8888);
            Pixmap scratch = ForkJoinPool.commonPool().submit(() -> pixmaps.allocate(width, 1, PixelFormat.GRAY_8)).join();
            IntStream.range(0, height).parallel().forEach(y -> {
                scratch.setArgb(y % width, 0, 0xFF808080);
                for (int x = 0; x < width; x++) {
                    tile.setArgb(x, y, 0xFF000000 | x << 8 | y);
                }
            });
            return tile;
        })) {
            Pixmap tile = lease.pixmap();
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    assertEquals(0xFF000000 | x << 8 | y, tile.getArgb(x, y), "pixel " + x + "," + y);
                }
            }
        }
        assertEquals(1, cache.size());
        assertEquals(64L * 256 * 4, cache.usedBytes(), "the scratch pixmap was freed, the tile adopted");
    }

    @Test
    void loaderPixmapsRefuseEveryAccessFromEveryThreadOnceTheLoadEnded() throws Exception {
        List<Pixmap> kept = new ArrayList<>();
        PixmapLoader<String> keeping = (key, pixmaps) -> {
            Pixmap result = drawn(pixmaps, 7);
            kept.add(result);
            kept.add(pixmaps.allocate(2, 2, PixelFormat.GRAY_8));
            return result;
        };
        cache.computeIfAbsent(KEY, keeping).close();  // published
        cache.setMaximumBytes(BYTES - 1);
        cache.computeIfAbsent("too large", keeping).close();  // too large to cache
        assertThrows(IllegalStateException.class, () -> cache.computeIfAbsent("failed", (key, pixmaps) -> {
            keeping.load(key, pixmaps);
            throw new IllegalStateException("failed after drawing");
        }));

        assertEquals(6, kept.size());
        for (Pixmap pixmap : kept) {
            assertThrows(IllegalStateException.class, () -> pixmap.getArgb(0, 0));
            assertThrows(IllegalStateException.class, () -> pixmap.setArgb(0, 0, 0));
            Throwable elsewhere = CompletableFuture.supplyAsync(() -> {
                try {
                    pixmap.fill(0);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }).get(GIVE_UP_SECONDS, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, elsewhere, "from another thread too");
        }
        PixmapAllocator[] leaked = new PixmapAllocator[1];
        cache.computeIfAbsent("kept allocator", (key, pixmaps) -> {
            leaked[0] = pixmaps;
            return drawn(pixmaps, 8);
        }).close();
        assertThrows(IllegalStateException.class, () -> leaked[0].allocate(1, 1, PixelFormat.GRAY_8));
        Throwable elsewhere = CompletableFuture.supplyAsync(() -> {
            try {
                leaked[0].allocate(1, 1, PixelFormat.GRAY_8);
                return null;
            } catch (Throwable t) {
                return t;
            }
        }).get(GIVE_UP_SECONDS, TimeUnit.SECONDS);
        assertInstanceOf(IllegalStateException.class, elsewhere, "allocating after the load, from another thread");
    }

    @Test
    void confinedPixmapsAreAdoptedWithoutACopyFreedOtherwiseAndDeadAfterTheLoad() {
        List<Pixmap> kept = new ArrayList<>();
        try (PixmapLease lease = cache.computeIfAbsent(KEY, (key, pixmaps) -> {
            kept.add(pixmaps.allocateConfined(16, 16, PixelFormat.RGBA_8888));
            kept.add(pixmaps.allocate(3, 3, PixelFormat.GRAY_8));  // shared and confined in one load
            Pixmap result = draw(pixmaps.allocateConfined(WIDTH, HEIGHT, PixelFormat.RGBA_8888), 9);
            kept.add(result);
            return result;
        })) {
            assertArrayEquals(expectedPixels(9), bytesOf(lease.pixmap()));
            assertEquals(3, allocator.allocationAttempts(), "no copy of the confined result");
            assertEquals(2, allocator.frees());
            assertEquals(BYTES, allocator.liveBytes(), "only the cached pixmap is live");
        }
        for (Pixmap pixmap : kept) {
            assertThrows(IllegalStateException.class, () -> pixmap.getArgb(0, 0));
            assertThrows(IllegalStateException.class, () -> pixmap.setArgb(0, 0, 0));
        }
        assertFindsPixels(expectedPixels(9));
    }

    @Test
    void aFailedLoadOfConfinedPixmapsFreesThemAndKillsThem() {
        List<Pixmap> kept = new ArrayList<>();
        IllegalStateException failure = new IllegalStateException("failed after drawing");
        assertSame(failure, assertThrows(IllegalStateException.class, () -> cache.computeIfAbsent(KEY, (key, pixmaps) -> {
            kept.add(draw(pixmaps.allocateConfined(WIDTH, HEIGHT, PixelFormat.RGBA_8888), 10));
            kept.add(pixmaps.allocateConfined(5, 5, PixelFormat.GRAY_8));
            throw failure;
        })));

        assertNothingCached();
        assertEquals(2, allocator.frees());
        for (Pixmap pixmap : kept) {
            assertThrows(IllegalStateException.class, () -> pixmap.getArgb(0, 0));
        }
        assertLaterLoadSucceeds(1);
    }

    @Test
    void confinedPixmapsBelongToTheLoadingThreadAlone() throws Exception {
        PixmapAllocator[] leaked = new PixmapAllocator[1];
        try (PixmapLease lease = cache.computeIfAbsent(KEY, (key, pixmaps) -> {
            leaked[0] = pixmaps;
            Pixmap result = draw(pixmaps.allocateConfined(WIDTH, HEIGHT, PixelFormat.RGBA_8888), 11);
            Throwable write = elsewhere(() -> result.setArgb(0, 0, 0));
            assertInstanceOf(WrongThreadException.class, write, "another thread may not write a confined pixmap");
            Throwable allocate = elsewhere(() -> pixmaps.allocateConfined(1, 1, PixelFormat.GRAY_8));
            assertInstanceOf(WrongThreadException.class, allocate, "nor allocate one");
            assertNull(elsewhere(() -> pixmaps.allocate(1, 1, PixelFormat.GRAY_8)), "a shared one it may");
            return result;
        })) {
            assertArrayEquals(expectedPixels(11), bytesOf(lease.pixmap()), "untouched by the refused write");
        }
        assertEquals(2, allocator.allocationAttempts(), "the result and the shared scratch; nothing for the refused call");
        assertThrows(IllegalStateException.class, () -> leaked[0].allocateConfined(1, 1, PixelFormat.GRAY_8));
        assertEquals(BYTES, allocator.liveBytes());
    }

    /** What {@code action} throws on another thread; null if it returned. */
    private static Throwable elsewhere(Runnable action) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    action.run();
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            }).get(GIVE_UP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private void assertNothingCached() {
        assertEquals(0, cache.size());
        assertEquals(0, cache.usedBytes());
        assertNull(cache.find(KEY));
        assertEquals(0, allocator.liveBytes(), "what the loader took is freed");
    }

    /** A new computeIfAbsent runs its loader (run number {@code run}) and caches the result. */
    private void assertLaterLoadSucceeds(int run) {
        try (PixmapLease lease = cache.computeIfAbsent(KEY, counting((key, pixmaps) -> drawn(pixmaps, 13)))) {
            assertArrayEquals(expectedPixels(13), bytesOf(lease.pixmap()));
        }
        assertEquals(run, runs.get());
        assertFindsPixels(expectedPixels(13));
    }

    private void assertFindsPixels(byte[] expected) {
        try (PixmapLease lease = cache.find(KEY)) {
            assertNotNull(lease);
            assertArrayEquals(expected, bytesOf(lease.pixmap()));
        }
    }

    private PixmapLoader<String> counting(PixmapLoader<String> loader) {
        return (key, pixmaps) -> {
            runs.incrementAndGet();
            return loader.load(key, pixmaps);
        };
    }

    /** Starts {@link #CALLERS} threads that call computeIfAbsent(KEY) together once all are ready. */
    private List<Caller> startCallers(PixmapLoader<String> loader) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            Caller caller = new Caller(loader, ready, go);
            caller.start();
            callers.add(caller);
        }
        assertTrue(ready.await(GIVE_UP_SECONDS, TimeUnit.SECONDS));
        go.countDown();
        return callers;
    }

    /**
     * Waits, bounded, until the loader runs and every other caller is parked inside computeIfAbsent
     * (so waiting for the load in flight, not yet to start one).
     */
    private static void awaitOthersParked(List<Caller> callers, BlockingLoader loader) throws InterruptedException {
        assertTrue(loader.started.await(GIVE_UP_SECONDS, TimeUnit.SECONDS), "the loader started");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_SECONDS);
        while (!callers.stream().filter(c -> c != loader.thread.get()).allMatch(Caller::isWaitingForALoad)) {
            assertTrue(System.nanoTime() < deadline, "callers never all waited for the load");
            Thread.sleep(1);
        }
    }

    /** Throws a checked exception from code that declares none, as a Kotlin loader would. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable checked) throws T {
        throw (T) checked;
    }

    /** Draws pattern {@code seed} into a new pixmap from the cache's allocator. */
    private static Pixmap drawn(PixmapAllocator pixmaps, int seed) {
        return draw(pixmaps.allocate(WIDTH, HEIGHT, PixelFormat.RGBA_8888), seed);
    }

    private static Pixmap draw(Pixmap pixmap, int seed) {
        MemorySegment.copy(expectedPixels(seed), 0, pixmap.segment(), ValueLayout.JAVA_BYTE, 0, (int) BYTES);
        return pixmap;
    }

    private static byte[] expectedPixels(int seed) {
        byte[] pixels = new byte[(int) BYTES];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (seed * 37 + i * 11);
        }
        return pixels;
    }

    private static byte[] bytesOf(Pixmap pixmap) {
        return pixmap.segment().toArray(ValueLayout.JAVA_BYTE);
    }

    /** A loader that records its thread, then blocks until released before running {@code body}. */
    private final class BlockingLoader implements PixmapLoader<String> {
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicReference<Thread> thread = new AtomicReference<>();
        private final CountDownLatch release;
        private final PixmapLoader<String> body;

        BlockingLoader(CountDownLatch release, PixmapLoader<String> body) {
            this.release = release;
            this.body = body;
        }

        @Override
        public Pixmap load(String key, PixmapAllocator pixmaps) {
            runs.incrementAndGet();
            thread.set(Thread.currentThread());
            started.countDown();
            try {
                assertTrue(release.await(GIVE_UP_SECONDS, TimeUnit.SECONDS), "released");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            return body.load(key, pixmaps);
        }
    }

    /** A thread that calls computeIfAbsent(KEY) and keeps a copy of the pixels or the exception. */
    private final class Caller extends Thread {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final PixmapLoader<String> loader;
        private final CountDownLatch ready;
        private final CountDownLatch go;

        Caller(PixmapLoader<String> loader, CountDownLatch ready, CountDownLatch go) {
            this.loader = loader;
            this.ready = ready;
            this.go = go;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                ready.countDown();
                go.await();
                byte[] pixels;
                try (PixmapLease lease = cache.computeIfAbsent(KEY, loader)) {
                    pixels = bytesOf(lease.pixmap());
                }
                result.complete(pixels);  // only once the lease is closed: the test then checks for leaks
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }

        /** The pixels this caller got; throws ExecutionException with what its call threw. */
        byte[] pixels() throws ExecutionException, InterruptedException {
            try {
                return result.get(GIVE_UP_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("caller never finished", e);
            }
        }

        /** Parked inside computeIfAbsent: it can only be waiting for the load in flight. */
        boolean isWaitingForALoad() {
            return getState() == State.WAITING && Arrays.stream(getStackTrace()).anyMatch(frame ->
                    frame.getClassName().equals(PixmapCache.class.getName())
                            && frame.getMethodName().equals("computeIfAbsent"));
        }
    }
}
