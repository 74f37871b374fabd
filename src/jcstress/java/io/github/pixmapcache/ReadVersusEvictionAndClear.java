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
 * {@link LazyLeaseVersusEvictionAndClear} for {@code read(key, reader)}: the read's protection,
 * taken in a method of its own (protectedHit) and handed to the reader's method, is all that keeps
 * the reader off freed or reused memory. r1: what the reader read; r2: native bytes left after close().
 */
@JCStressTest
@Description("read(key, reader) racing eviction and clear(): the reader is not called, or reads its pixmap intact")
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "miss: the read came after the eviction or the clear")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the pinned pixmap, intact")
@Outcome(id = "[23], .*", expect = FORBIDDEN, desc = "another pixmap's bytes: the reader read memory reused after a free")
@Outcome(id = "4, .*", expect = FORBIDDEN, desc = "freed memory read by a reader")
@Outcome(id = "5, .*", expect = FORBIDDEN, desc = "a torn pixmap: bytes of two pixmaps, or of none")
@Outcome(id = "[01], [1-9][0-9]*", expect = FORBIDDEN, desc = "native memory leaked after close()")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ReadVersusEvictionAndClear {
    private final StressCache stress = StressCache.holdingOnlyA();
    private final PixmapCache<String> cache = stress.cache;

    @Actor
    public void read(II_Result r) {
        Integer read = cache.read("a", StressPixmaps::readPixels);
        r.r1 = read == null ? StressPixmaps.MISS : read;
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
