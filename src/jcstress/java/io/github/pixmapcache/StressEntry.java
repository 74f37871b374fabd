package io.github.pixmapcache;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.policy.ReadBuffer;
import io.github.pixmapcache.internal.reclaim.Reclaimer;
import io.github.pixmapcache.internal.stats.StatsCounter;
import io.github.pixmapcache.testing.TestAllocator;
import java.lang.foreign.MemorySegment;

/**
 * What the reclamation claims race on: one entry over a small zeroed block, its one reference the
 * cache's, and the reclaimer that frees it through a test allocator (which poisons what it frees
 * and throws on a double free).
 */
final class StressEntry {
    /** Bytes of the block: small, so that the C library keeps freed memory mapped and readable. */
    private static final int BYTES = 64;
    /** Where the poison check reads: past the bytes the C library may reuse for its own free list. */
    private static final int PROBE = 32;

    private final TestAllocator allocator = new TestAllocator();
    private final Reclaimer reclaimer = new Reclaimer(allocator, new StatsCounter());
    /** An 8x8 GRAY_8 entry whose one reference is the cache's. */
    final Entry entry;
    private volatile boolean threw;

    StressEntry() {
        long address = allocator.allocate(BYTES);
        MemorySegment.ofAddress(address).reinterpret(BYTES).fill((byte) 0);
        entry = new Entry("key", Entry.KEYED, address, BYTES, 8, 8, PixelFormat.GRAY_8);
    }

    /** Claims a hazard slot on the entry in {@code stripe}, as a hit does: the slot, or negative (none free, or the entry retired). */
    int protect(int stripe) {
        return reclaimer.tryProtect(entry, stripe);
    }

    /** Drops a protection, a hazard slot or {@link Reclaimer#COUNTED}; the last frees the block, now or deferred. */
    void release(int slot) {
        reclaimer.release(entry, slot);
    }

    /**
     * A hit as Engine.protectHit makes it on the platform thread of owned number {@code owner}:
     * notes the read in {@code reads}, claims a hazard slot (the one CAS), settles the note by
     * whether the entry is still cached, and releases.
     */
    void hitNotedIn(ReadBuffer<Entry> reads, int owner) {
        long ticket = reads.note(entry, owner);
        int guard = protect(owner);
        reads.settle(owner, ticket, guard >= 0 && entry.isCachedNow(), guard >= 0);
        if (guard >= 0) {
            release(guard);
        }
    }

    /** Drops the cache's counted reference, retiring the entry, as a remove does. */
    void dropCachesReference() {
        reclaimer.release(entry, Reclaimer.COUNTED);
    }

    /** Frees the retired blocks no slot announces any more, as the next cache mutation does. */
    void freeDeferred() {
        reclaimer.freeDeferred();
    }

    /** Whether the entry's block reads as freed; through an unscoped segment, as only a test may. */
    boolean isPoisoned() {
        return MemorySegment.ofAddress(entry.address()).reinterpret(BYTES).get(JAVA_BYTE, PROBE) == TestAllocator.POISON;
    }

    /** Blocks the allocator has freed so far. */
    int frees() {
        return (int) allocator.frees();
    }

    /** Runs {@code releases}; if one throws (a double free trips the allocator), notes it for {@link #threw()}. */
    void guard(Runnable releases) {
        try {
            releases.run();
        } catch (RuntimeException | AssertionError e) {
            threw = true;
        }
    }

    /** Notes a failure an actor found itself, as {@link #guard} notes a throw. */
    void fail() {
        threw = true;
    }

    /** Whether a guarded release threw or an actor failed. */
    boolean threw() {
        return threw;
    }
}
