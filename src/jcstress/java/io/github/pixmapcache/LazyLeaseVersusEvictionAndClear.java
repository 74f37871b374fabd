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
 * {@link LeaseVersusEvictionAndClear} for a lease that never makes its arena: the find reads every
 * pixel through {@code getArgb} only, so the lease's own owner check and its protection are all
 * that keep the read off freed or reused memory. r1: what the find read; r2: native bytes left
 * after close().
 */
@JCStressTest
@Description("A lease read without a view racing eviction and clear(): the acquirer misses or reads its pixmap intact")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "miss: the find came after the eviction or the clear")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the pinned pixmap, intact")
@Outcome(id = "[23], .*", expect = FORBIDDEN, desc = "another pixmap's bytes: the lease read memory reused after a free")
@Outcome(id = "4, .*", expect = FORBIDDEN, desc = "freed memory read through a lease")
@Outcome(id = "5, .*", expect = FORBIDDEN, desc = "a torn pixmap: bytes of two pixmaps, or of none")
@Outcome(id = "[01], [1-9][0-9]*", expect = FORBIDDEN, desc = "native memory leaked after close()")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class LazyLeaseVersusEvictionAndClear {
    private final StressCache stress = StressCache.holdingOnlyA();
    private final PixmapCache<String> cache = stress.cache;

    @Actor
    public void find(II_Result r) {
        r.r1 = StressPixmaps.readPixelsAndClose(cache.find("a"));
    }

    @Actor
    public void evictClearInsert() {
        stress.evictClearInsert();
    }

    @Arbiter
    public void closeAndCountLeaks(II_Result r) {
        r.r2 = stress.closeAndCountLeaks();
    }
}
