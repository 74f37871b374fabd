package io.github.pixmapcache;

import static io.github.pixmapcache.StressPixmaps.NEW;
import static io.github.pixmapcache.StressPixmaps.OLD;
import static io.github.pixmapcache.StressPixmaps.OTHER;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.pixmapcache.PixmapCache.Key;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Qt's bug, here impossible: one Key shared by two threads. One finds through it, removes it and
 * finds through it again; the other replaces its pixmap, then inserts another pixmap, which may
 * take the freed slot and the freed memory. r1, r2: what the two finds read; r3: 1 if the replace
 * took effect; r4: native bytes left after close().
 */
@JCStressTest
@Description("A Key shared by threads that find, replace and remove through it while another pixmap is inserted")
@Outcome(id = "1, 0, [01], 0", expect = ACCEPTABLE, desc = "the old pixmap, wholly; the key is dead after the remove")
@Outcome(id = "2, 0, 1, 0", expect = ACCEPTABLE, desc = "the new pixmap, wholly; the key is dead after the remove")
@Outcome(id = "2, .*, 0, .*", expect = FORBIDDEN, desc = "the new pixmap, though the replace failed")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "a miss before anyone removed the key")
@Outcome(id = "[12], [123], .*", expect = FORBIDDEN, desc = "a pixmap through a removed Key: a stale Key reached a live or reused slot")
@Outcome(id = "(3, .*|.*, 3, .*)", expect = FORBIDDEN, desc = "the pixmap inserted after the remove, read through the old Key")
@Outcome(id = "([45], .*|.*, [45], .*)", expect = FORBIDDEN, desc = "freed (4) or torn (5) memory read through a lease")
@Outcome(id = "[12], 0, [01], [1-9][0-9]*", expect = FORBIDDEN, desc = "native memory leaked after close()")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class SharedKeyFindReplaceRemove {
    private final StressCache stress = StressCache.empty();
    private final PixmapCache<String> cache = stress.cache;
    private final Key key = cache.insert(StressPixmaps.source(OLD));

    @Actor
    public void findRemoveFind(IIII_Result r) {
        r.r1 = StressPixmaps.readAndClose(cache.find(key));
        cache.remove(key);
        r.r2 = StressPixmaps.readAndClose(cache.find(key));
    }

    @Actor
    public void replaceThenInsert(IIII_Result r) {
        r.r3 = cache.replace(key, StressPixmaps.source(NEW)) ? 1 : 0;
        cache.insert(StressPixmaps.source(OTHER));
    }

    @Arbiter
    public void closeAndCountLeaks(IIII_Result r) {
        r.r4 = stress.closeAndCountLeaks();
    }
}
