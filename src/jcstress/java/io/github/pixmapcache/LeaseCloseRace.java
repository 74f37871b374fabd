package io.github.pixmapcache;

import static io.github.pixmapcache.StressPixmaps.OLD;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The references to one entry dropped at once: one thread closes a shared lease; the other closes
 * the same lease too, then a second shared lease on the entry, then removes the entry (the cache's
 * own reference). r1..r3: 1 if that close threw (a double free trips the test allocator); r4: how
 * many blocks the allocator freed, which must be exactly one, the entry's.
 */
@JCStressTest
@Description("Lease close racing lease close of the same entry and the cache's own release: the memory is freed exactly once")
@Outcome(id = "0, 0, 0, 1", expect = ACCEPTABLE, desc = "freed exactly once, by whichever reference went last")
@Outcome(id = ".*, 0", expect = FORBIDDEN, desc = "never freed: a reference count lost a decrement")
@Outcome(id = ".*, ([2-9]|[1-9][0-9]+)", expect = FORBIDDEN, desc = "freed more than once")
@Outcome(id = ".*1.*, 1", expect = FORBIDDEN, desc = "a close threw: a double free or a second unpin")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class LeaseCloseRace {
    private final TestAllocator allocator = new TestAllocator();
    private final PixmapCache<String> cache = allocator.<String>builder().build();
    private final PixmapLease first;
    private final PixmapLease second;

    public LeaseCloseRace() {
        cache.insert("a", StressPixmaps.source(OLD));
        try (PixmapLease lease = cache.find("a")) {
            first = lease.share();
            second = lease.share();
        }
    }

    @Actor
    public void closeFirst(IIII_Result r) {
        r.r1 = threw(first);
    }

    @Actor
    public void closeFirstAndSecondThenRemove(IIII_Result r) {
        r.r2 = threw(first);
        r.r3 = threw(second);
        cache.remove("a");
    }

    @Arbiter
    public void countFrees(IIII_Result r) {
        r.r4 = (int) allocator.frees();
        cache.close();
    }

    private static int threw(PixmapLease lease) {
        try {
            lease.close();
            return 0;
        } catch (RuntimeException | AssertionError e) {
            return 1;
        }
    }
}
