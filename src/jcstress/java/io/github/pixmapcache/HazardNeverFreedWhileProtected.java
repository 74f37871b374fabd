package io.github.pixmapcache;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.pixmapcache.internal.concurrent.ThreadState;
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
    private final StressEntry stress = new StressEntry();

    @Actor
    public void reader(II_Result r) {
        int slot = stress.protect(ThreadState.current().index());
        if (slot >= 0) {
            boolean intact = stress.frees() == 0 && !stress.isPoisoned();
            intact &= stress.frees() == 0 && !stress.isPoisoned();
            r.r1 = intact ? 1 : 2;
            stress.release(slot);
        }
    }

    @Actor
    public void cacheDropsItsReferenceAndScans() {
        stress.dropCachesReference();
        stress.freeDeferred();
        stress.freeDeferred();
    }

    @Arbiter
    public void countFrees(II_Result r) {
        stress.freeDeferred();
        r.r2 = stress.frees();
    }
}
