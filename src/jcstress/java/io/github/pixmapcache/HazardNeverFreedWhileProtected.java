package io.github.pixmapcache;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.pixmapcache.internal.concurrent.ThreadState;
import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.reclaim.Reclaimer;
import io.github.pixmapcache.internal.stats.StatsCounter;
import io.github.pixmapcache.testing.TestAllocator;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Claim: a block is never freed while a hazard slot protects it. A reader claims a slot and, while
 * holding it, checks twice that the block is neither freed (the allocator's count) nor poisoned,
 * before releasing it with a release store; meanwhile the cache drops its reference and scans the
 * deferred list twice (as two mutations would). r1: 0 the reader found the entry retired and backed
 * off, 1 it held the live block throughout, 2 the block was freed while it held it; r2: blocks freed
 * after one more scan (exactly 1).
 */
@JCStressTest
@Description("Hazard-slot reader versus retirement and repeated scans: never freed while protected")
@Outcome(id = "[01], 1", expect = ACCEPTABLE, desc = "the reader held the live block throughout, or backed off; freed once")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "freed while a hazard slot protected it")
@Outcome(expect = FORBIDDEN, desc = "anything else: freed never or twice")
@State
public class HazardNeverFreedWhileProtected {
    private final TestAllocator allocator = new TestAllocator();
    private final Reclaimer reclaimer = new Reclaimer(allocator, new StatsCounter());
    private final Entry entry = ReclaimEntries.cachedEntry(allocator);

    @Actor
    public void reader(II_Result r) {
        int slot = reclaimer.tryProtect(entry, ThreadState.current().index());
        if (slot >= 0) {
            boolean intact = allocator.frees() == 0 && !ReclaimEntries.isPoisoned(entry);
            intact &= allocator.frees() == 0 && !ReclaimEntries.isPoisoned(entry);
            r.r1 = intact ? 1 : 2;
            reclaimer.release(entry, slot);
        }
    }

    @Actor
    public void cacheDropsItsReferenceAndScans() {
        reclaimer.release(entry, Reclaimer.COUNTED);
        reclaimer.freeDeferred();
        reclaimer.freeDeferred();
    }

    @Arbiter
    public void countFrees(II_Result r) {
        reclaimer.freeDeferred();
        r.r2 = (int) allocator.frees();
    }
}
