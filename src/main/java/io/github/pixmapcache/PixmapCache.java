package io.github.pixmapcache;

import io.github.pixmapcache.internal.concurrent.ThreadState;
import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.index.KeyTable;
import io.github.pixmapcache.internal.jfr.CacheEvents;
import io.github.pixmapcache.internal.jfr.LoadEvent;
import io.github.pixmapcache.internal.leak.LeakDetector;
import io.github.pixmapcache.internal.memory.NativeAllocator;
import io.github.pixmapcache.internal.reclaim.Reclaimer;
import io.github.pixmapcache.internal.stats.StatsCounter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A thread-safe cache of pixmaps in native memory, with the semantics of Qt's
 * {@code QPixmapCache}: pixmaps under user keys or under generated {@link Key}s and a byte budget.
 * Which pixmaps make room is the {@link EvictionPolicy}'s choice: Qt's least recently used first
 * ({@link EvictionPolicy#LRU}), or by default ({@link EvictionPolicy#ADAPTIVE}) a size- and
 * frequency-aware order that decides admission in the eviction order itself: Window-TinyLFU while
 * the pixmaps are of about one size, GreedyDual-Size-Frequency while their sizes vary. Optionally,
 * pixmaps expire after access, an idle cache trims itself as Qt's does, and a
 * {@link RemovalListener} is told of every removal.
 *
 * <p>A {@link PixmapLease} from {@link #find} keeps its pixmap readable until it is closed, even if
 * the pixmap is evicted, removed, replaced or cleared meanwhile; after {@code close()} every access
 * through the lease's pixmap throws. Finds take no lock and, on a hit, write no memory that other
 * finding threads write.
 *
 * @param <K> the type of user keys; they must be immutable, with consistent equals and hashCode
 */
public final class PixmapCache<K> implements AutoCloseable {
    /*
     * Design: the facade.
     *
     * This class validates arguments, copies pixels (before any lock), runs the find path and single
     * flight, and hands every change to the Engine, which holds the cache lock and everything it
     * guards (see the design comment there: the lock, the entry life cycle, what runs after unlock).
     * Leases get a LeaseContext (the Reclaimer and the LeakDetector), a load's allocator gets
     * Blocks: none of them calls back into the cache.
     *
     * Entries. Each pixmap is one block from the NativeAllocator (the single seam for native
     * memory), owned by exactly one Entry: cached (findable, charged against the budget, one counted
     * reference held by the cache), then detached (evicted, removed, replaced, cleared or closed: no
     * longer findable or charged, alive while leases protect it), then freed. A block that is never
     * published (too large after all, the cache closed meanwhile, a key whose equals throws) is
     * discarded and never counts as detached.
     *
     * Leases. A find protects the entry and hands out a lease that is itself the Pixmap (one
     * object). A confined lease makes its arena and its read-only view only when segment() is
     * asked for; the library's own accessors check the lease themselves (closed:
     * IllegalStateException, another thread: WrongThreadException) and read the block without a
     * view. A shared lease makes its shared arena and view at once. Closing a lease closes its
     * arena (if any) first and drops the protection second, so the FFM runtime rejects every later
     * access through a view, its slices and its buffers, whatever happens to the memory
     * afterwards: the scope is the last line of defence. The backing memory never leaves the
     * library. A lease dropped without close() is found by the LeakDetector (sampled by default,
     * such a lease makes its arena at once and the watch is the arena's close action): it is
     * reported and its protection released.
     *
     * The find path. A hit writes no cache line that another reader writes: the entry is protected
     * by a hazard slot in the calling thread's stripe (Reclaimer, HazardSlots), and the read is
     * recorded in the thread's own ring of the read buffer with plain stores, noted before the
     * slot's CAS and settled after it, and the ring counts the hit: one atomic per find (a
     * thread's consecutive reads of one entry only count repeats beside their first note, so a hot
     * key neither fills the ring nor drains it; a virtual
     * thread shares ring stripes with a second CAS; a LongAdder counts only the reads a stripe
     * drops or a ring refuses). Only when the thread's stripe is full (8 leases held at once) does
     * a find fall back to a counted pin on the entry. find is split so that it compiles small:
     * protectedHit (lookup, protection, counting) compiles on its own, C2 inlines find and the
     * lease constructor into the caller, and escape analysis can then scalar-replace the lease when
     * the caller keeps it local (a find compiled into a big method is not inlined: every find would
     * allocate). find merges values (entry, guard), never two leases, before its one allocation
     * site: a merge of allocations defeats escape analysis. Keep find and the lease constructor
     * small. Without escape analysis a find plus close allocates the 40-byte lease alone.
     *
     * The read path. A read allocates nothing only if the method that calls the reader is inlined
     * into the caller that made the reader (a capturing lambda, a boxed result), and C2 refuses a
     * callee whose own compiled code is above InlineSmallCode ("already compiled into a big
     * method"). So the reader never shares a method with the lookup: read (21 bytecodes, 4 stack
     * slots, so that C1 inlines it and its counters never make C2 compile it alone) calls
     * protectedHit (the lookup, protection, ring and counting, compiled on its own: big) and then
     * readProtected and readUnder (the pixmap, the reader, the close: small). A miss returns null
     * without passing the reader on; only the no-slot fallback (never taken on a hit path) does.
     *
     * Races we accept. A find that overlaps a removal, eviction, replacement or clear of its entry
     * may still return a lease on the old pixmap: the find is ordered before the change, and the
     * lease reads intact pixels. Under contention a recorded read can be dropped, which only blurs
     * recency; single-threaded use sees exact LRU order. Operations on one key are atomic to finds;
     * those that take several pixmaps out (clear(), close(), an eviction of more than one) are not:
     * like ConcurrentHashMap.clear(), they remove one pixmap after another, so a thread that finds
     * during them may miss one pixmap and then hit another that is about to go. With expiry, a find
     * may return a pixmap past its expiry that no maintenance has removed yet (finds read no clock),
     * and a read counts as an access only once applied under the lock, so it may extend a pixmap's
     * life by the time its read waited in the buffer. A removal listener hears of a removal after the
     * operation's unlock, so another thread may already have inserted under the same key.
     */

    /** QPixmapCache's default limit: 10 MiB. */
    public static final long DEFAULT_MAXIMUM_BYTES = 10L << 20;

    private final Engine<K> engine;
    private final Blocks blocks;
    private final StatsCounter stats = new StatsCounter();
    private final Reclaimer reclaimer;
    /** What every lease of this cache gets: the reclaimer, the leak detector, and this cache as its events' name. */
    private final LeaseContext leases;
    /** Loads in flight, one per key: single flight. */
    private final ConcurrentHashMap<K, Load> loads = new ConcurrentHashMap<>();
    /** The maintenance task on the builder's scheduler, cancelled on close; null without one. */
    private final Future<?> scheduledMaintenance;

    private PixmapCache(Builder<K> builder) {
        this.blocks = new Blocks(this, builder.allocator, stats);
        this.reclaimer = new Reclaimer(builder.allocator, stats);
        this.leases = new LeaseContext(this, reclaimer, LeakDetector.fromSystemProperty());
        Maintenance maintenance = new Maintenance(builder.ticker, builder.expireAfterAccess, builder.trimPeriod);
        this.engine = new Engine<>(this, builder.evictionPolicy, builder.maximumBytes,
                new KeyTable(builder.allocator), stats, reclaimer, blocks, maintenance, builder.removalListener);
        long period = maintenance.scheduleNanos();
        this.scheduledMaintenance = builder.scheduler == null || period == 0
                ? null : ScheduledMaintenance.start(this, builder.scheduler, period);
        CacheEvents.cacheOpened(this);
    }

    /**
     * A builder with QPixmapCache's budget, 10 MiB, and the {@link EvictionPolicy#ADAPTIVE}
     * policy; {@link EvictionPolicy#LRU} gives QPixmapCache's exact eviction order.
     *
     * @param <K> the type of user keys; they must be immutable, with consistent equals and hashCode
     * @return a new builder
     */
    public static <K> Builder<K> builder() {
        return new Builder<>();
    }

    /* ---------------------------------------------------------------- Inserting */

    /**
     * Copies {@code pixmap} into the cache under {@code key}, replacing any pixmap already there,
     * and evicts pixmaps in the policy's order until the budget holds.
     *
     * @param key names the pixmap
     * @param pixmap copied; the caller keeps it
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
        Entry entry = blocks.copyOf(key, Entry.KEYED, pixmap);
        try (Engine<K>.Mutation change = engine.mutate()) {
            if (!change.publishable(entry)) {
                return false;
            }
            Entry previous = change.putKeyed(key, entry);
            if (previous != null && previous.isCached()) {  // else already detached: its mapping was stale
                change.detach(previous, RemovalCause.REPLACED);
            }
            change.admit(entry);
        }
        return true;
    }

    /**
     * Copies {@code pixmap} into the cache under a new {@link Key}.
     *
     * @param pixmap copied; the caller keeps it
     * @return the key; it is invalid from the start if the pixmap is larger than
     *     {@link #maximumBytes()}
     * @throws PixmapAllocationException if native memory, or room in the key table (at most 2^26
     *     keys at once), could not be had; the cache is unchanged
     * @throws IllegalStateException if the cache is closed or {@code pixmap}'s memory is released
     */
    public Key insert(Pixmap pixmap) {
        Require.notNull("pixmap", pixmap);
        ensureOpen();
        if (rejectIfTooLarge(pixmap.byteSize())) {
            return new Key(this, -1, 0);
        }
        long bytes = pixmap.byteSize();
        long address = blocks.copy(pixmap);  // its one entry is made once the Key is known
        try (Engine<K>.Mutation change = engine.mutate()) {
            if (!change.publishable(address, bytes)) {
                return new Key(this, -1, 0);
            }
            int slot = change.claimSlot(address, bytes);
            Key key = new Key(this, slot, change.generation(slot));
            Entry entry;
            try {
                entry = blocks.entryOver(key, slot, address, pixmap);  // frees the block if it fails
            } catch (RuntimeException | Error e) {
                change.releaseSlot(slot);
                throw e;
            }
            change.bind(slot, entry);
            change.admit(entry);
            return key;
        }
    }

    /**
     * Puts a copy of {@code pixmap} in place of the pixmap {@code key} names; afterwards the same
     * Key object names the new pixmap.
     *
     * @param key names the pixmap to replace
     * @param pixmap copied; the caller keeps it
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
        Entry entry = blocks.copyOf(key, key.slot, pixmap);
        try (Engine<K>.Mutation change = engine.mutate()) {
            Entry previous = entryOf(key);
            if (previous == null) {
                change.discard(entry);
                return false;
            }
            if (!change.publishable(entry)) {
                return false;
            }
            change.bind(key.slot, entry);
            change.detach(previous, RemovalCause.REPLACED);
            change.admit(entry);
            return true;
        }
    }

    /* ---------------------------------------------------------------- Finding */

    /**
     * The pixmap under {@code key}, in a confined lease, or null on a miss. A hit makes the pixmap
     * the most recently used.
     *
     * @param key names the pixmap
     * @return a lease the caller must close, or null
     * @throws IllegalStateException if the cache is closed
     */
    public PixmapLease find(K key) {
        // One allocation site for every hit, fed by values only (see "The find path").
        ThreadState me = ThreadState.current();  // one lookup: its stripe, its ring, its leak sampling
        int guard = protectedHit(key, me.index());
        Entry entry;
        if (guard >= 0) {
            entry = reclaimer.protectedEntry(guard);
        } else if (guard == Reclaimer.NO_SLOT && (entry = pinnedHit(key, me.index())) != null) {
            guard = Reclaimer.COUNTED;
        } else {
            return null;
        }
        return new Lease.Confined(leases, entry, guard, me);
    }

    /**
     * The pixmap {@code key} names, in a confined lease, or null if the key is invalid (never
     * valid, evicted, removed or cleared).
     *
     * @param key names the pixmap
     * @return a lease the caller must close, or null
     * @throws IllegalArgumentException if {@code key} belongs to another cache
     * @throws IllegalStateException if the cache is closed
     */
    public PixmapLease find(Key key) {
        ThreadState me = ThreadState.current();  // one lookup: its stripe, its ring, its leak sampling
        int guard = protectedHit(key, me.index());
        Entry entry;
        if (guard >= 0) {
            entry = reclaimer.protectedEntry(guard);
        } else if (guard == Reclaimer.NO_SLOT && (entry = pinnedHit(key, me.index())) != null) {
            guard = Reclaimer.COUNTED;
        } else {
            return null;
        }
        return new Lease.Confined(leases, entry, guard, me);
    }

    /**
     * Runs {@code reader} on the pixmap under {@code key} and returns its result, or null on a miss
     * without calling it. A hit makes the pixmap the most recently used, as {@link #find} does.
     *
     * <p>The pixmap stays pinned while {@code reader} runs, whatever happens to the entry meanwhile
     * (eviction, removal, replacement, {@code clear()}, even {@code close()} from inside the reader).
     * Its views live exactly as long as the call: once {@code reader} returns or throws, every access
     * through the pixmap, its {@code segment()}, or any slice or buffer made from it throws
     * {@link IllegalStateException}, so a view the reader lets out is harmless. Nothing is left to
     * close, so nothing can leak: this is the cheapest way to read a cached pixmap.
     *
     * <pre>{@code
     * int argb = cache.read(key, pixmap -> pixmap.getArgb(7, 7));            // null on a miss
     * byte[] copy = cache.read(key, pixmap -> pixmap.segment().toArray(ValueLayout.JAVA_BYTE)); // copies out
     * }</pre>
     *
     * <p>The pixmap is confined to the calling thread: the reader may not hand it to another thread
     * (that thread's access throws {@link WrongThreadException}). The reader may call back into this
     * cache, including {@code read} and {@code find} on other keys.
     *
     * @param key names the pixmap
     * @param reader reads the pixmap and computes the result; must not keep the pixmap
     * @param <R> the type of the result
     * @return what {@code reader} returned (which may itself be null), or null on a miss
     * @throws NullPointerException if {@code key} or {@code reader} is null
     * @throws IllegalStateException if the cache is closed
     * @throws RuntimeException whatever {@code reader} threw, after the pixmap was released
     */
    public <R> R read(K key, Function<? super Pixmap, ? extends R> reader) {
        // Tiny (21 bytecodes, 4 stack slots), so that C1 inlines it into the caller and C2 does not
        // compile it alone before protectedHit, which would take the lookup in (see "The read path").
        Require.notNull("reader", reader);
        return readProtected(protectedHit(key), key, reader);
    }

    /**
     * As {@link #read(Object, Function)}, for the pixmap {@code key} names: runs {@code reader} on it
     * and returns its result, or null without calling it if the key is invalid.
     *
     * @param key names the pixmap
     * @param reader reads the pixmap and computes the result; must not keep the pixmap
     * @param <R> the type of the result
     * @return what {@code reader} returned, or null if the key is invalid
     * @throws NullPointerException if {@code key} or {@code reader} is null
     * @throws IllegalArgumentException if {@code key} belongs to another cache
     * @throws IllegalStateException if the cache is closed
     * @throws RuntimeException whatever {@code reader} threw, after the pixmap was released
     */
    public <R> R read(Key key, Function<? super Pixmap, ? extends R> reader) {
        Require.notNull("reader", reader);
        return readProtected(protectedHit(key), key, reader);
    }

    /**
     * Runs {@code reader} on the entry that the calling thread's hazard slot {@code guard}
     * protects, handing the protection over: the only method of a read that holds the reader, kept
     * small (a hit's lookup and counting are in protectedHit, compiled on its own) so that C2
     * inlines it into the caller even when it was compiled first.
     */
    private <R> R readUnder(int guard, Function<? super Pixmap, ? extends R> reader) {
        return readUnder(reclaimer.protectedEntry(guard), guard, reader);
    }

    /**
     * The rest of a read after its lookup: {@code guard} is the hazard slot protecting the hit, or
     * what {@link #protectedHit(Object, boolean, int)} returned instead. Holds the reader but not
     * the lookup (a call), so that it stays small in machine code and C2 inlines it into the caller.
     */
    private <R> R readProtected(int guard, K key, Function<? super Pixmap, ? extends R> reader) {
        return guard >= 0 ? readUnder(guard, reader) : readUnprotected(key, false, guard, reader);
    }

    /** As {@link #readProtected(int, Object, Function)}, for the entry {@code key} names. */
    private <R> R readProtected(int guard, Key key, Function<? super Pixmap, ? extends R> reader) {
        return guard >= 0 ? readUnder(guard, reader) : readUnprotected(key, true, guard, reader);
    }

    /**
     * A read whose lookup gave no hazard slot ({@code guard}): null on a miss (counted), else the
     * rare read of a thread whose stripe is full, under a counted pin. Out of line, and the reader
     * reaches only the branch that a hit never takes, so it still does not escape the caller.
     */
    private <R> R readUnprotected(Object key, boolean anonymous, int guard, Function<? super Pixmap, ? extends R> reader) {
        if (guard != Reclaimer.NO_SLOT) {
            return null;
        }
        Entry pinned = pinnedHit(key, anonymous, ThreadState.current().index());
        return pinned == null ? null : readUnder(pinned, Reclaimer.COUNTED, reader);
    }

    /**
     * Runs {@code reader} on a confined pixmap of {@code entry}, which takes over the protection
     * {@code guard}: the lease of a find without its interface, so it makes a view only if the reader
     * asks for {@code segment()}, and nothing for the leak detector to watch. Closing it when the
     * reader returns or throws kills every view the reader let out and then drops the protection.
     */
    private <R> R readUnder(Entry entry, int guard, Function<? super Pixmap, ? extends R> reader) {
        Lease.Scoped pixmap = new Lease.Scoped(leases, entry, guard, false);
        try {
            return reader.apply(pixmap);
        } finally {
            pixmap.close();
        }
    }

    /** As {@link #protectedHit(Object, boolean, int)} for a read: validates {@code key} and looks up the thread. */
    private int protectedHit(K key) {
        Require.notNull("key", key);
        return protectedHit(key, false, ThreadState.current().index());
    }

    /** As {@link #protectedHit(Object, boolean, int)} for a read of the entry {@code key} names. */
    private int protectedHit(Key key) {
        requireOwn(key);
        return protectedHit(key, true, ThreadState.current().index());
    }

    /**
     * The entry under {@code key} protected by a hazard slot and counted as a hit: the slot; or
     * {@link Reclaimer#NO_SLOT} (nothing counted: the caller falls back to a counted pin), or -1
     * for a miss, counted.
     */
    private int protectedHit(K key, int thread) {
        Require.notNull("key", key);
        return protectedHit(key, false, thread);
    }

    /** As {@link #protectedHit(Object, int)}, for the entry {@code key} names. */
    private int protectedHit(Key key, int thread) {
        requireOwn(key);
        return protectedHit(key, true, thread);
    }

    /** The hit lookup of finds and reads, for a validated {@code key} ({@code anonymous}: a {@link Key}). */
    private int protectedHit(Object key, boolean anonymous, int thread) {
        ensureOpen();
        Entry retired = null;
        while (true) {
            Entry entry = indexed(key, anonymous);
            if (entry == null || entry == retired) {  // still indexed though retired: a stale mapping, a miss
                stats.recordMiss();
                return -1;
            }
            int guard = engine.protectHit(entry, thread);  // counts and records a hit: one atomic
            if (guard != Reclaimer.RETIRED) {
                return guard;
            }
            retired = entry;  // freed under us, so normally out of the index (or its slot released) by now: look again
        }
    }

    /** The entry under {@code key}, pinned and counted as a hit by thread {@code thread}, or null, counted as a miss. */
    private Entry pinnedHit(K key, int thread) {
        return pinnedHit(key, false, thread);
    }

    /** The entry {@code key} names, pinned and counted as a hit by thread {@code thread}, or null, counted as a miss. */
    private Entry pinnedHit(Key key, int thread) {
        return pinnedHit(key, true, thread);
    }

    private Entry pinnedHit(Object key, boolean anonymous, int thread) {
        Entry unpinnable = null;
        while (true) {
            Entry entry = indexed(key, anonymous);
            if (entry == null || entry == unpinnable) {
                return recordMiss();
            }
            if (engine.pinHit(entry, thread)) {
                return entry;
            }
            unpinnable = entry;  // freed under us, so normally out of the index (or its slot released) by now: look again
        }
    }

    /** The entry a validated {@code key} names ({@code anonymous}: a {@link Key}), or null; lock-free. */
    @SuppressWarnings("unchecked")
    private Entry indexed(Object key, boolean anonymous) {
        return anonymous ? entryOf((Key) key) : engine.keyed((K) key);
    }

    /** The entry under {@code key} with a counted pin, or null; lock-free. */
    private Entry pinned(K key) {
        Entry unpinnable = null;
        while (true) {
            Entry entry = engine.keyed(key);
            if (entry == null || entry == unpinnable) {
                return null;  // still indexed though freed: a stale mapping, which is a miss
            }
            if (entry.tryPin()) {
                return entry;
            }
            unpinnable = entry;  // freed under us, so normally out of the index by now: look again
        }
    }

    /** The entry {@code key} names, or null; lock-free. */
    private Entry entryOf(Key key) {
        Entry entry = engine.anonymous(key.slot, key.generation);
        // The slot may have been reused between the generation check and the read of its entry.
        return entry != null && entry.key() == key ? entry : null;
    }

    private Entry recordMiss() {
        stats.recordMiss();
        return null;
    }

    /* ---------------------------------------------------------------- Loading: single flight */

    /**
     * The pixmap under {@code key}, loading it on a miss. Exactly one caller runs the loader for a
     * key at a time; concurrent callers for that key wait for its result. The loader renders into
     * memory from its {@link PixmapAllocator}, which the cache then owns without a copy; a pixmap
     * from elsewhere is copied. A result larger than the budget is returned but not cached. If a
     * pixmap was inserted under the key while the loader ran, that one is kept and returned.
     *
     * @param key names the pixmap
     * @param loader renders or decodes the pixmap on a miss
     * @return a lease the caller must close, on the cached or the loaded pixmap
     * @throws RuntimeException whatever the loader threw (a checked exception too, unwrapped), to
     *     the caller and to every waiter; nothing is cached and the memory the loader took is freed
     * @throws NullPointerException if the loader returned null
     * @throws IllegalStateException if the cache is closed, or the loader calls back for its own key
     */
    public PixmapLease computeIfAbsent(K key, PixmapLoader<? super K> loader) {
        Require.notNull("key", key);
        Require.notNull("loader", loader);
        PixmapLease hit = find(key);  // counts the hit or the miss
        if (hit != null) {
            return hit;
        }
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

    /**
     * Runs the load {@code load} stands for and completes it, for the caller and every waiter, with
     * the result (whether cached or not) or with whatever the loader threw, checked exceptions
     * included.
     */
    private PixmapLease load(K key, PixmapLoader<? super K> loader, Load load) {
        LoadEvent event = CacheEvents.loadStarted();
        try {
            Entry published = pinned(key);  // a load that finished since our miss
            boolean loadedHere = published == null;
            if (loadedHere) {
                Entry loaded = loaded(key, loader);
                published = publishLoaded(key, loaded);  // pinned for the caller
                CacheEvents.loaded(event, this, key, loaded, published);
            }
            published.pin();  // the load's own reference, so that waiters get it even if uncacheable
            load.complete(published);
            return loadedHere ? countedLease(published) : readLease(published);
        } catch (Throwable e) {
            CacheEvents.loadFailed(event, this, key, e);
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
        try (LoadAllocator pixmaps = new LoadAllocator(blocks, key)) {
            Pixmap result = loader.load(key, pixmaps);
            if (result == null) {
                throw new NullPointerException("the loader returned null for key " + key);
            }
            return pixmaps.adopt(result);
        }
    }

    /**
     * Caches a loaded entry unless a pixmap arrived under its key meanwhile, and returns whichever
     * stays, pinned for the caller. A result too large for the budget is returned uncached.
     */
    private Entry publishLoaded(K key, Entry loaded) {
        try (Engine<K>.Mutation change = engine.mutate()) {
            if (engine.isClosed()) {
                change.discard(loaded);
                change.ensureOpen();
            }
            Entry present = change.keyedUnder(key, loaded);
            if (present != null && present.isCached()) {  // else a stale mapping, replaced below
                present.pin();  // cached, so the cache's reference keeps it alive
                change.discard(loaded);
                return present;
            }
            if (loaded.byteSize() > engine.maximumBytes()) {
                stats.recordRejection();
                stats.recordDetached(loaded.byteSize());  // the caller's lease is the only reference
                return loaded;
            }
            loaded.pin();  // one reference for the cache, one for the caller
            change.putKeyed(key, loaded);  // replaces a stale mapping, if any
            change.admit(loaded);
            return loaded;
        }
    }

    /** One holder of {@code load} is done with it; the last one drops the load's own reference. */
    private void leave(Load load) {
        if (load.leave() && load.state() == Future.State.SUCCESS) {
            reclaimer.release(load.resultNow(), Reclaimer.COUNTED);
        }
    }

    /** A lease on a pinned entry that another caller loaded: a read, though not counted as a hit. */
    private PixmapLease readLease(Entry pinned) {
        ThreadState me = ThreadState.current();
        engine.recordRead(pinned, me.index());
        return new Lease.Confined(leases, pinned, Reclaimer.COUNTED, me);
    }

    private PixmapLease countedLease(Entry pinned) {
        return new Lease.Confined(leases, pinned, Reclaimer.COUNTED, ThreadState.current());
    }

    /* ---------------------------------------------------------------- Removing */

    /**
     * Removes the pixmap under {@code key}; leases on it stay readable.
     *
     * @param key names the pixmap
     * @return whether there was a pixmap under {@code key}
     */
    public boolean remove(K key) {
        Require.notNull("key", key);
        try (Engine<K>.Mutation change = engine.mutate()) {
            change.ensureOpen();
            Entry entry = change.removeKeyed(key);
            if (entry == null || !entry.isCached()) {  // a stale mapping is dropped, not detached again
                return false;
            }
            change.detach(entry, RemovalCause.EXPLICIT);
            return true;
        }
    }

    /**
     * Removes the pixmap {@code key} names and invalidates the key; leases on it stay readable.
     *
     * @param key names the pixmap
     * @return whether the key was valid
     * @throws IllegalArgumentException if {@code key} belongs to another cache
     */
    public boolean remove(Key key) {
        requireOwn(key);
        try (Engine<K>.Mutation change = engine.mutate()) {
            change.ensureOpen();
            Entry entry = entryOf(key);
            if (entry == null) {
                return false;
            }
            change.releaseSlot(key.slot);
            change.detach(entry, RemovalCause.EXPLICIT);
            return true;
        }
    }

    /** Removes every pixmap; every Key becomes invalid. Leases stay readable. */
    public void clear() {
        try (Engine<K>.Mutation change = engine.mutate()) {
            change.ensureOpen();
            change.detachAll();
        }
    }

    /* ---------------------------------------------------------------- Budget and state */

    /** {@return the byte budget} */
    public long maximumBytes() {
        ensureOpen();
        return engine.maximumBytes();
    }

    /**
     * Sets the byte budget, evicting pixmaps in the policy's order at once until it holds.
     *
     * @param bytes the new budget, 0 or more
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public void setMaximumBytes(long bytes) {
        Require.notNegative("maximumBytes", bytes);
        try (Engine<K>.Mutation change = engine.mutate()) {
            change.ensureOpen();
            change.setMaximumBytes(bytes);
        }
    }

    /** {@return the sum of {@link Pixmap#byteSize()} over the pixmaps in the cache; never above the budget} */
    public long usedBytes() {
        try (Engine<K>.Mutation read = engine.mutate()) {  // never half an operation's change
            read.ensureOpen();
            return read.usedBytes();
        }
    }

    /** {@return the number of pixmaps in the cache} */
    public int size() {
        try (Engine<K>.Mutation read = engine.mutate()) {
            read.ensureOpen();
            return read.size();
        }
    }

    /** {@return a snapshot of the counters; entries and usedBytes are from one moment, between operations} */
    public CacheStats stats() {
        try (Engine<K>.Mutation read = engine.mutate()) {
            read.ensureOpen();
            return read.stats();
        }
    }

    /**
     * Runs the maintenance that is due, on the calling thread: removes the pixmaps not accessed
     * within the builder's {@link Builder#expireAfterAccess expireAfterAccess} duration, and, with
     * {@link Builder#idleTrimming idle trimming} on, trims an idle cache once per period. Without a
     * {@link Builder#scheduler scheduler}, call it from your own timer (as Qt's timer event does);
     * expiry also runs at the start of every other operation that takes the cache's lock. Does
     * nothing when neither is on.
     *
     * @throws IllegalStateException if the cache is closed
     */
    public void cleanUp() {
        if (!cleanUpIfOpen()) {
            ensureOpen();
        }
    }

    /** Runs {@link #cleanUp()}'s maintenance; false, doing nothing, if the cache is closed. */
    boolean cleanUpIfOpen() {
        try (Engine<K>.Mutation change = engine.mutate()) {  // expires the overdue entries
            if (engine.isClosed()) {
                return false;
            }
            change.trimIfIdle();
            return true;
        }
    }

    /**
     * Closes the cache: every later call throws {@link IllegalStateException}, memory not leased
     * is freed now, and leased memory when its lease closes. Closing again does nothing.
     */
    @Override
    public void close() {
        if (scheduledMaintenance != null) {
            scheduledMaintenance.cancel(false);
        }
        try (Engine<K>.Mutation change = engine.mutate()) {
            if (change.markClosed()) {
                CacheEvents.cacheClosed(this);
                change.detachAll();
                change.closeKeyTable();
            }
        }
    }

    @Override
    public String toString() {
        return "PixmapCache[" + engine + "]";
    }

    /* ---------------------------------------------------------------- Checks */

    private boolean rejectIfTooLarge(long bytes) {
        if (bytes > engine.maximumBytes()) {
            stats.recordRejection();
            return true;
        }
        return false;
    }

    private void requireOwn(Key key) {
        Require.notNull("key", key);
        if (key.cache != this) {
            throw new IllegalArgumentException(key + " belongs to another cache, not to " + this);
        }
    }

    private void ensureOpen() {
        if (engine.isClosed()) {
            throw new IllegalStateException("the cache is closed: " + this);
        }
    }

    /* ---------------------------------------------------------------- Keys, loads, builder */

    /**
     * A generated handle for an anonymous pixmap: a slot in the key table and the generation that
     * owned it when the key was made. Slots are reused, generations never, so a stale key cannot
     * name a newer pixmap.
     */
    public static final class Key {
        private final PixmapCache<?> cache;
        private final int slot;
        private final long generation;

        Key(PixmapCache<?> cache, int slot, long generation) {
            this.cache = cache;
            this.slot = slot;
            this.generation = generation;
        }

        /** {@return true while the pixmap this key names is in the cache (false once the cache is closed)} */
        public boolean isValid() {
            return !cache.engine.isClosed() && cache.entryOf(this) != null;
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

    /**
     * Configures a {@link PixmapCache}.
     *
     * @param <K> the type of user keys; they must be immutable, with consistent equals and hashCode
     */
    public static final class Builder<K> {
        private long maximumBytes = DEFAULT_MAXIMUM_BYTES;
        private EvictionPolicy evictionPolicy = EvictionPolicy.ADAPTIVE;
        private NativeAllocator allocator = NativeAllocator.system();
        private Duration expireAfterAccess;
        private Duration trimPeriod;
        private Ticker ticker = Ticker.system();
        private ScheduledExecutorService scheduler;
        private RemovalListener removalListener;

        private Builder() {}

        /**
         * The byte budget; default 10 MiB.
         *
         * @param bytes the budget, 0 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Builder<K> maximumBytes(long bytes) {
            Require.notNegative("maximumBytes", bytes);
            this.maximumBytes = bytes;
            return this;
        }

        /**
         * The eviction policy; default {@link EvictionPolicy#ADAPTIVE}, which beats LRU on scans,
         * loops and one-off large pixmaps, and GDSF on object hits when sizes vary (see
         * {@code bench/HITRATIO.md}). With it, or with {@link EvictionPolicy#WINDOW_TINY_LFU}, an
         * insert may leave the new pixmap out at once when it is worth less than what it would
         * displace: the insert still returns true (a valid Key), and the pixmap counts as evicted.
         *
         * @param policy the order in which pixmaps leave the cache
         * @return this builder
         */
        public Builder<K> evictionPolicy(EvictionPolicy policy) {
            this.evictionPolicy = Require.notNull("policy", policy);
            return this;
        }

        /**
         * Removes each pixmap once it has not been found, loaded or inserted for {@code duration}
         * (cause {@link RemovalCause#EXPIRED}); off by default. A pixmap leaves at the next
         * maintenance after it expired: every operation that takes the cache's lock,
         * {@link PixmapCache#cleanUp()}, or the {@link #scheduler scheduler}'s run (at most a
         * quarter of {@code duration} late); a find before that may still return it. A find
         * counts as an access once the cache applies its recorded read, which never makes the
         * pixmap expire sooner.
         *
         * @param duration how long an unused pixmap stays, more than zero
         * @return this builder
         * @throws IllegalArgumentException if {@code duration} is zero or negative
         */
        public Builder<K> expireAfterAccess(Duration duration) {
            this.expireAfterAccess = Require.positive("expireAfterAccess", duration);
            return this;
        }

        /**
         * Trims an idle cache as Qt's {@code QPixmapCache} does; off by default. Once per
         * {@code period}, if nothing was found, missed or inserted during the period before, the
         * least valuable pixmaps (in the eviction policy's order) leave until a quarter of the
         * used bytes is gone (cause {@link RemovalCause#EVICTED}); an idle cache empties in a few
         * periods, and any use stops the trimming until the cache is idle again. It runs on the
         * {@link #scheduler scheduler}, or, without one, when the caller calls
         * {@link PixmapCache#cleanUp()}.
         *
         * @param period how often the cache checks whether it is idle, more than zero
         * @return this builder
         * @throws IllegalArgumentException if {@code period} is zero or negative
         */
        public Builder<K> idleTrimming(Duration period) {
            this.trimPeriod = Require.positive("idleTrimming", period);
            return this;
        }

        /**
         * The time source of expiry and idle trimming; default {@link Ticker#system()}. Tests pass
         * a ticker they advance by hand.
         *
         * @param ticker reads nanoseconds
         * @return this builder
         */
        public Builder<K> ticker(Ticker ticker) {
            this.ticker = Require.notNull("ticker", ticker);
            return this;
        }

        /**
         * Runs expiry and idle trimming periodically on {@code scheduler}'s threads (the cache
         * creates none): every trimming period, and often enough that a pixmap outlives its expiry
         * by at most a quarter of the duration. Without it (the default), maintenance runs on the
         * callers' threads only: expiry at every locked operation, both in
         * {@link PixmapCache#cleanUp()}. The task stops when the cache is closed; the scheduler
         * stays the caller's to shut down.
         *
         * @param scheduler runs the cache's maintenance
         * @return this builder
         */
        public Builder<K> scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Require.notNull("scheduler", scheduler);
            return this;
        }

        /**
         * Tells {@code listener} of every pixmap that leaves the cache, and why; none by default.
         * It runs after the removing operation has released the cache's lock, on that operation's
         * thread (see {@link RemovalListener}).
         *
         * @param listener told of each removal
         * @return this builder
         */
        public Builder<K> removalListener(RemovalListener listener) {
            this.removalListener = Require.notNull("listener", listener);
            return this;
        }

        /** Test seam: every native allocation the cache makes goes through {@code allocator}. */
        Builder<K> nativeAllocator(NativeAllocator allocator) {
            this.allocator = Require.notNull("allocator", allocator);
            return this;
        }

        /**
         * A new cache. Its leak detection level is read now from the system property
         * {@code io.github.pixmapcache.leakDetection} ({@code off}, {@code sampled} or {@code all}).
         *
         * @return the cache; close it to free its memory
         * @throws IllegalArgumentException if that property names no level
         */
        public PixmapCache<K> build() {
            return new PixmapCache<>(this);
        }
    }
}
