package io.github.pixmapcache;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.reclaim.Reclaimer;
import io.github.pixmapcache.internal.concurrent.ThreadState;
import io.github.pixmapcache.internal.stats.StatsCounter;
import io.github.pixmapcache.testing.TestAllocator;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The reclaimer's claim that a block is freed exactly once. Three protections of one entry go at
 * once, from two threads: one thread protects the entry with a hazard slot, drops the cache's
 * counted reference (retiring the entry, as a remove under one's own lease does) and then releases
 * its slot; the other protects the entry, hands over to a counted reference (as {@code share()}
 * does) and releases both. Whichever goes last must free the block; no two may. r1, r2: 1 if that
 * thread's reader got a protection (the second may find the entry already retired); r3: blocks
 * freed, which must be exactly one (the test allocator also throws on a double free).
 */
@JCStressTest
@Description("Hazard-slot and counted protections released concurrently: the block is freed exactly once")
@Outcome(id = "[01], [01], 1", expect = ACCEPTABLE, desc = "freed exactly once, by whichever protection went last")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "never freed: the last release missed the others")
@Outcome(id = ".*, ([2-9]|-1)", expect = FORBIDDEN, desc = "freed twice, or a release threw")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ReclaimFreesOnce {
    private final TestAllocator allocator = new TestAllocator();
    private final Reclaimer reclaimer = new Reclaimer(allocator, new StatsCounter());
    private final Entry entry = ReclaimEntries.cachedEntry(allocator);
    private volatile boolean threw;

    @Actor
    public void readerRetiresThenReleases(III_Result r) {
        guard(() -> {
            // The entry is live: only this thread retires it.
            int slot = reclaimer.tryProtect(entry, ThreadState.current().index());
            r.r1 = slot >= 0 ? 1 : 0;
            reclaimer.release(entry, Reclaimer.COUNTED);
            if (slot >= 0) {
                reclaimer.release(entry, slot);
            }
        });
    }

    @Actor
    public void readerHandsOverToACount(III_Result r) {
        guard(() -> {
            int slot = reclaimer.tryProtect(entry, ThreadState.current().index());
            if (slot >= 0) {
                r.r2 = 1;
                boolean pinned = entry.pinUnlessFreed();  // held by the slot, so it cannot fail
                reclaimer.release(entry, slot);
                if (pinned) {
                    reclaimer.release(entry, Reclaimer.COUNTED);
                } else {
                    threw = true;
                }
            }
        });
    }

    @Arbiter
    public void countFrees(III_Result r) {
        reclaimer.freeDeferred();  // what the next cache mutation does
        r.r3 = threw ? -1 : (int) allocator.frees();
    }

    private void guard(Runnable release) {
        try {
            release.run();
        } catch (RuntimeException | AssertionError e) {
            threw = true;
        }
    }
}
