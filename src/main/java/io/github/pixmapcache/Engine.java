package io.github.pixmapcache;

import io.github.pixmapcache.internal.concurrent.GuardedBy;
import io.github.pixmapcache.internal.concurrent.ThreadState;
import io.github.pixmapcache.internal.index.DeferredReleases;
import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.index.KeyTable;
import io.github.pixmapcache.internal.jfr.CacheEvents;
import io.github.pixmapcache.internal.jfr.EvictionEvent;
import io.github.pixmapcache.internal.policy.AccessTimedOrder;
import io.github.pixmapcache.internal.policy.EvictionOrder;
import io.github.pixmapcache.internal.policy.LruOrder;
import io.github.pixmapcache.internal.policy.ReadBuffer;
import io.github.pixmapcache.internal.policy.SizeAdaptiveOrder;
import io.github.pixmapcache.internal.policy.WindowTinyLfuOrder;
import io.github.pixmapcache.internal.reclaim.Reclaimer;
import io.github.pixmapcache.internal.stats.StatsCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Everything the cache lock guards, and the only code that changes it.
 *
 * <p>{@link PixmapCache} is the facade: it validates, copies pixels, runs loaders and finds without
 * the lock. This class holds the lock and what it guards; every change goes through a
 * {@link Mutation}, which holds the lock from {@link #mutate()} to its {@code close()}.
 */
final class Engine<K> {
    /*
     * Design: the lock and what it guards.
     *
     * One ReentrantLock guards every change: writes to the keyed index and to the key table, the
     * eviction order, usedBytes, size, maximumBytes and closed, and the cached flag and queue links
     * of each entry. Finds read the index (a ConcurrentHashMap) and the key table (a published
     * snapshot) without it, and record reads in the ReadBuffer, which the lock holder drains into
     * the eviction order before it evicts. The four counters are volatile so that lock-free
     * readers (ensureOpen, Key.isValid, toString, the maximumBytes check before a copy) see a
     * recent value; size(), usedBytes() and stats() read them under the lock, so that they never
     * see an operation half counted.
     *
     * A Mutation is the one shape of a locked operation: lock, change, and on close() drain the
     * reads of the entries it detached (so that the read buffer keeps nothing alive that the cache
     * let go), unlock, and only then carry out what it collected: drop the cache's reference to
     * each detached entry (the last protection frees the block, see Reclaimer), free the blocks
     * that were never published, and dispose retired key tables. No memory is freed under the lock.
     * The only user code under it is the key's hashCode and equals inside the index (an entry's
     * own key hash is taken when the entry is made); whatever they do (throw, or change), the
     * budget and the books hold: the key may be lost, an entry that cannot be indexed is
     * discarded, a stale mapping left behind is a miss, and clear() drops it.
     *
     * Entry life cycle: unpublished (made by the facade or a load; only its creator holds it) →
     * cached (admit: indexed, in the order, counted in usedBytes and size, one counted reference the
     * cache's) → detached (detach: out of the index, the order and the budget; its reference is
     * dropped after unlock) → freed (Reclaimer). An unpublished entry that never makes it in is
     * discarded: its block is freed after unlock and it never counts as detached.
     *
     * Expiry, idle trimming and removal notifications (all opt-in) hook in here: with expiry, the
     * order is wrapped in an AccessTimedOrder and every mutate() first evicts what is overdue;
     * trimIfIdle() evicts a share when Maintenance says the cache was idle; detach() records each
     * removal's cause in the Mutation, and close() tells the RemovalListener last, after the
     * unlock and the releases, so that the listener runs under no lock and may call back in.
     *
     * Races we accept are listed in PixmapCache's design comment.
     */

    private final ReentrantLock lock = new ReentrantLock();

    // ------------------------------------------------------------------ the index

    /** Keyed entries: written under the lock, read by finds without it. */
    @GuardedBy("lock")
    private final ConcurrentHashMap<K, Entry> keyedEntries = new ConcurrentHashMap<>();
    /** Anonymous entries by Key: written under the lock, read by finds without it. */
    @GuardedBy("lock")
    private final KeyTable keyTable;

    // ------------------------------------------------------------------ eviction and budget

    @GuardedBy("lock")
    private final EvictionOrder<Entry> evictionOrder;
    /** The same order when entries expire after access, else null. */
    @GuardedBy("lock")
    private final AccessTimedOrder<Entry> accessTimes;
    /** When expiry and idle trimming are due (both may be off). */
    @GuardedBy("lock")
    private final Maintenance maintenance;
    /** Told of every entry that leaves the cache, after unlock; null for none. */
    private final RemovalListener removalListener;
    /** Reads recorded without the lock; drained under it. */
    private final ReadBuffer<Entry> reads = new ReadBuffer<>(Entry::isCachedNow);
    /** Applies one drained read to the eviction order. */
    @GuardedBy("lock")
    private final Consumer<Entry> applyRead;
    /** Volatile: also read without the lock (see the design comment). */
    @GuardedBy("lock")
    private volatile long maximumBytes;
    @GuardedBy("lock")
    private volatile long usedBytes;
    @GuardedBy("lock")
    private volatile int size;
    @GuardedBy("lock")
    private volatile boolean closed;

    // ------------------------------------------------------------------ what a mutation hands on

    private final StatsCounter stats;
    private final Reclaimer reclaimer;
    private final Blocks blocks;
    /** The cache, only to name it in JFR events; never called. */
    private final Object owner;
    private final EvictionPolicy policy;

    Engine(Object owner, EvictionPolicy policy, long maximumBytes, KeyTable keyTable, StatsCounter stats,
            Reclaimer reclaimer, Blocks blocks, Maintenance maintenance, RemovalListener removalListener) {
        this.owner = owner;
        this.policy = policy;
        this.keyTable = keyTable;
        this.stats = stats;
        this.reclaimer = reclaimer;
        this.blocks = blocks;
        this.maximumBytes = maximumBytes;
        this.maintenance = maintenance;
        this.removalListener = removalListener;
        EvictionOrder<Entry> order = switch (policy) {
            case LRU -> new LruOrder<>();
            case WINDOW_TINY_LFU -> new WindowTinyLfuOrder<>(maximumBytes);
            case ADAPTIVE -> new SizeAdaptiveOrder<>(maximumBytes);
        };
        this.accessTimes = maintenance.expires() ? new AccessTimedOrder<>(order, maintenance::now) : null;
        this.evictionOrder = accessTimes != null ? accessTimes : order;
        this.applyRead = entry -> {
            if (entry.isCached()) {
                evictionOrder.recordAccess(entry);
            }
        };
    }

    /**
     * Takes the lock for one operation; close the mutation (try-with-resources) to end it. With
     * expiry on, the entries overdue leave first.
     */
    Mutation mutate() {
        lock.lock();
        Mutation change = new Mutation();
        if (accessTimes != null && !closed) {
            try {
                change.expireOverdue();
            } catch (RuntimeException | Error e) {
                change.close();  // unlocks
                throw e;
            }
        }
        return change;
    }

    // ------------------------------------------------------------------ lock-free reads

    /** The entry mapped to {@code key}, or null; lock-free, and may be a stale (retired) mapping. */
    Entry keyed(K key) {
        return keyedEntries.get(key);
    }

    /** The entry registered under (slot, generation), or null; lock-free. */
    Entry anonymous(int slot, long generation) {
        return keyTable.find(slot, generation);
    }

    boolean isClosed() {
        return closed;
    }

    /** The budget as last set; lock-free, so possibly just changing. */
    long maximumBytes() {
        return maximumBytes;
    }

    /**
     * Protects {@code entry}, just read from the index, with a hazard slot of the calling thread,
     * number {@code thread} ({@link ThreadState#index()}), and if it is a hit, counts it and records the read: the slot's CAS is the only
     * atomic on a platform thread (see ReadBuffer: the read is noted before the CAS, settled after).
     * A virtual thread records in a shared stripe, with a second CAS.
     *
     * @return as {@link Reclaimer#tryProtect}
     */
    int protectHit(Entry entry, int thread) {
        if (!ThreadState.isOwned(thread)) {
            int guard = reclaimer.tryProtect(entry, thread);
            if (guard >= 0) {
                recordShared(entry, thread);
            }
            return guard;
        }
        long ticket = reads.note(entry, thread);
        int guard = reclaimer.tryProtect(entry, thread);  // the fence between the note and isCachedNow
        settle(entry, thread, ticket, guard >= 0);
        return guard;
    }

    /** As {@link #protectHit}, with a counted pin: whether {@code entry} was pinned (a hit, counted and recorded). */
    boolean pinHit(Entry entry, int thread) {
        if (!ThreadState.isOwned(thread)) {
            boolean pinned = entry.tryPin();
            if (pinned) {
                recordShared(entry, thread);
            }
            return pinned;
        }
        long ticket = reads.note(entry, thread);
        boolean pinned = entry.tryPin();  // a CAS when it succeeds: the fence between the note and isCachedNow
        settle(entry, thread, ticket, pinned);
        return pinned;
    }

    /**
     * Keeps or scrubs a noted read and counts the hit; a read the full ring refused is applied under
     * the lock, after the ring's, unless another thread holds the lock.
     */
    private void settle(Entry entry, int thread, long ticket, boolean hit) {
        reads.settle(thread, ticket, hit && entry.isCachedNow(), hit);
        if (hit && ticket == ReadBuffer.FULL) {
            drainIfFree(entry, thread);
        }
    }

    /**
     * Records a virtual thread's hit in a shared stripe, which counts it
     * ({@link ReadBuffer#hits()}, see stats()); a dropped or refused read is counted here.
     */
    private void recordShared(Entry entry, int thread) {
        switch (reads.offer(entry, thread)) {
            case RECORDED -> { }
            case DROPPED -> stats.recordHit();
            case FULL -> {
                stats.recordHit();
                drainIfFree(entry, thread);
            }
        }
    }

    /** Drains the thread's full ring and applies {@code entry}'s read, unless another thread holds the lock. */
    private void drainIfFree(Entry entry, int thread) {
        if (lock.tryLock()) {
            try {
                drainThenApply(entry, thread);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Records a read that is not a hit (a waiter's lease on what another caller loaded): under the
     * lock, after the thread's earlier reads, so that the buffer counts hits only.
     */
    void recordRead(Entry entry, int thread) {
        lock.lock();
        try {
            drainThenApply(entry, thread);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies the reads in the thread's ring, then {@code entry}'s. The other rings wait for their
     * own readers or the next mutation, which drains them all before it evicts.
     */
    @GuardedBy("lock")
    private void drainThenApply(Entry entry, int thread) {
        reads.drainRingOf(thread, applyRead);
        applyRead.accept(entry);
    }

    @Override
    public String toString() {
        return size + " pixmaps, " + usedBytes + " of " + maximumBytes + " bytes" + (closed ? ", closed" : "");
    }

    /**
     * One locked operation: made by {@link #mutate()} with the lock held; {@link #close()} drains,
     * unlocks and then carries out the releases it collected. Not thread-safe: it belongs to the
     * thread that holds the lock.
     */
    final class Mutation implements AutoCloseable {
        private final DeferredReleases releases = new DeferredReleases();
        /** Told to the listener after unlock. */
        private final Removals removals = Removals.to(removalListener);
        /** Blocks never published, to be freed after unlock. */
        private final List<Block> discarded = new ArrayList<>(0);

        private Mutation() {}

        // -------------------------------------------------------------- state

        /** @throws IllegalStateException if the cache is closed */
        void ensureOpen() {
            if (closed) {
                throw new IllegalStateException("the cache is closed: " + Engine.this);
            }
        }

        /** Marks the cache closed; false if it already was. */
        boolean markClosed() {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }

        long usedBytes() {
            return usedBytes;
        }

        int size() {
            return size;
        }

        CacheStats stats() {
            return stats.snapshot(size, usedBytes, reads.hits());
        }

        /** Sets the budget and evicts down to it. */
        void setMaximumBytes(long bytes) {
            maximumBytes = bytes;
            evictionOrder.setMaximumWeight(bytes);
            evictToBudget();
        }

        // -------------------------------------------------------------- publishing

        /**
         * Whether an unpublished entry may enter: not if it grew larger than the budget while it
         * was copied (counted as rejected), and never into a closed cache (then this throws). An
         * entry refused is discarded.
         */
        boolean publishable(Entry unpublished) {
            return publishable(unpublished.address(), unpublished.byteSize());
        }

        /** As {@link #publishable(Entry)}, for a block not yet wrapped in its entry. */
        boolean publishable(long address, long byteSize) {
            if (closed || byteSize > maximumBytes) {
                discard(address, byteSize);
                ensureOpen();
                stats.recordRejection();  // the budget shrank while we copied
                return false;
            }
            return true;
        }

        /**
         * Adds a published entry to the budget and the order, after the reads recorded before it
         * (so that it is the most recent), then evicts down to the budget.
         */
        void admit(Entry entry) {
            drainReads();
            entry.setCached(true);
            evictionOrder.add(entry);
            usedBytes += entry.byteSize();
            size++;
            stats.recordInsertion();
            evictToBudget();
        }

        /** Frees a never-published entry's block after unlock; it never counts as detached. */
        void discard(Entry unpublished) {
            discard(unpublished.address(), unpublished.byteSize());
        }

        /** Frees a never-published block after unlock. */
        void discard(long address, long byteSize) {
            discarded.add(new Block(address, byteSize));
        }

        // -------------------------------------------------------------- the keyed index

        /** Maps {@code key} to an unpublished entry; if the key's code throws, discards the entry. */
        Entry putKeyed(K key, Entry unpublished) {
            try {
                return keyedEntries.put(key, unpublished);
            } catch (RuntimeException | Error e) {
                discard(unpublished);
                throw e;
            }
        }

        /** The entry mapped to {@code key}; if the key's code throws, discards {@code unpublished}. */
        Entry keyedUnder(K key, Entry unpublished) {
            try {
                return keyedEntries.get(key);
            } catch (RuntimeException | Error e) {
                discard(unpublished);
                throw e;
            }
        }

        /** Takes {@code key}'s entry out of the index; the caller detaches it. */
        Entry removeKeyed(K key) {
            return keyedEntries.remove(key);
        }

        // -------------------------------------------------------------- the key table

        /**
         * A free slot of the key table for the never-published block at {@code address}, growing
         * the table if needed; if that fails, counts the failure, discards the block and throws.
         */
        int claimSlot(long address, long byteSize) {
            try {
                return keyTable.claim(releases);
            } catch (PixmapAllocationException e) {
                stats.recordAllocationFailure();
                CacheEvents.allocationFailed(owner, e.requestedBytes(), "key table");
                discard(address, byteSize);
                throw e;
            }
        }

        long generation(int slot) {
            return keyTable.generation(slot);
        }

        /** Registers {@code entry} under {@code slot}. */
        void bind(int slot, Entry entry) {
            keyTable.bind(slot, entry);
        }

        void releaseSlot(int slot) {
            keyTable.release(slot);
        }

        // -------------------------------------------------------------- detaching and eviction

        /** Takes an entry, already out of the index, off the budget and the order, for {@code cause}. */
        void detach(Entry entry, RemovalCause cause) {
            removals.add(entry.key(), cause);
            entry.setCached(false);
            evictionOrder.remove(entry);
            usedBytes -= entry.byteSize();
            size--;
            releases.detach(entry);
        }

        /** Detaches every entry, and drops even the stale mappings of keys whose hash changed. */
        void detachAll() {
            for (Entry entry = evictionOrder.victim(); entry != null; entry = evictionOrder.victim()) {
                removeFromIndex(entry);
                detach(entry, RemovalCause.CLEARED);
            }
            keyedEntries.clear();  // runs no user code
        }

        /** Closes the key table; its memory is freed after unlock. */
        void closeKeyTable() {
            drainReads();  // nulls every slot of the read buffer, which may outlive the cache a long time
            keyTable.close(releases);
        }

        /** Evicts in the policy's order until the budget holds: one batch per operation. */
        private void evictToBudget() {
            evictDownTo(maximumBytes);
        }

        /** Evicts in the policy's order until at most {@code bytes} are used: one batch. */
        private void evictDownTo(long bytes) {
            drainReads();
            EvictionEvent batch = CacheEvents.evictionStarted(size, usedBytes);
            while (usedBytes > bytes) {
                evict(evictionOrder.victim(), RemovalCause.EVICTED);
            }
            CacheEvents.evictionEnded(batch, owner, policy, size, usedBytes);
        }

        private void evict(Entry victim, RemovalCause cause) {
            removeFromIndex(victim);
            detach(victim, cause);
            stats.recordEviction();
        }

        // -------------------------------------------------------------- maintenance

        /** Removes the entries not accessed within the expiry duration (after applying the reads). */
        void expireOverdue() {
            if (accessTimes == null) {
                return;
            }
            drainReads();
            long deadline = maintenance.expiryDeadline(maintenance.now());
            for (Entry overdue = accessTimes.accessedAtOrBefore(deadline); overdue != null;
                    overdue = accessTimes.accessedAtOrBefore(deadline)) {
                evict(overdue, RemovalCause.EXPIRED);
            }
        }

        /** If the cache was idle for a trimming period, evicts a share of its bytes, least valuable first. */
        void trimIfIdle() {
            if (!maintenance.trims()) {
                return;
            }
            CacheStats counters = stats();
            long target = maintenance.trimTarget(maintenance.now(),
                    counters.hits() + counters.misses() + counters.insertions(), usedBytes);
            if (target >= 0) {
                evictDownTo(target);
            }
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

        private void drainReads() {
            reads.drainTo(applyRead);
        }

        // -------------------------------------------------------------- ending

        /**
         * Ends the operation: drains the reads of detached entries, unlocks, and then drops the
         * cache's references to detached entries, frees discarded blocks and disposes retired
         * tables, in that order, with no lock held; last, frees the deferred blocks no reader holds any more.
         */
        @Override
        public void close() {
            try {
                if (!releases.detached().isEmpty()) {
                    reads.drainAll(applyRead);  // and waits for reads claimed before the detach: see ReadBuffer
                }
            } finally {
                lock.unlock();
            }
            for (Entry entry : releases.detached()) {
                stats.recordDetached(entry.byteSize());  // before the release: the free subtracts it
                reclaimer.release(entry, Reclaimer.COUNTED);
            }
            for (Block block : discarded) {
                blocks.free(block.address, block.byteSize);
            }
            releases.disposeRetiredTables();
            reclaimer.freeDeferred();  // blocks whose last reader raced a scan (see Reclaimer)
            removals.deliver();  // last: the listener may call back into the cache
        }
    }

    private record Block(long address, long byteSize) {}
}
