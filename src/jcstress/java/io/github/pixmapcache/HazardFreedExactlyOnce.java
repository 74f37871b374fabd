package io.github.pixmapcache;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

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
    private final TestAllocator allocator = new TestAllocator();
    private final Reclaimer reclaimer = new Reclaimer(allocator, new StatsCounter());
    private final Entry entry = ReclaimEntries.cachedEntry(allocator);
    /** Claimed before the actors start, in two different stripes; any thread may release a slot. */
    private final int first = reclaimer.tryProtect(entry, 0);
    private final int second = reclaimer.tryProtect(entry, 1);
    private volatile boolean threw;

    @Actor
    public void firstReaderReleasesThenScans() {
        guard(() -> {
            reclaimer.release(entry, first);
            reclaimer.freeDeferred();
        });
    }

    @Actor
    public void cacheDropsItsReferenceThenSecondReaderReleases() {
        guard(() -> {
            reclaimer.release(entry, Reclaimer.COUNTED);
            reclaimer.release(entry, second);
        });
    }

    @Arbiter
    public void countFrees(II_Result r) {
        r.r1 = (int) allocator.frees();
        reclaimer.freeDeferred();
        r.r2 = threw || first < 0 || second < 0 ? -1 : (int) allocator.frees();
    }

    private void guard(Runnable release) {
        try {
            release.run();
        } catch (RuntimeException | AssertionError e) {
            threw = true;
        }
    }
}
