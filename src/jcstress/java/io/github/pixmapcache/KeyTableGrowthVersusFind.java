package io.github.pixmapcache;

import static io.github.pixmapcache.StressPixmaps.OLD;
import static io.github.pixmapcache.StressPixmaps.OTHER;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.pixmapcache.PixmapCache.Key;
import io.github.pixmapcache.internal.index.KeyTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The key table is full, so the next anonymous insert grows it: a new table is filled, published,
 * and the old one retired (its view closed, then its memory freed). Finds through every eighth
 * existing key race that growth. r1: what they read, OLD (1) if every one hit its pixmap intact,
 * else the outcome of the first that did not; r2: native bytes left after close().
 */
@JCStressTest
@Description("Key-table growth racing find(Key) on existing keys: every find hits its own pixmap")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "every find hit its pixmap, intact")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "a valid key missed: a find read a retired or half-built table")
@Outcome(id = "[2-5], .*", expect = FORBIDDEN, desc = "a find read another pixmap, a torn one or freed memory")
@Outcome(id = "1, [1-9][0-9]*", expect = FORBIDDEN, desc = "native memory leaked after close()")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class KeyTableGrowthVersusFind {
    private static final int FIND_STRIDE = 8;

    private final StressCache stress = StressCache.empty();
    private final PixmapCache<String> cache = stress.cache;
    private final Key[] keys = new Key[KeyTable.INITIAL_CAPACITY];

    public KeyTableGrowthVersusFind() {
        for (int i = 0; i < keys.length; i++) {
            keys[i] = cache.insert(StressPixmaps.source(OLD));
        }
    }

    @Actor
    public void findEveryEighth(II_Result r) {
        r.r1 = OLD;
        for (int i = 0; i < keys.length && r.r1 == OLD; i += FIND_STRIDE) {
            r.r1 = StressPixmaps.readAndClose(cache.find(keys[i]));
        }
    }

    @Actor
    public void grow() {
        cache.insert(StressPixmaps.source(OTHER));
    }

    @Arbiter
    public void closeAndCountLeaks(II_Result r) {
        r.r2 = stress.closeAndCountLeaks();
    }
}
