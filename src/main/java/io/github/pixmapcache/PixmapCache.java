package io.github.pixmapcache;

import io.github.pixmapcache.internal.index.DeferredReleases;
import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.index.KeyTable;
import io.github.pixmapcache.internal.leak.LeakDetector;
import io.github.pixmapcache.internal.memory.NativeAllocator;
import io.github.pixmapcache.internal.memory.NativeMemory;
import io.github.pixmapcache.internal.policy.EvictionOrder;
import io.github.pixmapcache.internal.policy.LruOrder;
import io.github.pixmapcache.internal.policy.ReadBuffer;
import io.github.pixmapcache.internal.policy.WindowTinyLfuOrder;
import io.github.pixmapcache.internal.stats.StatsCounter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A thread-safe cache of pixmaps in native memory, with the semantics of Qt's
 * {@code QPixmapCache}: pixmaps under user keys or under generated {@link Key}s and a byte budget.
 * Which pixmaps make room is the {@link EvictionPolicy}'s choice: Qt's least recently used first
 * ({@link EvictionPolicy#LRU}), or by default a size- and frequency-aware adaptive Window-TinyLFU
 * ({@link EvictionPolicy#WINDOW_TINY_LFU}) that decides admission in the eviction order itself.
 *
 * <h2>Design</h2>
 *
 * <p><b>Entries.</b> Each pixmap is one block from the {@link NativeAllocator} (the single seam for
 * native memory), owned by an {@link Entry}. An entry is <em>cached</em> (findable, charged
 * against the budget, one reference held by the cache), then <em>detached</em> (evicted, removed,
 * replaced, cleared or closed: no longer findable or charged, alive while leases pin it), then
 * <em>freed</em> (its last reference dropped). The reference count is one atomic word in which 0
 * means freed, so a pin can never revive a freed entry.
 *
 * <p><b>Leases.</b> A find pins the entry and hands out a read-only view of its memory scoped to
 * the lease's own arena: confined by default (cheap to close), shared on request. Closing a lease
 * closes that arena first and unpins second, so the FFM runtime rejects every later access through
 * the view, its slices and its buffers, whatever happens to the memory afterwards. The backing
 * memory itself never leaves the cache. A lease dropped without close() is found by the
 * {@link LeakDetector} once its view's scope is unreachable (sampled by default): it is reported
 * and its pin released.
 *
 * <p><b>Locking.</b> One lock guards every change: the key index and the key table, the eviction
 * order, {@code usedBytes}, {@code size}, {@code maximumBytes} and {@code closed}; {@code size()} and
 * {@code usedBytes()} read under it, so that they never see a change half counted. Finds take no
 * lock: the index is a {@link ConcurrentHashMap}, the key table is read through a published
 * snapshot, and accesses are recorded in a {@link ReadBuffer} that the lock holder drains before
 * it evicts, and before it unlocks after taking entries out (so that no ring keeps a key or entry
 * the cache let go). Pixels are allocated and copied before the lock is taken; detached entries
 * are released, and retired key tables disposed, after it is released ({@link DeferredReleases}).
 * The only user code under it is the key's hashCode and equals inside the index; whatever they do
 * (throw, or change), the budget and the books hold: the key may be lost, a stale mapping left
 * behind is a miss, and {@code clear()} drops it.
 *
 * <p><b>Races we accept.</b> A find that overlaps a removal, eviction, replacement or clear of its
 * entry may still return a lease on the old pixmap: the find is ordered before the change, and the
 * lease reads intact pixels. Under contention a recorded read can be dropped, which only blurs
 * recency; single-threaded use sees exact LRU order. Operations on one key are atomic to finds;
 * those that take several pixmaps out ({@code clear()}, {@code close()}, an eviction of more than
 * one) are not: like {@code ConcurrentHashMap.clear()}, they remove one pixmap after another, so a
 * thread that finds during them may miss one pixmap and then hit another that is about to go.
 *
 * @param <K> the type of user keys; they must be immutable, with consistent equals and hashCode
 */
public final class PixmapCache<K> implements AutoCloseable {
    /** QPixmapCache's default limit: 10 MiB. */
    public static final long DEFAULT_MAXIMUM_BYTES = 10L << 20;

    private final NativeAllocator allocator;
    private final ConcurrentHashMap<K, Entry> keyedEntries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<K, Load> loads = new ConcurrentHashMap<>();
    private final KeyTable keyTable;
    private final ReadBuffer<Entry> reads = new ReadBuffer<>();
    private final StatsCounter stats = new StatsCounter();
    private final LeakDetector leakDetector = LeakDetector.fromSystemProperty();
    private final ReentrantLock lock = new ReentrantLock();
    /** Applies one drained read to the eviction order; under the lock. */
    private final Consumer<Entry> applyRead;

    // Guarded by lock. Volatile for stats() and toString(), which read them without it; size()
    // and usedBytes() take the lock, so that they never see an operation half done.
    private final EvictionOrder<Entry> evictionOrder;
    private volatile long maximumBytes;
    private volatile long usedBytes;
    private volatile int size;
    private volatile boolean closed;

    private PixmapCache(Builder<K> builder) {
        this.allocator = builder.allocator;
        this.maximumBytes = builder.maximumBytes;
        this.keyTable = new KeyTable(allocator);
        this.evictionOrder = switch (builder.evictionPolicy) {
            case LRU -> new LruOrder<>();
            case WINDOW_TINY_LFU -> new WindowTinyLfuOrder<>(builder.maximumBytes);
        };
        this.applyRead = entry -> {
            if (entry.isCached()) {
                evictionOrder.recordAccess(entry);
            }
        };
    }

    /**
     * A builder with QPixmapCache's budget, 10 MiB, and the {@link EvictionPolicy#WINDOW_TINY_LFU}
     * policy; {@link EvictionPolicy#LRU} gives QPixmapCache's exact eviction order.
     */
    public static <K> Builder<K> builder() {
        return new Builder<>();
    }

    // ------------------------------------------------------------------ inserting

    /**
     * Copies {@code pixmap} into the cache under {@code key}, replacing any pixmap already there,
     * and evicts pixmaps in the policy's order until the budget holds.
     *
     * @return false, leaving the cache unchanged, if the pixmap is larger than {@link #maximumBytes()}
     * @throws PixmapAllocationException if native memory could not be had; the cache is unchanged
     * @throws IllegalStateException if the cache is closed or {@code pixmap}'s memory is released
     */
    public boolean insert(K key, Pixmap pixmap) {
        Require.notNull("key", key);
        Require.notNull("pixmap", pixmap);
        ensureOpen();
        if (rejectIfTooLarge(pixmap.byteSize())) {
            return false;
        }
        Entry entry = copyOf(key, Entry.KEYED, pixmap);
        DeferredReleases releases = new DeferredReleases();
        lock.lock();
        try {
            if (!publishable(entry, releases)) {
                return false;
            }
            Entry previous = indexed(key, entry, releases);
            if (previous != null && previous.isCached()) {  // else already detached: its mapping was stale
                detach(previous, releases);
            }
            admit(entry, releases);
        } finally {
            unlockAndCarryOut(releases);
        }
        return true;
    }

    /**
     * Copies {@code pixmap} into the cache under a new {@link Key}.
     *
     * @return the key; it is invalid from the start if the pixmap is larger than
     *     {@link #maximumBytes()}
     * @throws PixmapAllocationException if native memory, or room in the key table (at most
     *     {@link KeyTable#MAXIMUM_CAPACITY} keys), could not be had; the cache is unchanged
     * @throws IllegalStateException if the cache is closed or {@code pixmap}'s memory is released
     */
    public Key insert(Pixmap pixmap) {
        Require.notNull("pixmap", pixmap);
        ensureOpen();
        if (rejectIfTooLarge(pixmap.byteSize())) {
            return new Key(this, -1, 0);
        }
        Entry pixels = copyOf(null, Entry.KEYED, pixmap);
        DeferredReleases releases = new DeferredReleases();
        lock.lock();
        try {
            if (!publishable(pixels, releases)) {
                return new Key(this, -1, 0);
            }
            int slot;
            try {
                slot = keyTable.claim(releases);
            } catch (PixmapAllocationException e) {
                stats.recordAllocationFailure();
                releases.detach(pixels);
                throw e;
            }
            Entry entry = rekeyed(pixels, new Key(this, slot, keyTable.generation(slot)), slot);
            keyTable.bind(slot, entry);
            admit(entry, releases);
            return (Key) entry.key();
        } finally {
            unlockAndCarryOut(releases);
        }
    }

    /**
     * Puts a copy of {@code pixmap} in place of the pixmap {@code key} names; afterwards the same
     * Key object names the new pixmap.
     *
     * @return false, leaving the cache unchanged, if the key is invalid or the pixmap is larger
     *     than {@link #maximumBytes()}
     * @throws IllegalArgumentException if {@code key} belongs to another cache
     * @throws PixmapAllocationException if native memory could not be had; the cache is unchanged
     * @throws IllegalStateException if the cache is closed or {@code pixmap}'s memory is released
     */
    public boolean replace(Key key, Pixmap pixmap) {
        requireOwn(key);
        Require.notNull("pixmap", pixmap);
        ensureOpen();
        if (entryOf(key) == null || rejectIfTooLarge(pixmap.byteSize())) {
            return false;
        }
        Entry entry = copyOf(key, key.slot, pixmap);
        DeferredReleases releases = new DeferredReleases();
        lock.lock();
        try {
            Entry previous = entryOf(key);
            if (previous == null) {
                releases.detach(entry);
                return false;
            }
            if (!publishable(entry, releases)) {
                return false;
            }
            keyTable.bind(key.slot, entry);
            detach(previous, releases);
            admit(entry, releases);
            return true;
        } finally {
            unlockAndCarryOut(releases);
        }
    }

    // ------------------------------------------------------------------ finding

    /**
     * The pixmap under {@code key}, pinned by a confined lease, or null on a miss. A hit makes the
     * pixmap the most recently used.
     *
     * @throws IllegalStateException if the cache is closed
     */
    public PixmapLease find(K key) {
        Entry hit = pinnedHit(key);
        return hit == null ? null : Lease.confined(this, hit);
    }

    /**
     * The pixmap {@code key} names, pinned by a confined lease, or null if the key is invalid
     * (never valid, evicted, removed or cleared).
     *
     * @throws IllegalArgumentException if {@code key} belongs to another cache
     * @throws IllegalStateException if the cache is closed
     */
    public PixmapLease find(Key key) {
        Entry hit = pinnedHit(key);
        return hit == null ? null : Lease.confined(this, hit);
    }

    /**
     * The pixmap under {@code key}, loading it on a miss. Exactly one caller runs the loader for a
     * key at a time; concurrent callers for that key wait for its result. The loader renders into
     * memory from its {@link PixmapAllocator}, which the cache then owns without a copy; a pixmap
     * from elsewhere is copied. A result larger than the budget is returned but not cached. If a
     * pixmap was inserted under the key while the loader ran, that one is kept and returned.
     *
     * @throws RuntimeException whatever the loader threw (a checked exception too, unwrapped), to
     *     the caller and to every waiter; nothing is cached and the memory the loader took is freed
     * @throws NullPointerException if the loader returned null
     * @throws IllegalStateException if the cache is closed, or the loader calls back for its own key
     */
    public PixmapLease computeIfAbsent(K key, PixmapLoader<? super K> loader) {
        Require.notNull("key", key);
        Require.notNull("loader", loader);
        ensureOpen();
        Entry found = pinned(key);
        if (found != null) {
            return Lease.confined(this, recordHit(found));
        }
        stats.recordMiss();
        Load ended = null;
        while (true) {
            Load mine = new Load();
            Load running = loads.putIfAbsent(key, mine);
            if (running == null) {
                return load(key, loader, mine);
            }
            if (running.enter()) {
                try {
                    Entry loaded = running.await();
                    loaded.pin();  // the load's own reference keeps it alive while any holder is in
                    return readLease(loaded);
                } finally {
                    leave(running);
                }
            }
            // The load ended before we joined it: take it out if its loader has not yet, and start over.
            if (running == ended) {
                throw new IllegalStateException("the hashCode or equals of key " + key + " changed during its load");
            }
            loads.remove(key, running);
            ended = running;
        }
    }

    // ------------------------------------------------------------------ removing

    /** Removes the pixmap under {@code key}; leases on it stay readable. */
    public boolean remove(K key) {
        Require.notNull("key", key);
        DeferredReleases releases = new DeferredReleases();
        lock.lock();
        try {
            ensureOpen();
            Entry entry = keyedEntries.remove(key);
            if (entry == null || !entry.isCached()) {  // a stale mapping is dropped, not detached again
                return false;
            }
            detach(entry, releases);
            return true;
        } finally {
            unlockAndCarryOut(releases);
        }
    }

    /**
     * Removes the pixmap {@code key} names and invalidates the key; leases on it stay readable.
     *
     * @throws IllegalArgumentException if {@code key} belongs to another cache
     */
    public boolean remove(Key key) {
        requireOwn(key);
        DeferredReleases releases = new DeferredReleases();
        lock.lock();
        try {
            ensureOpen();
            Entry entry = entryOf(key);
            if (entry == null) {
                return false;
            }
            keyTable.release(key.slot);
            detach(entry, releases);
            return true;
        } finally {
            unlockAndCarryOut(releases);
        }
    }

    /** Removes every pixmap; every Key becomes invalid. Leases stay readable. */
    public void clear() {
        DeferredReleases releases = new DeferredReleases();
        lock.lock();
        try {
            ensureOpen();
            detachAll(releases);
        } finally {
            unlockAndCarryOut(releases);
        }
    }

    // ------------------------------------------------------------------ budget and state

    /** The byte budget. */
    public long maximumBytes() {
        ensureOpen();
        return maximumBytes;
    }

    /**
     * Sets the byte budget, evicting pixmaps in the policy's order at once until it holds.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public void setMaximumBytes(long bytes) {
        Require.notNegative("maximumBytes", bytes);
        DeferredReleases releases = new DeferredReleases();
        lock.lock();
        try {
            ensureOpen();
            maximumBytes = bytes;
            evictionOrder.setMaximumWeight(bytes);
            evictToBudget(releases);
        } finally {
            unlockAndCarryOut(releases);
        }
    }

    /** The sum of {@link Pixmap#byteSize()} over the pixmaps in the cache; never above the budget. */
    public long usedBytes() {
        lock.lock();  // an operation in progress may have counted only part of its change
        try {
            ensureOpen();
            return usedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** The number of pixmaps in the cache. */
    public int size() {
        lock.lock();  // an operation in progress may have counted only part of its change
        try {
            ensureOpen();
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of the counters; entries and usedBytes are from one moment, between operations. */
    public CacheStats stats() {
        lock.lock();
        try {
            ensureOpen();
            return stats.snapshot(size, usedBytes);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the cache: every later call throws {@link IllegalStateException}, memory not leased
     * is freed now, and leased memory when its lease closes. Closing again does nothing.
     */
    @Override
    public void close() {
        DeferredReleases releases = new DeferredReleases();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            detachAll(releases);
            drainReads();  // nulls every slot of the read buffer, which may outlive the cache a long time
            keyTable.close(releases);
        } finally {
            unlockAndCarryOut(releases);
        }
    }

    @Override
    public String toString() {
        return "PixmapCache[" + size + " pixmaps, " + usedBytes + " of " + maximumBytes + " bytes"
                + (closed ? ", closed" : "") + "]";
    }

    // ------------------------------------------------------------------ internals

    /** Drops one reference; the last one frees the memory. */
    void unpin(Entry entry) {
        if (entry.unpin()) {
            allocator.free(entry.address(), entry.byteSize());
            stats.recordFreed(entry.byteSize());
        }
    }

    /** Watches this cache's leases for ones dropped without close(). */
    LeakDetector leakDetector() {
        return leakDetector;
    }

    /** Returns a block that never became an entry. */
    void free(long address, long byteSize) {
        allocator.free(address, byteSize);
    }

    /** Takes a block, counting a failure in the stats. */
    long allocate(long byteSize) {
        try {
            return allocator.allocate(byteSize);
        } catch (PixmapAllocationException e) {
            stats.recordAllocationFailure();
            throw e;
        }
    }

    /** A new, unpublished entry holding a copy of {@code pixmap}; {@code slot} as in {@link Entry}. */
    Entry copyOf(Object key, int slot, Pixmap pixmap) {
        if (!pixmap.segment().scope().isAlive()) {
            throw new IllegalStateException("the memory of " + pixmap + " is already released");
        }
        long bytes = pixmap.byteSize();
        long address = allocate(bytes);
        try {
            NativeMemory.copy(pixmap.segment(), address);  // fails if released meanwhile, or confined elsewhere
            return new Entry(key, slot, address, (int) bytes, pixmap.width(), pixmap.height(), pixmap.format());
        } catch (OutOfMemoryError e) {
            allocator.free(address, bytes);
            throw heapExhausted(bytes, e);
        } catch (RuntimeException | Error e) {  // the key's hashCode too
            allocator.free(address, bytes);
            throw e;
        }
    }

    /** The entry under {@code key}, pinned, or null; lock-free. */
    private Entry pinned(K key) {
        Entry unpinnable = null;
        while (true) {
            Entry entry = keyedEntries.get(key);
            if (entry == null || entry == unpinnable) {
                return null;  // still indexed though freed: a stale mapping, which is a miss
            }
            if (entry.tryPin()) {
                return entry;
            }
            unpinnable = entry;  // freed under us, so normally out of the index by now: look again
        }
    }

    /*
     * The find path is split so that find itself compiles small: C2 inlines it into the caller, and
     * escape analysis can then scalar-replace the lease, its arena and views when the caller's
     * try-with-resources keeps them local (a find compiled into a big method is not inlined, and
     * every find would allocate ~180 bytes). Keep find, hit and the lease constructor small.
     */

    /** The entry under {@code key}, pinned and counted as a hit, or null, counted as a miss. */
    private Entry pinnedHit(K key) {
        Require.notNull("key", key);
        ensureOpen();
        Entry entry = pinned(key);
        return entry == null ? recordMiss() : recordHit(entry);
    }

    /** The entry {@code key} names, pinned and counted as a hit, or null, counted as a miss. */
    private Entry pinnedHit(Key key) {
        requireOwn(key);
        ensureOpen();
        Entry unpinnable = null;
        while (true) {
            Entry entry = entryOf(key);
            if (entry == null || entry == unpinnable) {
                return recordMiss();
            }
            if (entry.tryPin()) {
                return recordHit(entry);
            }
            unpinnable = entry;  // freed under us, so its slot is released by now: look again
        }
    }

    private Entry recordHit(Entry pinned) {
        stats.recordHit();
        recordRead(pinned);
        return pinned;
    }

    private Entry recordMiss() {
        stats.recordMiss();
        return null;
    }

    /** A lease on a pinned entry that another caller loaded: a read, though not counted as a hit. */
    private PixmapLease readLease(Entry pinned) {
        recordRead(pinned);
        return Lease.confined(this, pinned);
    }

    private void recordRead(Entry entry) {
        if (!reads.offer(entry)) {
            drainThenApply(entry);
        }
    }

    /** This thread's ring is full: drain it unless another thread is already doing so. */
    private void drainThenApply(Entry entry) {
        if (lock.tryLock()) {
            try {
                reads.drainTo(applyRead);
                applyRead.accept(entry);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Runs the load {@code load} stands for and completes it, for the caller and every waiter, with
     * the result (whether cached or not) or with whatever the loader threw, checked exceptions
     * included.
     */
    private PixmapLease load(K key, PixmapLoader<? super K> loader, Load load) {
        try {
            Entry published = pinned(key);  // a load that finished since our miss
            boolean loadedHere = published == null;
            if (loadedHere) {
                published = publishLoaded(key, loaded(key, loader));  // pinned for the caller
            }
            published.pin();  // the load's own reference, so that waiters get it even if uncacheable
            load.complete(published);
            return loadedHere ? Lease.confined(this, published) : readLease(published);
        } catch (Throwable e) {
            load.completeExceptionally(e);
            throw e;
        } finally {
            try {
                loads.remove(key, load);
            } catch (RuntimeException | Error brokenKey) {
                // The ended load stays mapped; a later caller takes it out or names the broken key.
            }
            leave(load);
        }
    }

    /** Runs the loader and returns its result as an unpublished entry; its other pixmaps are freed. */
    private Entry loaded(K key, PixmapLoader<? super K> loader) {
        try (LoadAllocator pixmaps = new LoadAllocator(this, key)) {
            Pixmap result = loader.load(key, pixmaps);
            if (result == null) {
                throw new NullPointerException("the loader returned null for key " + key);
            }
            return pixmaps.adopt(result);
        }
    }

    /** One holder of {@code load} is done with it; the last one drops the load's own reference. */
    private void leave(Load load) {
        if (load.leave() && load.state() == Future.State.SUCCESS) {
            unpin(load.resultNow());
        }
    }

    /**
     * Caches a loaded entry unless a pixmap arrived under its key meanwhile, and returns whichever
     * stays, pinned for the caller. A result too large for the budget is returned uncached.
     */
    private Entry publishLoaded(K key, Entry loaded) {
        DeferredReleases releases = new DeferredReleases();
        lock.lock();
        try {
            if (closed) {
                releases.detach(loaded);
                throw closedException();
            }
            Entry present = indexedUnder(key, loaded, releases);
            if (present != null && present.isCached()) {  // else a stale mapping, replaced below
                present.pin();  // cached, so the cache's reference keeps it alive
                releases.detach(loaded);
                return present;
            }
            if (loaded.byteSize() > maximumBytes) {
                stats.recordRejection();
                stats.recordDetached(loaded.byteSize());  // the caller's lease is the only reference
                return loaded;
            }
            loaded.tryPin();  // one reference for the cache, one for the caller
            drainReads();
            indexed(key, loaded, releases);  // replaces a stale mapping, if any
            admit(loaded, releases);
            return loaded;
        } finally {
            unlockAndCarryOut(releases);
        }
    }

    /** Under the lock: false, with the entry queued for freeing, if it may not enter the cache. */
    private boolean publishable(Entry entry, DeferredReleases releases) {
        if (closed || entry.byteSize() > maximumBytes) {
            releases.detach(entry);
            if (closed) {
                throw closedException();
            }
            stats.recordRejection();  // the budget shrank while we copied
            return false;
        }
        drainReads();
        return true;
    }

    /** Under the lock: adds a new entry to the budget and the order, then evicts to the budget. */
    private void admit(Entry entry, DeferredReleases releases) {
        entry.setCached(true);
        evictionOrder.add(entry);
        usedBytes += entry.byteSize();
        size++;
        stats.recordInsertion();
        evictToBudget(releases);
    }

    private void evictToBudget(DeferredReleases releases) {
        drainReads();
        while (usedBytes > maximumBytes) {
            Entry victim = evictionOrder.victim();
            removeFromIndex(victim);
            detach(victim, releases);
            stats.recordEviction();
        }
    }

    private void detachAll(DeferredReleases releases) {
        for (Entry entry = evictionOrder.victim(); entry != null; entry = evictionOrder.victim()) {
            removeFromIndex(entry);
            detach(entry, releases);
        }
        keyedEntries.clear();  // also the stale mappings of keys whose hash changed; runs no user code
    }

    /**
     * Takes an entry out of its index. A user key whose hashCode or equals throws, or whose hash
     * changed, leaves a stale mapping behind: finds treat it as a miss, and the next insert under
     * the key, or clear(), replaces or drops it. The books never depend on the user's code.
     */
    private void removeFromIndex(Entry entry) {
        if (entry.isAnonymous()) {
            keyTable.release(entry.slot());
            return;
        }
        try {
            keyedEntries.remove(entry.key(), entry);
        } catch (RuntimeException | Error brokenKey) {
            // The entry leaves the cache all the same; only its stale mapping may stay.
        }
    }

    /** Under the lock: maps {@code key} to an unpublished entry; if the key's code throws, frees the entry. */
    private Entry indexed(K key, Entry entry, DeferredReleases releases) {
        try {
            return keyedEntries.put(key, entry);
        } catch (RuntimeException | Error e) {
            releases.detach(entry);
            throw e;
        }
    }

    /** Under the lock: the entry mapped to {@code key}; if the key's code throws, frees {@code unpublished}. */
    private Entry indexedUnder(K key, Entry unpublished, DeferredReleases releases) {
        try {
            return keyedEntries.get(key);
        } catch (RuntimeException | Error e) {
            releases.detach(unpublished);
            throw e;
        }
    }

    /** Under the lock: takes an entry, already out of the index, off the budget and the order. */
    private void detach(Entry entry, DeferredReleases releases) {
        entry.setCached(false);
        evictionOrder.remove(entry);
        usedBytes -= entry.byteSize();
        size--;
        releases.detach(entry);
    }

    /**
     * Ends a locked operation. Reads recorded of entries it detached are drained first, so that the
     * read buffer keeps no key or entry alive that the cache let go (a find racing the operation
     * may still record one, until the next drain).
     */
    private void unlockAndCarryOut(DeferredReleases releases) {
        try {
            if (!releases.detached().isEmpty()) {
                drainReads();
            }
        } finally {
            lock.unlock();
        }
        carryOut(releases);
    }

    /** After the lock: drops the cache's references and disposes retired tables. */
    private void carryOut(DeferredReleases releases) {
        for (Entry entry : releases.detached()) {
            stats.recordDetached(entry.byteSize());  // before unpinning: the free subtracts it
            unpin(entry);
        }
        releases.disposeRetiredTables();
    }

    private void drainReads() {
        reads.drainTo(applyRead);
    }

    private boolean rejectIfTooLarge(long bytes) {
        if (bytes > maximumBytes) {
            stats.recordRejection();
            return true;
        }
        return false;
    }

    /** The entry {@code key} names, or null; lock-free. */
    private Entry entryOf(Key key) {
        Entry entry = keyTable.find(key.slot, key.generation);
        // The slot may have been reused between the generation check and the read of its entry.
        return entry != null && entry.key() == key ? entry : null;
    }

    private static Entry rekeyed(Entry pixels, Key key, int slot) {
        return new Entry(key, slot, pixels.address(), pixels.byteSize(), pixels.width(), pixels.height(), pixels.format());
    }

    private void requireOwn(Key key) {
        Require.notNull("key", key);
        if (key.cache != this) {
            throw new IllegalArgumentException(key + " belongs to another cache, not to " + this);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw closedException();
        }
    }

    /** The Java heap gave out under an allocation that serves {@code bytes} of pixels. */
    static PixmapAllocationException heapExhausted(long bytes, OutOfMemoryError cause) {
        PixmapAllocationException e = new PixmapAllocationException(bytes, "the Java heap is exhausted");
        e.initCause(cause);
        return e;
    }

    private IllegalStateException closedException() {
        return new IllegalStateException("the cache is closed: " + this);
    }

    /**
     * A generated handle for an anonymous pixmap: a slot in the key table and the generation that
     * owned it when the key was made. Slots are reused, generations never, so a stale key cannot
     * name a newer pixmap.
     */
    public static final class Key {
        private final PixmapCache<?> cache;
        private final int slot;
        private final long generation;

        private Key(PixmapCache<?> cache, int slot, long generation) {
            this.cache = cache;
            this.slot = slot;
            this.generation = generation;
        }

        /** True while the pixmap this key names is in the cache (false once the cache is closed). */
        public boolean isValid() {
            return !cache.closed && cache.entryOf(this) != null;
        }

        @Override
        public String toString() {
            return "Key[slot " + slot + ", generation " + generation + "]";
        }
    }

    /**
     * A load in flight; waiters block on it for the loaded entry or the loader's exception. A
     * successful load holds one reference to its result until its last holder (the loading caller
     * and every waiter that joined) has left, so that each waiter can pin the result, cached or not.
     */
    private static final class Load extends CompletableFuture<Entry> {
        private final Thread loader = Thread.currentThread();
        /** The loading caller plus every waiter that joined and has not left; 0 once the load is over. */
        private final AtomicInteger holders = new AtomicInteger(1);

        /** Joins as a holder, unless the load is already over; a holder must {@link #leave()}. */
        boolean enter() {
            for (int seen = holders.get(); seen > 0; seen = holders.get()) {
                if (holders.compareAndSet(seen, seen + 1)) {
                    return true;
                }
            }
            return false;
        }

        /** True if this was the last holder: the load is over. */
        boolean leave() {
            return holders.decrementAndGet() == 0;
        }

        /** The loaded entry, or the loader's own exception, as the loading caller got it, rethrown. */
        Entry await() {
            if (loader == Thread.currentThread()) {
                throw new IllegalStateException("a loader must not load its own key: " + loader);
            }
            try {
                return join();
            } catch (CompletionException e) {
                throw Load.<RuntimeException>rethrow(e.getCause());
            }
        }

        /** Throws {@code failure}, checked or not, without wrapping it. */
        @SuppressWarnings("unchecked")
        private static <T extends Throwable> T rethrow(Throwable failure) throws T {
            throw (T) failure;
        }
    }

    /** Configures a {@link PixmapCache}. */
    public static final class Builder<K> {
        private long maximumBytes = DEFAULT_MAXIMUM_BYTES;
        private EvictionPolicy evictionPolicy = EvictionPolicy.WINDOW_TINY_LFU;
        private NativeAllocator allocator = NativeAllocator.system();

        private Builder() {}

        /**
         * The byte budget; default 10 MiB.
         *
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder<K> maximumBytes(long bytes) {
            Require.notNegative("maximumBytes", bytes);
            this.maximumBytes = bytes;
            return this;
        }

        /**
         * The eviction policy; default {@link EvictionPolicy#WINDOW_TINY_LFU}, which beats LRU on
         * scans, loops and one-off large pixmaps (see {@code bench/HITRATIO.md}). With it, an
         * insert may leave the new pixmap out at once when it is worth fewer hits per byte than
         * what it would displace: the insert still returns true (a valid Key), and the pixmap
         * counts as evicted.
         */
        public Builder<K> evictionPolicy(EvictionPolicy policy) {
            this.evictionPolicy = Require.notNull("policy", policy);
            return this;
        }

        /** Test seam: every native allocation the cache makes goes through {@code allocator}. */
        Builder<K> nativeAllocator(NativeAllocator allocator) {
            this.allocator = Require.notNull("allocator", allocator);
            return this;
        }

        /**
         * A new cache. Its leak detection level is read now from the system property
         * {@value LeakDetector#LEVEL_PROPERTY} ({@code off}, {@code sampled} or {@code all}).
         *
         * @throws IllegalArgumentException if that property names no level
         */
        public PixmapCache<K> build() {
            return new PixmapCache<>(this);
        }
    }
}
