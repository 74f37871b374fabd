package io.github.pixmapcache;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Every reference to one entry dropped at once. Each thread finds the entry (a confined lease of
 * its own) and closes that lease, then closes the one shared lease both threads hold (the same
 * lease closed twice, concurrently); the second thread then removes the entry, dropping the
 * cache's own reference. r1, r2: 1 if a thread's closes or removal threw (a double free trips the
 * test allocator, a second unpin the entry); r3: how many blocks the allocator freed, which must
 * be exactly one, the entry's.
 */
@JCStressTest
@Description("Lease close racing lease close of the same entry and the cache's own release: the memory is freed exactly once")
@Outcome(id = "0, 0, 1", expect = ACCEPTABLE, desc = "freed exactly once, by whichever reference went last")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "never freed: a reference count lost a decrement")
@Outcome(id = ".*, ([2-9]|[1-9][0-9]+)", expect = FORBIDDEN, desc = "freed more than once")
@Outcome(id = ".*1.*, 1", expect = FORBIDDEN, desc = "a close or the removal threw: a double free or a second unpin")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class LeaseCloseRace {
    private final StressCache stress = StressCache.holdingA();
    private final PixmapCache<String> cache = stress.cache;
    private final PixmapLease shared;

    public LeaseCloseRace() {
        try (PixmapLease lease = cache.find("a")) {
            shared = lease.share();
        }
    }

    @Actor
    public void closeOwnThenShared(III_Result r) {
        r.r1 = threw(() -> {
            closeOwnLease();
            shared.close();
        });
    }

    @Actor
    public void closeOwnThenSharedThenRemove(III_Result r) {
        r.r2 = threw(() -> {
            closeOwnLease();
            shared.close();
            cache.remove("a");
        });
    }

    @Arbiter
    public void countFrees(III_Result r) {
        cache.close();  // the entry is removed: this only frees what a racing release left deferred
        r.r3 = (int) stress.allocator.frees();
    }

    /** Takes and drops a confined lease of this thread's own; a miss (already removed) is fine. */
    private void closeOwnLease() {
        PixmapLease own = cache.find("a");
        if (own != null) {
            own.close();
        }
    }

    private static int threw(Runnable drops) {
        try {
            drops.run();
            return 0;
        } catch (RuntimeException | AssertionError e) {
            return 1;
        }
    }
}
