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
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * The key table is full, so the next anonymous insert grows it: a new table is published and the
 * old one retired (its view closed, then its memory freed). Finds through existing keys race that
 * growth. r1, r2: what finds through the first and the last key read (always their pixmap);
 * r3: native bytes left after close().
 */
@JCStressTest
@Description("Key-table growth racing find(Key) on existing keys: every find hits its own pixmap")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "both finds hit their pixmaps, intact")
@Outcome(id = "(0, .*|.*, 0, .*)", expect = FORBIDDEN, desc = "a valid key missed: a find read a retired or half-built table")
@Outcome(id = "([2-5], .*|.*, [2-5], .*)", expect = FORBIDDEN, desc = "a find read another pixmap, a torn one or freed memory")
@Outcome(id = "1, 1, [1-9][0-9]*", expect = FORBIDDEN, desc = "native memory leaked after close()")
@Outcome(expect = FORBIDDEN, desc = "anything else")
@State
public class KeyTableGrowthVersusFind {
    private final TestAllocator allocator = new TestAllocator();
    private final PixmapCache<String> cache = allocator.<String>builder().build();
    private final Key firstKey = cache.insert(StressPixmaps.source(OLD));
    private final Key lastKey;

    public KeyTableGrowthVersusFind() {
        Key key = firstKey;
        for (int i = 1; i < KeyTable.INITIAL_CAPACITY; i++) {
            key = cache.insert(StressPixmaps.source(OLD));
        }
        lastKey = key;
    }

    @Actor
    public void findFirstAndLast(III_Result r) {
        r.r1 = StressPixmaps.readAndClose(cache.find(firstKey));
        r.r2 = StressPixmaps.readAndClose(cache.find(lastKey));
    }

    @Actor
    public void grow() {
        cache.insert(StressPixmaps.source(OTHER));
    }

    @Arbiter
    public void closeAndCountLeaks(III_Result r) {
        cache.close();
        r.r3 = (int) allocator.liveBytes();
    }
}
