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
 * The reclaimer's claim that a freed block is never read. A reader protects the entry with a hazard
 * slot, reads its bytes and releases it, while the cache drops its reference (retiring the entry and
 * freeing the block if no slot announces it). The test allocator poisons every block it frees, so a
 * read of freed memory sees poison. r1: what the reader saw: 0 the entry already retired (no read),
 * 1 the block's zeroes, 2 poison; r2: blocks freed (exactly one).
 */
@JCStressTest
@Description("Hazard-slot reader versus retirement: a protected read never sees a freed block")
@Outcome(id = "[01], 1", expect = ACCEPTABLE, desc = "the reader read the live block, or saw it retired and backed off")
@Outcome(id = "2, .*", expect = FORBIDDEN, desc = "the reader read freed memory")
@Outcome(expect = FORBIDDEN, desc = "anything else: freed never or twice")
@State
public class ReclaimNeverFreesRead {
    private final StressEntry stress = new StressEntry();

    @Actor
    public void reader(II_Result r) {
        int slot = stress.protect(ThreadState.current().index());
        if (slot >= 0) {
            r.r1 = stress.isPoisoned() ? 2 : 1;
            stress.release(slot);
        }
    }

    @Actor
    public void cacheDropsItsReference() {
        stress.dropCachesReference();
    }

    @Arbiter
    public void countFrees(II_Result r) {
        stress.freeDeferred();  // what the next cache mutation does
        r.r2 = stress.frees();
    }
}
