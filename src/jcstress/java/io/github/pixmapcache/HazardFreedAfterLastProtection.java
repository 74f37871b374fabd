package io.github.pixmapcache;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Claim: a block is freed after its last protection goes, by one of the two that let go, before
 * they return: the cache starts no thread, so an idle cache has nobody left to free it later. The
 * reader releases its hazard slot (a release store, no fence) exactly while the cache retires the
 * entry and scans: the scan may miss the clear still in flight, and the reader's load of the
 * entry's state may pass its own clear; the retirer then rereads the announcing slot until the
 * clear shows. The arbiter calls nothing: r1 is the blocks freed when both actors are done.
 */
@JCStressTest
@Description("Release-store clear racing retirement, then an idle cache: the block is already freed, once")
@Outcome(id = "1", expect = ACCEPTABLE, desc = "freed by whichever went last")
@Outcome(id = "0", expect = FORBIDDEN, desc = "not freed: an idle cache keeps a block nobody protects")
@Outcome(expect = FORBIDDEN, desc = "anything else: freed twice")
@State
public class HazardFreedAfterLastProtection {
    private final StressEntry stress = new StressEntry();
    /** Claimed before the actors start; any thread may release a slot. */
    private final int slot = stress.protect(0);

    @Actor
    public void readerReleases() {
        stress.release(slot);
    }

    @Actor
    public void cacheDropsItsReference() {
        stress.dropCachesReference();
    }

    @Arbiter
    public void freedWhenBothReturned(I_Result r) {
        r.r1 = stress.frees();
    }
}
