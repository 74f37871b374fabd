package io.github.pixmapcache;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.pixmapcache.internal.reclaim.Reclaimer;
import io.github.pixmapcache.internal.concurrent.ThreadState;
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
    private final StressEntry stress = new StressEntry();

    @Actor
    public void readerRetiresThenReleases(III_Result r) {
        stress.guard(() -> {
            // The entry is live: only this thread retires it.
            int slot = stress.protect(ThreadState.current().index());
            r.r1 = slot >= 0 ? 1 : 0;
            stress.dropCachesReference();
            if (slot >= 0) {
                stress.release(slot);
            }
        });
    }

    @Actor
    public void readerHandsOverToACount(III_Result r) {
        stress.guard(() -> {
            int slot = stress.protect(ThreadState.current().index());
            if (slot >= 0) {
                r.r2 = 1;
                boolean pinned = stress.entry.pinUnlessFreed();  // held by the slot, so it cannot fail
                stress.release(slot);
                if (pinned) {
                    stress.release(Reclaimer.COUNTED);  // the count this reader took, not the cache's
                } else {
                    stress.fail();
                }
            }
        });
    }

    @Arbiter
    public void countFrees(III_Result r) {
        stress.freeDeferred();  // what the next cache mutation does
        r.r3 = stress.threw() ? -1 : stress.frees();
    }
}
