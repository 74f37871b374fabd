package io.github.pixmapcache;

import static io.github.pixmapcache.StressPixmaps.CLOSED;
import static io.github.pixmapcache.StressPixmaps.NEW;
import static io.github.pixmapcache.StressPixmaps.OTHER;
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
 * close() of the cache racing a find, a keyed insert and an anonymous insert (made in that order by
 * the other thread). Each completes or throws the documented IllegalStateException ("the cache is
 * closed"); no other exception, and nothing an insert copied survives the close. r1: the find (6 = refused as closed); r2, r3: the
 * inserts (1 = completed, 6 = refused); r4: native bytes left once everything has returned.
 */
@JCStressTest
@Description("close() racing finds and inserts: each completes or throws IllegalStateException; nothing leaks")
@Outcome(id = "[016], [16], [16], 0", expect = ACCEPTABLE, desc = "each call completed (a find may miss: close() had taken the entry out) or was refused as closed")
@Outcome(id = ".*, [1-9][0-9]*", expect = FORBIDDEN, desc = "native memory leaked: an insert published into a closed cache, or a copy was never freed")
@Outcome(id = "[2-5], .*", expect = FORBIDDEN, desc = "the find read another pixmap, a torn one or freed memory")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class CloseVersusFindAndInsert {
    private static final int COMPLETED = 1;

    private final StressCache stress = StressCache.holdingA();
    private final PixmapCache<String> cache = stress.cache;

    @Actor
    public void findAndInsert(IIII_Result r) {
        r.r1 = find();
        r.r2 = completed(() -> cache.insert("b", StressPixmaps.source(NEW)));
        r.r3 = completed(() -> cache.insert(StressPixmaps.source(OTHER)));
    }

    @Actor
    public void close() {
        cache.close();
    }

    @Arbiter
    public void countLeaks(IIII_Result r) {
        r.r4 = stress.closeAndCountLeaks();
    }

    private int find() {
        try {
            return StressPixmaps.readAndClose(cache.find("a"));
        } catch (IllegalStateException e) {
            return refused(e);
        }
    }

    private static int completed(Runnable call) {
        try {
            call.run();
            return COMPLETED;
        } catch (IllegalStateException e) {
            return refused(e);
        }
    }

    private static int refused(IllegalStateException e) {
        if (StressPixmaps.isCacheClosed(e)) {
            return CLOSED;
        }
        throw e;
    }
}
