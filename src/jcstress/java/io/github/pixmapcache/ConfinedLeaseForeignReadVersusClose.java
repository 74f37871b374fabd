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
 * Another thread reads a confined lease, which has no arena, while its owner closes it and removes
 * the entry (so the block is freed at the close). r1: 1 once the owner published the lease;
 * r2: what the other thread got: 0 nothing published yet, 1 {@link WrongThreadException},
 * 2 {@link IllegalStateException} (closed), 3 a pixel, which must never happen; r3: native bytes
 * left after the cache closes.
 */
@JCStressTest
@Description("A foreign read of a view-less confined lease racing its owner's close: always refused, never a pixel")
@Outcome(id = "1, [012], 0", expect = ACCEPTABLE, desc = "not yet published, refused as another thread's, or refused as closed")
@Outcome(id = ".*, 3, .*", expect = FORBIDDEN, desc = "another thread read a confined lease's pixels, perhaps freed ones")
@Outcome(id = ".*, 4, .*", expect = FORBIDDEN, desc = "the read failed with an unexpected exception")
@Outcome(id = ".*, [1-9][0-9]*", expect = FORBIDDEN, desc = "native memory leaked after close()")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class ConfinedLeaseForeignReadVersusClose {
    private final StressCache stress = StressCache.holdingA();
    private final PixmapCache<String> cache = stress.cache;
    private volatile Pixmap published;

    @Actor
    public void owner(III_Result r) {
        PixmapLease lease = cache.find("a");
        published = lease.pixmap();
        cache.remove("a");  // the close below frees the block
        lease.close();
        r.r1 = 1;
    }

    @Actor
    public void stranger(III_Result r) {
        Pixmap pixmap = published;
        if (pixmap == null) {
            r.r2 = 0;
            return;
        }
        try {
            pixmap.getArgb(0, 0);
            r.r2 = 3;
        } catch (WrongThreadException e) {
            r.r2 = 1;
        } catch (IllegalStateException e) {
            r.r2 = 2;
        } catch (RuntimeException e) {
            r.r2 = 4;
        }
    }

    @Arbiter
    public void closeAndCountLeaks(III_Result r) {
        r.r3 = stress.closeAndCountLeaks();
    }
}
