package io.github.pixmapcache.internal.reclaim;

import io.github.pixmapcache.internal.concurrent.GuardedBy;
import io.github.pixmapcache.internal.concurrent.ThreadState;
import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.memory.NativeAllocator;
import io.github.pixmapcache.internal.stats.StatsCounter;
import java.util.ArrayList;
import java.util.List;

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
 * moves the state from retired-and-unreferenced to freed; an entry a slot still announces goes on
 * the <em>deferred</em> list, which {@link #freeDeferred()} scans again on every cache mutation and
 * every protection released. The claim makes the free happen at most once. The cache starts no
 * thread for any of this.
 *
 * <p>That it happens, also when the cache is idle afterwards: a hazard slot is cleared with a
 * release store and no fence, so a reader clearing its slot and a retirer scanning may miss each
 * other: the reader's load of the entry's state passes its own clear (a store still in its
 * processor's store buffer) and reads the entry as still referenced, while the scan still sees
 * the slot. That is the only way both can miss, and it lasts only until the clear becomes
 * visible, which a processor does within about a microsecond and a context switch at once. So a
 * retirer whose scan sees the entry announced {@linkplain #stillAnnounced rescans} for a while
 * (up to 128 rereads of the announcing slot) before it defers: a clear in flight shows up, and the retirer
 * frees the block itself. A slot still announcing the entry after that belongs to a reader that
 * had not begun to release when the retirement was made: its own release then reads the entry
 * retired and frees it. In the common case (the lease closes after the retirement is visible) the
 * reader frees it itself, at once. This is standard hazard pointers: a find plus close pays one
 * StoreLoad, the claim's; only a retirer racing a reader pays a few microseconds of rescans.
 *
 * <p>That a freed block is never read: a hazard that validated before retirement is announced
 * during every scan after it until its release store, which orders every read of the block
 * before it; one claimed after retirement fails validation and is never used; a counted
 * reference taken after retirement ({@link Entry#pinUnlessFreed}, for sharing an open lease)
 * makes the freeing CAS fail.
 *
 * <p>A hazard slot held by a lease that is never closed stays taken (a leak detector that tracks the
 * lease clears it); the entry then stays allocated, as with a counted reference that is never
 * dropped. The jcstress tests {@code ReclaimFreesOnce}, {@code ReclaimNeverFreesRead},
 * {@code HazardFreedExactlyOnce}, {@code HazardNeverFreedWhileProtected} and
 * {@code HazardFreedAfterLastProtection} check these claims.
 */
public final class Reclaimer {
    /** The guard of a protection that is a counted reference, not a hazard slot. */
    public static final int COUNTED = -1;
    /** {@link #tryProtect}: the caller's stripe has no free slot; fall back to a counted pin. */
    public static final int NO_SLOT = -2;
    /** {@link #tryProtect}: the entry was retired before it could be protected; look it up again. */
    public static final int RETIRED = -3;

    private final HazardSlots hazards = new HazardSlots();
    /** Retired, unreferenced entries a scan found announced; rescanned by {@link #freeDeferred()}. */
    @GuardedBy("deferred")
    private final List<Entry> deferred = new ArrayList<>();
    /** How many entries {@link #deferred} holds; read without its lock, so that the common scan costs one load. */
    private volatile int deferredCount;
    /** Rereads of an announcing slot a retirer makes before it defers the entry: a few microseconds. */
    private static final int RESCANS = 128;
    private final NativeAllocator allocator;
    private final StatsCounter stats;

    public Reclaimer(NativeAllocator allocator, StatsCounter stats) {
        this.allocator = allocator;
        this.stats = stats;
    }

    /**
     * Protects an entry just read from the index with a hazard slot of the calling thread's stripe
     * ({@code thread} is its {@link ThreadState#index()}), writing no shared line.
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
     * last, the block is freed now, on the calling thread, or by a later {@link #freeDeferred()}.
     */
    public void release(Entry entry, int guard) {
        if (guard == COUNTED) {
            if (entry.unpin()) {
                free(entry);
            }
        } else {
            hazards.clear(guard);
            if (entry.isUnreferenced()) {  // may pass the clear: see the class comment
                free(entry);
            }
        }
        freeDeferred();  // so that an idle cache's deferred blocks go with the next lease that closes
    }

    /**
     * Frees every deferred entry that no hazard slot announces any more; the rest stay deferred.
     * Cheap when there are none (one volatile load): callers run it after every change.
     */
    public void freeDeferred() {
        if (deferredCount == 0) {
            return;
        }
        List<Entry> scanned;
        synchronized (deferred) {
            scanned = new ArrayList<>(deferred);
            deferred.clear();
            deferredCount = 0;
        }
        scanned.forEach(entry -> free(entry, false));  // no rescans: a deferred entry's clear is not in flight
    }

    /** Frees a retired, unreferenced entry's block, or defers it if a hazard slot still announces it. */
    private void free(Entry entry) {
        free(entry, true);
    }

    /** As {@link #free(Entry)}; {@code patient}: rescans a while before it defers (see the class comment). */
    private void free(Entry entry, boolean patient) {
        if (patient ? stillAnnounced(entry) : hazards.protects(entry)) {
            synchronized (deferred) {
                deferred.add(entry);
                deferredCount = deferred.size();
            }
        } else if (entry.claimFree()) {
            allocator.free(entry.address(), entry.byteSize());
            stats.recordFreed(entry.byteSize());
            if (deferredCount != 0) {
                forget(entry);  // deferred by a racing releaser: keep no reference to what is freed
            }
        }
    }

    /**
     * Whether a hazard slot still announces {@code entry} after up to {@value #RESCANS} rereads of
     * the slots that announce it: a clear racing the first scan (see the class comment) has become
     * visible by then.
     */
    private boolean stillAnnounced(Entry entry) {
        int rereads = 0;
        for (int slot = hazards.slotOf(entry); slot >= 0; slot = hazards.slotOf(entry)) {
            for (; hazards.announces(slot, entry); rereads++) {
                if (rereads == RESCANS) {
                    return true;
                }
                Thread.onSpinWait();
            }
        }
        return false;
    }

    private void forget(Entry freed) {
        synchronized (deferred) {
            deferred.removeIf(entry -> entry == freed);
            deferredCount = deferred.size();
        }
    }
}
