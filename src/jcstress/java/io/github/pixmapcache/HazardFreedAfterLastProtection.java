package io.github.pixmapcache;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
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
 * Claim: a block is freed eventually after its last protection goes, with nobody but the
 * reclaimer itself left to act. The reader releases its hazard slot (a release store, no fence)
 * exactly while the cache retires the entry and scans: both may miss each other. Then nothing
 * touches the cache again; the arbiter waits for the reclaimer's own rescan (bounded: 5 s). r1:
 * blocks freed when the actors are done (0: the race deferred it); r2: blocks freed in the end,
 * which must be exactly 1.
 */
@JCStressTest
@Description("Release-store clear racing retirement, then an idle cache: the block is still freed, once")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "freed at once by whichever went last")
@Outcome(id = "0, 1", expect = ACCEPTABLE_INTERESTING, desc = "the clear and the scan missed each other; the rescan freed it")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "never freed: an idle cache keeps a block nobody protects")
@Outcome(expect = FORBIDDEN, desc = "anything else: freed twice")
@State
public class HazardFreedAfterLastProtection {
    private static final long PATIENCE_NANOS = 5_000_000_000L;

    private final TestAllocator allocator = new TestAllocator();
    private final Reclaimer reclaimer = new Reclaimer(allocator, new StatsCounter());
    private final Entry entry = ReclaimEntries.cachedEntry(allocator);
    /** Claimed before the actors start; any thread may release a slot. */
    private final int slot = reclaimer.tryProtect(entry, 0);

    @Actor
    public void readerReleases() {
        reclaimer.release(entry, slot);
    }

    @Actor
    public void cacheDropsItsReference() {
        reclaimer.release(entry, Reclaimer.COUNTED);
    }

    @Arbiter
    public void awaitTheFree(II_Result r) {
        r.r1 = (int) allocator.frees();
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (allocator.frees() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        r.r2 = (int) allocator.frees();
    }
}
