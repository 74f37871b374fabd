package io.github.pixmapcache;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Claim: a block is freed exactly once, though hazard slots are cleared with a release store and
 * every releaser and scanner may try to free it. Two readers hold hazard slots on the entry (in two
 * stripes). One thread releases the first slot and then scans the deferred list (as the next
 * mutation does); the other drops the cache's counted reference (retiring the entry) and then
 * releases the second slot, so that retirement, both releases and the scan race. r1:
 * blocks freed when the actors are done (0 if the last release raced a scan and deferred the
 * block); r2: blocks freed after one more scan, which must be exactly 1 (the test allocator throws
 * on a double free: -1).
 */
@JCStressTest
@Description("Hazard slots cleared by release stores, releases and scans racing: the block is freed exactly once")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "freed once, by the last release")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the last release raced a scan: deferred, freed once by the next scan")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "never freed")
@Outcome(id = ".*, ([2-9]|-1)", expect = FORBIDDEN, desc = "freed twice, or a release threw")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class HazardFreedExactlyOnce {
    private final StressEntry stress = new StressEntry();
    /** Claimed before the actors start, in two different stripes; any thread may release a slot. */
    private final int first = stress.protect(0);
    private final int second = stress.protect(1);

    @Actor
    public void firstReaderReleasesThenScans() {
        stress.guard(() -> {
            stress.release(first);
            stress.freeDeferred();
        });
    }

    @Actor
    public void cacheDropsItsReferenceThenSecondReaderReleases() {
        stress.guard(() -> {
            stress.dropCachesReference();
            stress.release(second);
        });
    }

    @Arbiter
    public void countFrees(II_Result r) {
        r.r1 = stress.frees();
        stress.freeDeferred();
        r.r2 = stress.threw() || first < 0 || second < 0 ? -1 : stress.frees();
    }
}
