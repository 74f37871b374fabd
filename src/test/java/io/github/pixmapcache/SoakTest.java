package io.github.pixmapcache;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.internal.index.KeyTable;
import io.github.pixmapcache.testing.BrokenKey;
import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestAllocator;
import io.github.pixmapcache.testing.TestPixmaps;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ObjIntConsumer;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Soak: several threads run a seeded random mix of every operation against a small budget, with
 * every 97th native allocation failing. Every pixmap a thread reads must be the one its key names,
 * intact; the only exceptions allowed are the documented ones ({@link PixmapAllocationException},
 * and the loader's own); at every checkpoint all threads stop and the cache's books must balance
 * ({@code size} and {@code usedBytes} against what finds reach, native bytes against the entries,
 * the leased bytes and one key table); {@code usedBytes} is never above the budget, at checkpoints
 * and while the threads run; after close no native byte is live.
 *
 * <p>CI runs {@value #DEFAULT_OPERATIONS} operations. The long run:
 * {@code ./mvnw -B test -Dtest=SoakTest -Dpixmapcache.soak.operations=10000000}.
 */
class SoakTest {
    /** The system property that sets the total number of operations, over all threads. */
    static final String OPERATIONS_PROPERTY = "pixmapcache.soak.operations";
    static final long DEFAULT_OPERATIONS = 1_000_000;
    private static final int THREADS = 4;
    private static final long SEED = 0x5EED_CAFEL;
    private static final long BUDGET = 4096;
    private static final int KEYS = 64;
    private static final int VARIANTS = 4;
    /** Operations per thread between two checkpoints. */
    private static final long CHECKPOINT_EVERY = 10_000;
    private static final int ANONYMOUS_PER_THREAD = 32;
    private static final int HELD_PER_THREAD = 4;
    private static final long FAIL_EVERY_NTH_ALLOCATION = 97;
    /** The hostile run's extra user keys: Keys of this cache, Keys of another, and broken keys. */
    private static final int OWN_KEYS = 8;
    private static final int FOREIGN_KEYS = 4;
    private static final int BROKEN_KEYS = 4;
    private static final int EXTRA_KEYS = OWN_KEYS + FOREIGN_KEYS + BROKEN_KEYS;
    /** A loader result no budget of the run can hold: 64x32 RGBA. */
    private static final int UNCACHEABLE_WIDTH = 64;
    private static final int UNCACHEABLE_HEIGHT = 32;
    private static final long HOSTILE_JOIN_SECONDS = 120;

    @RegisterExtension
    final CacheFixture caches = CacheFixture.withSharedArena();
    private final TestAllocator allocator = caches.allocator().failEveryNth(FAIL_EVERY_NTH_ALLOCATION);
    private final PixmapCache<Integer> cache = caches.cache(BUDGET);
    private final Arena arena = caches.arena();
    /** Shared by the threads that read the budget and usedBytes together, exclusive to one that changes the budget. */
    private final ReadWriteLock budgetChange = new ReentrantReadWriteLock();
    /** Pixmap number id belongs to key id / VARIANTS; its first int is its id. */
    private final Pixmap[] sources = new Pixmap[(KEYS + EXTRA_KEYS) * VARIANTS];

    @Test
    void threadsRunningEveryOperationKeepTheCacheConsistent() throws InterruptedException {
        long operations = Long.getLong(OPERATIONS_PROPERTY, DEFAULT_OPERATIONS);
        long perThread = Math.max(CHECKPOINT_EVERY, operations / THREADS / CHECKPOINT_EVERY * CHECKPOINT_EVERY);
        for (int id = 0; id < sources.length; id++) {
            sources[id] = source(id);
        }
        List<Worker> workers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CyclicBarrier checkpoint = new CyclicBarrier(THREADS, () -> checkBooks(workers));
        for (int t = 0; t < THREADS; t++) {
            workers.add(new Worker(t, perThread, checkpoint, failure));
        }

        workers.forEach(Thread::start);
        for (Worker worker : workers) {
            worker.join();
        }

        if (failure.get() != null) {
            throw new AssertionError("a soak thread failed", failure.get());
        }
        long total = workers.stream().mapToLong(w -> w.done).sum();
        assertEquals(perThread * THREADS, total, "operations run");
        assertTrue(cache.stats().allocationFailures() > 0, "allocation failures were injected");
        assertTrue(workers.stream().mapToLong(w -> w.allocationFailures).sum() > 0);
        System.out.printf("soak: %d operations on %d threads, %s%n", total, THREADS, cache);
    }

    /**
     * The same soak on a {@code PixmapCache<Object>} whose user keys include Keys of this cache and
     * of another one, and keys whose hashCode throws or changes while cached; loaders also throw
     * checked exceptions and return results too large to cache. Leases must read their own pixels,
     * {@code stats()} must hold the budget at every read, no operation may hang, and after
     * {@code clear()} only the key table is left; after close, nothing.
     */
    @Test
    void hostileKeysAndLoadersNeverCorruptTheCache() throws Exception {
        long operations = Long.getLong(OPERATIONS_PROPERTY, DEFAULT_OPERATIONS) / 2;
        long perThread = Math.max(CHECKPOINT_EVERY, operations / THREADS);
        for (int id = 0; id < sources.length; id++) {
            sources[id] = source(id);
        }
        PixmapCache<Object> hostile = caches.track(allocator.<Object>builder().maximumBytes(BUDGET).build());
        PixmapCache<Object> foreign = caches.track(PixmapCache.<Object>builder().build());
        Object[] keys = new Object[KEYS + EXTRA_KEYS];
        for (int key = 0; key < KEYS; key++) {
            keys[key] = key;
        }
        for (int i = 0; i < OWN_KEYS; i++) {
            keys[KEYS + i] = hostile.insert(sources[0]);
        }
        for (int i = 0; i < FOREIGN_KEYS; i++) {
            keys[KEYS + OWN_KEYS + i] = foreign.insert(sources[0]);
        }
        for (int i = 0; i < BROKEN_KEYS; i++) {
            keys[KEYS + OWN_KEYS + FOREIGN_KEYS + i] = new BrokenKey(i);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<HostileWorker> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(new HostileWorker(t, perThread, hostile, keys, failure));
        }

        workers.forEach(Thread::start);
        for (HostileWorker worker : workers) {
            worker.join(HOSTILE_JOIN_SECONDS * 1000);
            assertFalse(worker.isAlive(), () -> worker.getName() + " hangs: " + List.of(worker.getStackTrace()));
        }

        if (failure.get() != null) {
            throw new AssertionError("a hostile soak thread failed", failure.get());
        }
        for (int i = 0; i < BROKEN_KEYS; i++) {
            ((BrokenKey) keys[KEYS + OWN_KEYS + FOREIGN_KEYS + i]).setThrowing(false);
        }
        hostile.clear();
        assertEquals(0, hostile.size());
        assertEquals(0, hostile.usedBytes());
        CacheStats stats = hostile.stats();
        assertEquals(0, stats.leasedDetachedBytes(), "every lease is closed");
        long keyTableBytes = allocator.liveBytes();
        assertTrue(keyTableBytes % 16 == 0 && Long.bitCount(keyTableBytes / 16) == 1,
                () -> keyTableBytes + " native bytes left after clear(), not one key table");
        for (int key = 0; key < keys.length; key++) {
            assertNull(hostile.find(keys[key]), "found " + keys[key] + " after clear()");
        }
        System.out.printf("hostile soak: %d operations on %d threads, %s%n",
                workers.stream().mapToLong(w -> w.done).sum(), THREADS, stats);
    }

    /**
     * All threads are stopped: every entry is reachable through the fixed key space or a Key some
     * worker holds, so {@code size} and {@code usedBytes} must match what finds reach, and native
     * memory must be exactly the entries, the leased detached pixmaps and one key table.
     */
    private void checkBooks(List<Worker> workers) {
        int found = 0;
        long bytes = 0;
        for (int key = 0; key < KEYS; key++) {
            try (PixmapLease lease = cache.find(key)) {
                if (lease != null) {
                    found++;
                    bytes += assertOwnPixels(key, lease.pixmap());
                }
            }
        }
        for (Worker worker : workers) {
            for (Map.Entry<PixmapCache.Key, Integer> anonymous : worker.anonymous.entrySet()) {
                try (PixmapLease lease = cache.find(anonymous.getKey())) {
                    if (lease != null) {
                        found++;
                        bytes += lease.pixmap().byteSize();
                        assertEquals(anonymous.getValue(), idOf(lease.pixmap()));
                    }
                }
            }
        }
        assertEquals(found, cache.size(), "size counts what finds reach");
        assertEquals(bytes, cache.usedBytes(), "usedBytes sums what finds reach");
        assertTrue(cache.usedBytes() <= cache.maximumBytes());
        CacheStats stats = cache.stats();
        long keyTableBytes = allocator.liveBytes() - stats.usedBytes() - stats.leasedDetachedBytes();
        long slots = keyTableBytes / 16;
        assertTrue(keyTableBytes == 0 || keyTableBytes % 16 == 0 && slots >= KeyTable.INITIAL_CAPACITY
                && Long.bitCount(slots) == 1, () -> keyTableBytes + " native bytes unaccounted for");
    }

    /** One thread's seeded run; it owns its anonymous Keys and its held leases. */
    private final class Worker extends Thread {
        private final SplittableRandom random;
        private final long operations;
        private final CyclicBarrier checkpoint;
        private final AtomicReference<Throwable> failure;
        /** This thread's anonymous Keys and the pixmap id each names; never dropped while valid. */
        private final Map<PixmapCache.Key, Integer> anonymous = new LinkedHashMap<>();
        private final HeldLeases held;
        private long done;
        private long allocationFailures;

        Worker(int index, long operations, CyclicBarrier checkpoint, AtomicReference<Throwable> failure) {
            super("soak-" + index);
            this.random = new SplittableRandom(SEED + index);
            this.held = new HeldLeases(random, (pixmap, key) -> assertOwnPixels(key, pixmap));
            this.operations = operations;
            this.checkpoint = checkpoint;
            this.failure = failure;
        }

        @Override
        public void run() {
            try {
                for (done = 0; done < operations; done++) {
                    step();
                    if ((done + 1) % CHECKPOINT_EVERY == 0) {
                        checkpoint.await();
                    }
                }
            } catch (BrokenBarrierException e) {
                // another thread failed and broke the barrier; its failure is the one to report
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                checkpoint.reset();
            } finally {
                held.closeAll();
            }
        }

        private void step() {
            int key = random.nextInt(KEYS);
            int id = key * VARIANTS + random.nextInt(VARIANTS);
            int dice = random.nextInt(1000);
            try {
                if (dice < 250) {
                    find(key);
                } else if (dice < 400) {
                    assertTrue(cache.insert(key, sources[id]));
                } else if (dice < 500) {
                    computeIfAbsent(key, id);
                } else if (dice < 580) {
                    cache.remove(key);
                } else if (dice < 680) {
                    findAnonymous();
                } else if (dice < 760) {
                    insertAnonymous(id);
                } else if (dice < 810) {
                    replaceAnonymous(id);
                } else if (dice < 850) {
                    removeAnonymous();
                } else if (dice < 880) {
                    share(key);
                } else if (dice < 930) {
                    held.releaseOldest();
                } else if (dice < 990) {
                    readCounters();
                } else if (dice < 998) {
                    setMaximumBytes(cache, BUDGET / 2 + random.nextLong(BUDGET));
                } else {
                    cache.clear();
                }
            } catch (PixmapAllocationException e) {
                allocationFailures++;
            } catch (LoaderFailure expected) {
                // the loader's own exception reached its caller, as documented
            }
        }

        private void find(int key) {
            PixmapLease lease = cache.find(key);
            if (lease != null) {
                assertOwnPixels(key, lease.pixmap());
                held.keepOrClose(key, lease);
            }
        }

        /** Renders into cache memory, returns a foreign pixmap, or fails, as real loaders do. */
        private void computeIfAbsent(int key, int id) {
            int how = random.nextInt(10);
            PixmapLease lease = cache.computeIfAbsent(key, (k, pixmaps) -> switch (how) {
                case 0 -> throw new LoaderFailure(k);
                case 1, 2 -> sources[id];
                default -> {
                    if (how == 3) {
                        pixmaps.allocate(8, 8, PixelFormat.GRAY_8);  // scratch, freed when the load ends
                    }
                    Pixmap pixmap = pixmaps.allocate(sources[id].width(), sources[id].height(), PixelFormat.RGBA_8888);
                    MemorySegment.copy(sources[id].segment(), 0, pixmap.segment(), 0, pixmap.byteSize());
                    yield pixmap;
                }
            });
            assertOwnPixels(key, lease.pixmap());
            held.keepOrClose(key, lease);
        }

        private void findAnonymous() {
            if (anonymous.isEmpty()) {
                return;
            }
            Map.Entry<PixmapCache.Key, Integer> entry = anonymousAt(random.nextInt(anonymous.size()));
            try (PixmapLease lease = cache.find(entry.getKey())) {
                if (lease == null) {
                    assertFalse(entry.getKey().isValid());
                    anonymous.remove(entry.getKey());  // evicted or cleared: nothing left to track
                } else {
                    assertEquals(entry.getValue(), idOf(lease.pixmap()), "the pixmap a Key names");
                    assertTrue(lease.pixmap().contentEquals(sources[entry.getValue()]));
                }
            }
        }

        private void insertAnonymous(int id) {
            if (anonymous.size() >= ANONYMOUS_PER_THREAD) {
                removeAnonymous();
            }
            PixmapCache.Key key = cache.insert(sources[id]);
            anonymous.put(key, id);
        }

        private void replaceAnonymous(int id) {
            if (anonymous.isEmpty()) {
                return;
            }
            PixmapCache.Key key = anonymousAt(random.nextInt(anonymous.size())).getKey();
            if (cache.replace(key, sources[id])) {
                anonymous.put(key, id);
            } else {
                assertFalse(key.isValid());
                anonymous.remove(key);
            }
        }

        /** Removes the oldest Key: after this no worker knows it, so it must not stay in the cache. */
        private void removeAnonymous() {
            if (anonymous.isEmpty()) {
                return;
            }
            PixmapCache.Key key = anonymous.keySet().iterator().next();
            cache.remove(key);
            assertFalse(key.isValid());
            assertNull(cache.find(key));
            anonymous.remove(key);
        }

        private void share(int key) {
            try (PixmapLease lease = cache.find(key)) {
                if (lease != null) {
                    try (PixmapLease shared = lease.share()) {
                        assertOwnPixels(key, shared.pixmap());
                    }
                }
            }
        }


        private void readCounters() {
            CacheStats stats = cache.stats();
            assertTrue(stats.usedBytes() >= 0 && stats.entries() >= 0 && stats.leasedDetachedBytes() >= 0, stats::toString);
            assertWithinBudget(cache);
        }

        private Map.Entry<PixmapCache.Key, Integer> anonymousAt(int index) {
            var entries = anonymous.entrySet().iterator();
            for (int i = 0; i < index; i++) {
                entries.next();
            }
            return entries.next();
        }
    }

    /** One thread of the hostile run, on keys of every kind; key number k's pixmaps are sources k * VARIANTS + v. */
    private final class HostileWorker extends Thread {
        private final SplittableRandom random;
        private final long operations;
        private final PixmapCache<Object> cache;
        private final Object[] keys;
        private final AtomicReference<Throwable> failure;
        private final HeldLeases held;
        private long done;

        HostileWorker(int index, long operations, PixmapCache<Object> cache, Object[] keys,
                AtomicReference<Throwable> failure) {
            super("hostile-soak-" + index);
            this.random = new SplittableRandom(SEED ^ 0xBAD_C0DEL + index);
            this.held = new HeldLeases(random, (pixmap, key) -> assertLeased(key, pixmap));
            this.operations = operations;
            this.cache = cache;
            this.keys = keys;
            this.failure = failure;
        }

        @Override
        public void run() {
            try {
                for (done = 0; done < operations && failure.get() == null; done++) {
                    step();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                held.closeAll();
            }
        }

        private void step() throws Exception {
            int key = random.nextInt(keys.length);
            int id = key * VARIANTS + random.nextInt(VARIANTS);
            int dice = random.nextInt(1000);
            try {
                if (dice < 250) {
                    PixmapLease lease = cache.find(keys[key]);
                    if (lease != null) {
                        keepOrClose(key, lease);
                    }
                } else if (dice < 450) {
                    cache.insert(keys[key], sources[id]);
                } else if (dice < 700) {
                    computeIfAbsent(key, id);
                } else if (dice < 800) {
                    cache.remove(keys[key]);
                } else if (dice < 880) {
                    breakAKey();
                } else if (dice < 930) {
                    held.releaseOldest();
                } else if (dice < 990) {
                    assertWithinBudget(cache);
                } else if (dice < 998) {
                    setMaximumBytes(cache, BUDGET / 2 + random.nextLong(BUDGET));
                } else {
                    cache.clear();
                }
            } catch (PixmapAllocationException | LoaderFailure | BrokenKey.Refused expected) {
                // documented: no memory, the loader's own failure, a key whose hashCode threw
            } catch (IOException expected) {
                // the loader's own checked exception, unwrapped
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains("changed during its load")) {
                    throw e;
                }
            }
        }

        private void computeIfAbsent(int key, int id) throws IOException {
            int how = random.nextInt(10);
            PixmapLease lease = cache.computeIfAbsent(keys[key], (k, pixmaps) -> switch (how) {
                case 0 -> throw new LoaderFailure(key);
                case 1 -> throw sneaky(new IOException("the loader failed on purpose for key " + key));
                case 2 -> {
                    Pixmap uncacheable = pixmaps.allocate(UNCACHEABLE_WIDTH, UNCACHEABLE_HEIGHT, PixelFormat.RGBA_8888);
                    uncacheable.segment().set(JAVA_INT_UNALIGNED, 0, id);
                    yield uncacheable;
                }
                case 3 -> sources[id];
                default -> {
                    Pixmap pixmap = pixmaps.allocate(sources[id].width(), sources[id].height(), PixelFormat.RGBA_8888);
                    MemorySegment.copy(sources[id].segment(), 0, pixmap.segment(), 0, pixmap.byteSize());
                    yield pixmap;
                }
            });
            keepOrClose(key, lease);
        }

        /** Makes a broken key throw, stop throwing, or change its hash while it may be cached. */
        private void breakAKey() {
            var key = (BrokenKey) keys[KEYS + OWN_KEYS + FOREIGN_KEYS + random.nextInt(BROKEN_KEYS)];
            switch (random.nextInt(3)) {
                case 0 -> key.setThrowing(!key.isThrowing());
                case 1 -> key.setHash(random.nextInt(4));
                default -> key.setHash(key.hashCodeWhenUnbroken());
            }
        }

        private void keepOrClose(int key, PixmapLease lease) {
            assertLeased(key, lease.pixmap());
            held.keepOrClose(key, lease);
        }

        /** A leased pixmap is key's: one of its sources, or an uncacheable result stamped with its id. */
        private void assertLeased(int key, Pixmap pixmap) {
            if (pixmap.width() == UNCACHEABLE_WIDTH && pixmap.height() == UNCACHEABLE_HEIGHT) {
                assertEquals(key, idOf(pixmap) / VARIANTS, "an uncacheable result under another key");
            } else {
                assertOwnPixels(key, pixmap);
            }
        }
    }

    /** Throws a checked exception from code that declares none, as a Kotlin loader would. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable checked) throws T {
        throw (T) checked;
    }

    /** Changes the budget while no thread compares against it. */
    private void setMaximumBytes(PixmapCache<?> cache, long bytes) {
        budgetChange.writeLock().lock();
        try {
            cache.setMaximumBytes(bytes);
        } finally {
            budgetChange.writeLock().unlock();
        }
    }

    /** usedBytes() and stats() wait for the operation in progress: with the budget held still, never above it by a byte. */
    private void assertWithinBudget(PixmapCache<?> cache) {
        budgetChange.readLock().lock();
        try {
            long maximum = cache.maximumBytes();
            long used = cache.usedBytes();
            CacheStats stats = cache.stats();
            assertTrue(used <= maximum, () -> "usedBytes " + used + " above maximumBytes " + maximum);
            assertTrue(stats.usedBytes() <= maximum, () -> stats + " above maximumBytes " + maximum);
        } finally {
            budgetChange.readLock().unlock();
        }
    }

    /**
     * A thread's leases kept open a while (up to {@value #HELD_PER_THREAD}, one in 8 offered), each
     * checked again when released: a held lease still reads its own pixels, whatever happened to
     * its entry meanwhile.
     */
    private static final class HeldLeases {
        private record Held(int key, PixmapLease lease) {}

        private final Deque<Held> held = new ArrayDeque<>();
        private final SplittableRandom random;
        private final ObjIntConsumer<Pixmap> check;

        /** {@code check} asserts that a pixmap is what the key given with it should read. */
        HeldLeases(SplittableRandom random, ObjIntConsumer<Pixmap> check) {
            this.random = random;
            this.check = check;
        }

        void keepOrClose(int key, PixmapLease lease) {
            if (held.size() < HELD_PER_THREAD && random.nextInt(8) == 0) {
                held.push(new Held(key, lease));
            } else {
                lease.close();
            }
        }

        /** Checks and closes the oldest held lease, if any. */
        void releaseOldest() {
            if (!held.isEmpty()) {
                Held oldest = held.removeLast();
                check.accept(oldest.lease.pixmap(), oldest.key);
                oldest.lease.close();
            }
        }

        void closeAll() {
            while (!held.isEmpty()) {
                held.pop().lease.close();
            }
        }
    }

    /** The documented way a loader fails: its own exception, passed to the caller unchanged. */
    private static final class LoaderFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoaderFailure(int key) {
            super("the loader failed on purpose for key " + key, null, false, false);
        }
    }

    /** Checks that {@code pixmap} is one of {@code key}'s sources, byte for byte; its size. */
    private long assertOwnPixels(int key, Pixmap pixmap) {
        int id = idOf(pixmap);
        assertTrue(id >= 0 && id < sources.length && id / VARIANTS == key,
                () -> "key " + key + " holds pixmap #" + id + ", which belongs to another key");
        assertTrue(pixmap.contentEquals(sources[id]), () -> "pixmap #" + id + " under key " + key + " is corrupt");
        return pixmap.byteSize();
    }

    private static int idOf(Pixmap pixmap) {
        return pixmap.segment().get(JAVA_INT_UNALIGNED, 0);
    }

    /** An RGBA pixmap whose first int is {@code id} and whose other bytes follow from it. */
    private Pixmap source(int id) {
        int key = id / VARIANTS;
        int variant = id % VARIANTS;
        Pixmap pixmap = TestPixmaps.patterned(arena, 4 + (key * 7 + variant * 3) % 13, 2 + variant, id);
        pixmap.segment().set(JAVA_INT_UNALIGNED, 0, id);
        return pixmap;
    }
}
