package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.internal.index.KeyTable;
import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestAllocator;
import io.github.pixmapcache.testing.TestPixmaps;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every allocation fails in turn, the way SQLite tests its own malloc failures. One scripted
 * workload touches every site that takes native memory: keyed and anonymous inserts, replace,
 * loads that render into cache memory or return a foreign pixmap, key-table growth, a load too
 * large to cache, with leases held across eviction, replacement, {@code setMaximumBytes},
 * {@code clear} and {@code close}. A run without failures counts its allocations, N; then for
 * every k in 1..N the workload runs once with only allocation k failing, and once with every
 * allocation from k on failing.
 *
 * <p>After every step of every run: the step threw (only {@link PixmapAllocationException}) exactly
 * when one of its own allocations failed; a failed step changed nothing (entries, usedBytes,
 * counters, live native bytes); {@code usedBytes} and {@code size} match the entries that a find
 * reaches, each with its own pixels; removed and cleared keys are invalid; held leases read their
 * own pixels; {@code stats} counts every failure and every detached but leased byte. After each
 * run the cache still works, and once it and every lease are closed no native byte is live.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryAllocationFailsTest {
    private static final long BUDGET = 8 << 10;
    /** Enough anonymous keys to fill the first key table and grow it once. */
    private static final int KEYS_TO_GROW = KeyTable.INITIAL_CAPACITY + 1;

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();
    /** The sources, shared by every test of the class. */
    private final Arena arena = Arena.ofShared();
    private final Map<Integer, Pixmap> sources = new HashMap<>();
    private long allocationsOfOneRun;

    @BeforeAll
    void countTheAllocationsOfACleanRun() {
        Run run = cleanRun();
        run.execute();
        allocationsOfOneRun = run.scriptAllocations;
        assertEquals(0, run.failures);
    }

    @AfterAll
    void releaseSources() {
        arena.close();
    }

    @Test
    void cleanRunTouchesEverySiteItClaims() {
        Run run = cleanRun();

        run.execute();

        // 257 growth inserts, a table of 256 slots and one of 512, and 14 scripted pixel blocks.
        assertEquals(KEYS_TO_GROW + 2 + 14, allocationsOfOneRun, "N");
        assertEquals(allocationsOfOneRun, run.scriptAllocations, "the workload is deterministic");
        assertTrue(run.evictions > 0, "the workload evicted under held leases");
        assertTrue(run.sawLeasedDetachedBytes, "a lease outlived its entry");
    }

    @ParameterizedTest(name = "allocation #{0} fails")
    @MethodSource("everyAllocation")
    void onlyOneAllocationFails(long k) {
        Run run = runFailingOnly(k);

        run.execute();

        assertEquals(1, run.failures, "exactly the step holding allocation #" + k + " failed");
    }

    @ParameterizedTest(name = "allocations from #{0} on fail")
    @MethodSource("everyAllocation")
    void everyAllocationFromOneOnFails(long k) {
        Run run = runFailingFrom(k);

        run.execute();

        assertTrue(run.failures >= 1, "at least the step holding allocation #" + k + " failed");
    }

    LongStream everyAllocation() {
        return LongStream.rangeClosed(1, allocationsOfOneRun);
    }

    private Run cleanRun() {
        return new Run(caches.newAllocator(), n -> false);
    }

    private Run runFailingOnly(long k) {
        return new Run(caches.newAllocator().failAllocation(k), n -> n == k);
    }

    private Run runFailingFrom(long k) {
        return new Run(caches.newAllocator().failAllocationsFrom(k), n -> n >= k);
    }

    /** One run of the workload against a fresh cache whose allocations fail where {@code failing} says. */
    private final class Run {
        private final TestAllocator allocator;
        private final LongPredicate failing;
        private final PixmapCache<String> cache;
        /** What the cache must hold; entries may vanish only by eviction during a successful step. */
        private final Map<String, Pixmap> keyed = new LinkedHashMap<>();
        private final Map<PixmapCache.Key, Pixmap> anonymous = new LinkedHashMap<>();
        private final List<PixmapCache.Key> invalid = new ArrayList<>();
        private final List<Held> held = new ArrayList<>();
        private int failures;
        private long evictions;
        private boolean sawLeasedDetachedBytes;
        /** Allocations the script attempted, before the closing checks. */
        private long scriptAllocations;

        private Run(TestAllocator allocator, LongPredicate failing) {
            this.allocator = allocator;
            this.failing = failing;
            this.cache = caches.track(allocator.<String>builder().maximumBytes(BUDGET).build());
        }

        void execute() {
            step(() -> insert("a", source(1, 16, 16)));              // 1 allocation
            step(() -> insert("b", source(2, 16, 8)));               // 1
            step(() -> insertAnonymous(source(3, 8, 8)));            // 2: pixels, then the first key table
            step(() -> hold("a"));                                   // 0
            step(() -> withFirstAnonymous(key -> replace(key, source(4, 8, 4))));  // 1
            step(() -> insert("a", source(5, 16, 16)));              // 1: the leased "a" is detached
            step(() -> loadDrawn("c", source(6, 12, 12)));           // 2: a scratch pixmap, then the result
            step(() -> loadForeign("d", source(7, 4, 4)));           // 1: the copy
            step(() -> loadDrawn("a", source(8, 1, 1)));             // 0: a hit
            step(() -> hold("c"));                                   // 0
            for (int i = 0; i < KEYS_TO_GROW; i++) {                 // 257: the 256-slot table fills, then grows to 512
                int id = 100 + i;
                step(() -> insertAnonymous(source(id, 1, 1)), false);
            }
            checkInvariants();
            step(() -> withFirstAnonymous(this::removeAnonymous));  // 0
            step(() -> remove("b"));                                 // 0
            step(() -> insert("big", source(9, 40, 40)));            // 1: 6400 bytes evict least recent entries
            step(() -> setMaximumBytes(0));                          // 0: evicts everything, leases held
            step(() -> setMaximumBytes(BUDGET));                     // 0
            step(() -> insert("b", source(10, 16, 8)));              // 1
            step(() -> insertAnonymous(source(11, 2, 2)));           // 1: slots were freed, no growth
            step(() -> hold("b"));                                   // 0
            step(() -> loadTooLarge("huge", source(12, 80, 80)));    // 1: 25 KiB, leased but not cached
            step(this::clear);                                       // 0
            step(() -> insert("e", source(13, 8, 8)));               // 1
            step(() -> insertAnonymous(source(14, 4, 4)));           // 1
            step(() -> hold("e"));                                   // 0
            scriptAllocations = allocator.allocationAttempts();
            stillWorksThenCloses();
        }

        /**
         * Runs {@code operation}: it may throw only {@link PixmapAllocationException}, exactly when
         * one of its own allocations failed, and then it must have changed nothing.
         */
        private void step(Operation operation) {
            step(operation, true);
        }

        private void step(Operation operation, boolean checkEverything) {
            Snapshot before = snapshot();
            long attemptsBefore = allocator.allocationAttempts();
            boolean failed;
            try {
                operation.run();
                failed = false;
            } catch (PixmapAllocationException e) {  // anything else escapes and fails the test
                failed = true;
                failures++;
            }
            boolean ownAllocationFailed = LongStream.rangeClosed(attemptsBefore + 1, allocator.allocationAttempts())
                    .anyMatch(failing::test);
            assertEquals(ownAllocationFailed, failed, "the step failed exactly when one of its allocations did");
            assertEquals(failures, cache.stats().allocationFailures(), "stats count every failure");
            if (failed) {
                assertEquals(before, snapshot(), "a failed step changed the cache");
            }
            if (checkEverything) {
                checkInvariants();
            } else {
                assertEquals(before.size() + (failed ? 0 : 1), cache.size());
                assertEquals(usedBytesOfModel(), cache.usedBytes());
            }
        }

        // -------------------------------------------------------------- operations

        private void insert(String key, Pixmap pixmap) {
            assertTrue(cache.insert(key, pixmap));
            keyed.remove(key);  // re-added last, as the cache's most recent
            keyed.put(key, pixmap);
        }

        private void insertAnonymous(Pixmap pixmap) {
            PixmapCache.Key key = cache.insert(pixmap);
            assertTrue(key.isValid());
            anonymous.put(key, pixmap);
        }

        private void replace(PixmapCache.Key key, Pixmap pixmap) {
            assertTrue(cache.replace(key, pixmap));
            anonymous.put(key, pixmap);
        }

        private void remove(String key) {
            assertEquals(keyed.remove(key) != null, cache.remove(key), () -> "remove " + key);
        }

        private void removeAnonymous(PixmapCache.Key key) {
            assertTrue(cache.remove(key));
            anonymous.remove(key);
            invalid.add(key);
        }

        private void setMaximumBytes(long bytes) {
            cache.setMaximumBytes(bytes);
        }

        private void clear() {
            cache.clear();
            keyed.clear();
            invalid.addAll(anonymous.keySet());
            anonymous.clear();
        }

        /** Renders into a scratch pixmap and the result, both from the cache's allocator. */
        private void loadDrawn(String key, Pixmap pixmap) {
            load(key, pixmap, (k, pixmaps) -> {
                pixmaps.allocate(3, 3, PixelFormat.GRAY_8);
                Pixmap result = pixmaps.allocate(pixmap.width(), pixmap.height(), pixmap.format());
                MemorySegment.copy(pixmap.segment(), 0, result.segment(), 0, pixmap.byteSize());
                return result;
            });
        }

        private void loadForeign(String key, Pixmap pixmap) {
            load(key, pixmap, (k, pixmaps) -> pixmap);
        }

        private void load(String key, Pixmap pixmap, PixmapLoader<String> loader) {
            boolean hit = keyed.containsKey(key);
            try (PixmapLease lease = cache.computeIfAbsent(key, loader)) {
                if (!hit) {
                    keyed.put(key, pixmap);
                }
                assertTrue(lease.pixmap().contentEquals(keyed.get(key)), () -> "loaded pixels under " + key);
            }
        }

        /** A result above the budget comes back in a lease and is not cached; the lease is held. */
        private void loadTooLarge(String key, Pixmap pixmap) {
            PixmapLease lease = cache.computeIfAbsent(key, (k, pixmaps) -> pixmap);
            held.add(new Held(key, pixmap, lease));
            assertNull(cache.find(key));
        }

        /** Leases the pixmap under {@code key}, if an earlier failure did not keep it out. */
        private void hold(String key) {
            PixmapLease lease = cache.find(key);
            assertEquals(keyed.containsKey(key), lease != null, () -> "find " + key);
            if (lease != null) {
                held.add(new Held(key, keyed.get(key), lease));
            }
        }

        /** Runs {@code operation} on the oldest anonymous key, unless earlier failures left none. */
        private void withFirstAnonymous(Consumer<PixmapCache.Key> operation) {
            if (!anonymous.isEmpty()) {
                operation.accept(anonymous.keySet().iterator().next());
            }
        }

        // -------------------------------------------------------------- checks

        /**
         * Drops the entries a successful step evicted, then checks that the cache holds exactly the
         * model's entries, with their pixels, and that every held lease reads its own.
         */
        private void checkInvariants() {
            forgetEvicted(keyed.entrySet().iterator(), entry -> cache.find(entry.getKey()));
            forgetEvicted(anonymous.entrySet().iterator(), entry -> cache.find(entry.getKey()));
            assertEquals(keyed.size() + anonymous.size(), cache.size(), "size counts the entries a find reaches");
            assertEquals(usedBytesOfModel(), cache.usedBytes(), "usedBytes is the sum of the entries");
            assertTrue(cache.usedBytes() <= cache.maximumBytes());
            for (PixmapCache.Key key : invalid) {
                assertFalse(key.isValid(), () -> key + " was removed or cleared");
                assertNull(cache.find(key));
            }
            long detached = 0;
            for (Held lease : held) {
                assertTrue(lease.lease.pixmap().contentEquals(lease.pixmap), () -> "held lease on " + lease.key);
                if (keyed.get(lease.key) != lease.pixmap) {
                    detached += lease.pixmap.byteSize();
                }
            }
            assertEquals(detached, cache.stats().leasedDetachedBytes(), "leased bytes out of the cache");
            sawLeasedDetachedBytes |= detached > 0;
        }

        /** Evicted entries miss; an entry that is found must hold its own pixels. */
        private <K> void forgetEvicted(Iterator<Map.Entry<K, Pixmap>> entries,
                Function<Map.Entry<K, Pixmap>, PixmapLease> find) {
            while (entries.hasNext()) {
                Map.Entry<K, Pixmap> entry = entries.next();
                PixmapLease lease = find.apply(entry);
                if (lease == null) {
                    entries.remove();
                    evictions++;
                    if (entry.getKey() instanceof PixmapCache.Key key) {
                        invalid.add(key);
                    }
                    continue;
                }
                try (lease) {
                    assertTrue(lease.pixmap().contentEquals(entry.getValue()), () -> "pixels under " + entry.getKey());
                }
            }
        }

        private long usedBytesOfModel() {
            long bytes = 0;
            for (Pixmap pixmap : keyed.values()) {
                bytes += pixmap.byteSize();
            }
            for (Pixmap pixmap : anonymous.values()) {
                bytes += pixmap.byteSize();
            }
            return bytes;
        }

        /** What a failed step must leave exactly as it was. */
        private Snapshot snapshot() {
            CacheStats stats = cache.stats();
            return new Snapshot(cache.size(), cache.usedBytes(), cache.maximumBytes(), stats.insertions(),
                    stats.evictions(), stats.rejectedInsertions(), stats.leasedDetachedBytes(),
                    allocator.liveBytes(), allocator.liveBlocks());
        }

        /**
         * With failures off, the cache takes a keyed and an anonymous insert; then it closes with
         * leases still open, and the last lease to close returns the last native byte.
         */
        private void stillWorksThenCloses() {
            allocator.succeed();
            Pixmap later = source(15, 5, 5);
            insert("later", later);
            insertAnonymous(later);
            checkInvariants();

            cache.close();

            long heldBytes = held.stream().mapToLong(lease -> lease.pixmap.byteSize()).sum();
            assertEquals(heldBytes, allocator.liveBytes(), "after close only leased pixmaps stay allocated");
            for (Held lease : held) {
                assertTrue(lease.lease.pixmap().contentEquals(lease.pixmap), "a lease outlives its cache");
                lease.lease.close();
                assertThrows(IllegalStateException.class, lease.lease::pixmap);
            }
            assertEquals(0, allocator.liveBytes(), "live native bytes after close");
            assertEquals(0, allocator.liveBlocks(), "live native blocks after close");
        }
    }

    private record Snapshot(int size, long usedBytes, long maximumBytes, long insertions, long evictions,
            long rejectedInsertions, long leasedDetachedBytes, long liveBytes, long liveBlocks) {}

    private record Held(String key, Pixmap pixmap, PixmapLease lease) {}

    @FunctionalInterface
    private interface Operation {
        void run();
    }

    /** A caller-owned RGBA pixmap whose bytes follow from {@code id}; one per id, shared by runs. */
    private Pixmap source(int id, int width, int height) {
        return sources.computeIfAbsent(id, unused -> TestPixmaps.patterned(arena, width, height, id));
    }
}
