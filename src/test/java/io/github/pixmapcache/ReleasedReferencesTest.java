package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.internal.policy.ReadBuffer;
import io.github.pixmapcache.testing.CacheFixture;
import java.lang.foreign.Arena;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cache keeps no reference to the keys and entries it let go (Qt's
 * {@code clearDoesNotLeakStringKeys}): after a find, whichever way an entry leaves (clear, remove
 * by key and by Key, replace, eviction, close), its key and its entry become unreachable, checked
 * with weak references and a bounded GC loop, under both policies.
 */
class ReleasedReferencesTest {
    private static final int GC_ROUNDS = 50;
    private static final int MANY_KEYS = 100;

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();
    private final Arena arena = caches.arena();
    private final Pixmap source = Pixmap.allocate(arena, 4, 4, PixelFormat.RGBA_8888);
    private PixmapCache<String> cache;

    enum Departure { CLEAR, REMOVE_BY_KEY, REMOVE_BY_GENERATED_KEY, REPLACE, EVICTION, CLOSE }

    static Stream<Arguments> policiesAndDepartures() {
        return Stream.of(EvictionPolicy.values()).flatMap(policy ->
                Stream.of(Departure.values()).map(departure -> Arguments.of(policy, departure)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("policiesAndDepartures")
    void aFoundEntryAndItsKeyAreUnreachableOnceTheyLeft(EvictionPolicy policy, Departure departure) {
        cache = caches.cache(policy, 1 << 20);
        List<WeakReference<?>> released = switch (departure) {
            case CLEAR -> keyedThen(cache::clear);
            case REMOVE_BY_KEY -> keyedThen(() -> assertTrue(cache.remove(new String("tile"))));
            case EVICTION -> keyedThen(() -> {
                cache.setMaximumBytes(0);
                cache.setMaximumBytes(1 << 20);
            });
            case CLOSE -> keyedThen(cache::close);
            case REMOVE_BY_GENERATED_KEY -> removedGeneratedKey();
            case REPLACE -> replacedEntry();
        };

        assertEquals(0, stillReachable(released), "references the cache kept after " + departure);
        Reference.reachabilityFence(cache);
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void noneOfManyFoundKeysOutlivesClear(EvictionPolicy policy) {
        cache = caches.cache(policy, 1 << 20);
        List<WeakReference<?>> released = new ArrayList<>();
        for (int i = 0; i < MANY_KEYS; i++) {
            String key = "tile " + i;
            assertTrue(cache.insert(key, source));
            released.add(new WeakReference<>(key));
        }
        for (int i = 0; i < MANY_KEYS; i++) {  // every insert drained the reads; these stay recorded
            released.add(foundEntry("tile " + i));
        }
        cache.clear();

        assertEquals(0, stillReachable(released), "of " + released.size() + " keys and entries, reachable after clear()");
    }

    /**
     * The finding "a reference kept after a remove": a find that validated its entry before a
     * remove records its read after the remove drained the read buffer. Without the fix the read
     * buffer kept the entry, and through it the key, until the cache's next mutation; here every
     * cache stays idle after its race, so any key still reachable is one the cache kept. The finder
     * reads one key over and over, so all but its first find are repeats coalesced into its ring's
     * newest note (see ReadBuffer): this also proves that a coalesced read keeps nothing.
     */
    @Test
    void aFindOverlappingARemoveLeavesNoReferenceBehind() throws Exception {
        int caches = 200;
        List<PixmapCache<String>> idle = new ArrayList<>();
        List<WeakReference<?>> released = new ArrayList<>();
        ExecutorService finder = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < caches; i++) {
                PixmapCache<String> racing = this.caches.cache(EvictionPolicy.LRU, 1 << 20);
                idle.add(racing);
                String key = new String("tile " + i);
                assertTrue(racing.insert(key, source));
                released.add(new WeakReference<>(key));
                AtomicBoolean removed = new AtomicBoolean();
                CountDownLatch finding = new CountDownLatch(1);
                String probe = new String(key);  // equal, not the same: the finder holds no reference to the key
                Future<?> finds = finder.submit(() -> {
                    finding.countDown();
                    while (!removed.get()) {
                        try (PixmapLease lease = racing.find(probe)) {
                            if (lease == null) {
                                return;
                            }
                        }
                    }
                });
                finding.await();
                Thread.onSpinWait();
                assertTrue(racing.remove(new String(key)));
                removed.set(true);
                finds.get();
                key = null;
            }
        } finally {
            finder.shutdown();
        }

        assertEquals(0, stillReachable(released), "keys an idle cache kept after a remove that overlapped a find");
        Reference.reachabilityFence(idle);
    }

    enum ReaderFate { IDLES_ON_A_PLATFORM_THREAD, DIES, IDLES_ON_A_VIRTUAL_THREAD }

    /**
     * A platform thread records its reads in a ring of its own with plain stores. A thread that
     * found an entry and then never calls the cache again (it idles for ever, or it dies) leaves the
     * read in its ring: the remove must still take it out, so that the key becomes unreachable.
     */
    @ParameterizedTest
    @EnumSource(ReaderFate.class)
    void aReaderThatNeverComesBackKeepsNothingOfAnEntryRemovedAfterItsFind(ReaderFate fate) throws Exception {
        cache = caches.cache(EvictionPolicy.LRU, 1 << 20);
        String key = new String("tile");
        assertTrue(cache.insert(key, source));
        WeakReference<?> released = new WeakReference<>(key);
        String probe = new String(key);  // equal, not the same: the reader holds no reference to the key
        CountDownLatch found = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Runnable reader = () -> {
            findAndClose(cache, probe);  // in a frame of its own: an idle frame would keep the closed lease
            found.countDown();
            if (fate != ReaderFate.DIES) {
                awaitUninterruptibly(finish);
            }
        };
        Thread thread = fate == ReaderFate.IDLES_ON_A_VIRTUAL_THREAD
                ? Thread.ofVirtual().start(reader) : Thread.ofPlatform().start(reader);
        try {
            found.await();
            if (fate == ReaderFate.DIES) {
                thread.join();
            }
            assertTrue(cache.remove(new String(key)));
            key = null;

            assertEquals(0, stillReachable(List.of(released)), "the key, kept by the read of a reader that " + fate);
        } finally {
            finish.countDown();
            thread.join();
        }
    }

    /**
     * A platform thread that found one key many times (its repeats coalesced into one note of its
     * ring, counted beside it) and then idles: the remove must still take that note, and the hits
     * stay exact.
     */
    @Test
    void aReaderWhoseRepeatedFindsCoalescedKeepsNothingOfAnEntryRemovedAfterThem() throws Exception {
        cache = caches.cache(EvictionPolicy.WINDOW_TINY_LFU, 1 << 20);
        String key = new String("tile");
        assertTrue(cache.insert(key, source));
        WeakReference<?> released = new WeakReference<>(key);
        String probe = new String(key);
        int finds = 1000;
        CountDownLatch found = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().start(() -> {
            for (int i = 0; i < finds; i++) {
                findAndClose(cache, probe);
            }
            found.countDown();
            awaitUninterruptibly(finish);
        });
        try {
            found.await();
            assertEquals(finds, cache.stats().hits(), "every repeated find is a hit");
            assertTrue(cache.remove(new String(key)));
            key = null;

            assertEquals(0, stillReachable(List.of(released)), "the key, kept by the reader's coalesced finds");
        } finally {
            finish.countDown();
            reader.join();
        }
    }

    /**
     * A dead thread hands its owned number, and with it its read ring in every cache, to the next
     * platform thread: threads that come and go one after another leave no ring behind each.
     */
    @Test
    void threadsThatComeAndGoLeaveNoReadRingBehind() throws Exception {
        cache = caches.cache(EvictionPolicy.LRU, 1 << 20);
        assertTrue(cache.insert("tile", source));
        int threads = 100;
        for (int i = 0; i < threads; i++) {
            Thread reader = Thread.ofPlatform().start(() -> findAndClose(cache, "tile"));
            reader.join();
        }

        int rings = readRings(cache);
        assertTrue(rings <= 2, rings + " read rings after " + threads + " threads that ran one after another");
        assertEquals(threads, cache.stats().hits(), "the dead threads' hits still count");
    }

    private static void findAndClose(PixmapCache<String> cache, String key) {
        try (PixmapLease lease = cache.find(key)) {
            assertNotNull(lease);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // idle on: the test says when
            }
        }
    }

    /** How many per-thread read rings the cache's read buffer holds. */
    private static int readRings(PixmapCache<?> cache) {
        try {
            Field engine = PixmapCache.class.getDeclaredField("engine");
            engine.setAccessible(true);
            Field reads = Engine.class.getDeclaredField("reads");
            reads.setAccessible(true);
            return ((ReadBuffer<?>) reads.get(engine.get(cache))).ownedRings();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Inserts and finds a fresh key "tile", runs {@code departure}, and returns the key's and entry's references. */
    private List<WeakReference<?>> keyedThen(Runnable departure) {
        List<WeakReference<?>> released = insertAndFind(new String("tile"));
        departure.run();
        return released;
    }

    private List<WeakReference<?>> insertAndFind(String key) {
        assertTrue(cache.insert(key, source));
        return List.of(new WeakReference<>(key), foundEntry(key));
    }

    private WeakReference<Object> foundEntry(String key) {
        try (PixmapLease lease = cache.find(key)) {
            assertNotNull(lease);
            return new WeakReference<>(entryOf(lease));
        }
    }

    private List<WeakReference<?>> removedGeneratedKey() {
        PixmapCache.Key key = cache.insert(source);
        WeakReference<Object> entry;
        try (PixmapLease lease = cache.find(key)) {
            entry = new WeakReference<>(entryOf(lease));
        }
        assertTrue(cache.remove(key));
        return List.of(new WeakReference<>(key), entry);
    }

    private List<WeakReference<?>> replacedEntry() {
        PixmapCache.Key key = cache.insert(source);
        WeakReference<Object> replaced;
        try (PixmapLease lease = cache.find(key)) {
            replaced = new WeakReference<>(entryOf(lease));
        }
        assertTrue(cache.replace(key, source));
        return List.of(replaced);
    }

    /** How many of {@code references} survive a bounded loop of collections. */
    private static long stillReachable(List<WeakReference<?>> references) {
        for (int round = 0; round < GC_ROUNDS && references.stream().anyMatch(r -> !r.refersTo(null)); round++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return references.stream().filter(r -> !r.refersTo(null)).count();
    }

    /** The engine's entry behind a lease: the object whose reachability matters. */
    private static Object entryOf(PixmapLease lease) {
        try {
            Field entry = Lease.class.getDeclaredField("entry");
            entry.setAccessible(true);
            return entry.get(lease);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
