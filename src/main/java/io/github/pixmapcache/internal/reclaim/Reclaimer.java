package io.github.pixmapcache.internal.reclaim;

import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.memory.NativeAllocator;
import io.github.pixmapcache.internal.stats.StatsCounter;

/**
 * Decides when an entry's block goes back to the allocator: exactly once, and only when nothing
 * can read it any more. An entry is kept alive by two kinds of protection:
 *
 * <ul>
 *   <li><b>Counted references</b> in the entry's state word: the cache's own while the entry is
 *       cached, and one per shared lease, per lease beyond a thread's hazard slots, per loader
 *       result. The decrement that takes the count to zero also <em>retires</em> the entry, and a
 *       retired entry never becomes findable again ({@link Entry#tryPin} fails on it).
 *   <li><b>Hazard slots</b> ({@link HazardSlots}): a find claims a slot of its own thread's stripe,
 *       then checks that the entry is not retired. Claiming and clearing write only that
 *       stripe's cache line, so readers of one hot entry do not contend.
 * </ul>
 *
 * <p><b>Freeing.</b> Whoever drops a protection of a retired entry whose count is zero scans the
 * hazard slots, and frees the block only if none announces the entry and it wins the CAS that
 * moves the state from retired-and-unreferenced to freed. The claim makes the free happen at most
 * once. That it happens at all follows from sequential consistency (every access involved is
 * volatile or a CAS): of a reader clearing its slot and a retirer scanning, at least one sees the
 * other's write, so the last protection to go always finds nothing left and frees. That a freed
 * block is never read: a hazard that validated before retirement is announced during every scan
 * after it, and one claimed after retirement fails validation and is never used; a counted
 * reference taken after retirement ({@link Entry#pinUnlessFreed}, for sharing an open lease)
 * makes the freeing CAS fail.
 *
 * <p>A hazard slot held by a lease that is never closed stays taken (a leak detector that tracks the
 * lease clears it); the entry then stays allocated, as with a counted reference that is never
 * dropped. The jcstress tests {@code ReclaimFreesOnce} and {@code ReclaimNeverFreesRead} check
 * both claims.
 */
public final class Reclaimer {
    /** The guard of a protection that is a counted reference, not a hazard slot. */
    public static final int COUNTED = -1;
    /** {@link #tryProtect}: the caller's stripe has no free slot; fall back to a counted pin. */
    public static final int NO_SLOT = -2;
    /** {@link #tryProtect}: the entry was retired before it could be protected; look it up again. */
    public static final int RETIRED = -3;

    private final HazardSlots hazards = new HazardSlots();
    private final NativeAllocator allocator;
    private final StatsCounter stats;

    public Reclaimer(NativeAllocator allocator, StatsCounter stats) {
        this.allocator = allocator;
        this.stats = stats;
    }

    /**
     * Protects an entry just read from the index with a hazard slot of the calling thread's stripe
     * ({@code thread} is its {@link ThreadIndex#current()}), writing no shared line.
     *
     * @return the slot, the guard to {@link #release} it with; {@link #NO_SLOT}; or {@link #RETIRED}
     */
    public int tryProtect(Entry entry, int thread) {
        int slot = hazards.claim(entry, thread);
        if (slot < 0) {
            return NO_SLOT;
        }
        if (entry.isRetired()) {  // read after the claim's fence: a retirer scanning now sees the slot
            release(entry, slot);  // and may have left the free to us
            return RETIRED;
        }
        return slot;
    }

    /** The entry protected by hazard {@code slot}, which the calling thread claimed. */
    public Entry protectedEntry(int slot) {
        return (Entry) hazards.at(slot);
    }

    /**
     * Drops one protection: a hazard slot, or a counted reference ({@link #COUNTED}). If it was the
     * last, the block is freed now, on the calling thread.
     */
    public void release(Entry entry, int guard) {
        if (guard == COUNTED) {
            if (entry.unpin()) {
                free(entry);
            }
        } else {
            hazards.clear(guard);
            if (entry.isUnreferenced()) {  // read after the clear's fence: see the class comment
                free(entry);
            }
        }
    }

    /** Frees a retired, unreferenced entry's block unless a hazard slot still announces it. */
    private void free(Entry entry) {
        if (!hazards.protects(entry) && entry.claimFree()) {
            allocator.free(entry.address(), entry.byteSize());
            stats.recordFreed(entry.byteSize());
        }
    }
}
