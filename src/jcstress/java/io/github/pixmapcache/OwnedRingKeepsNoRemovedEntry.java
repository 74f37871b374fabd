package io.github.pixmapcache;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.policy.ReadBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Claim: a platform thread's read ring, written with plain and release stores, keeps no reference
 * to an entry the cache let go. The reader does what a hit does (Engine.protectHit): notes the
 * read in its own ring, claims a hazard slot (the one CAS), settles the note by whether the entry
 * is still cached, and releases. The cache removes the entry meanwhile: uncaches it (a volatile
 * write), then drains every ring. The arbiter drains once more: r1 is the reads of the entry the
 * rings still held, which must be 0, or an idle cache would keep the entry and its key.
 */
@JCStressTest
@Description("A hit's note in its own ring racing a remove's drain: the ring keeps no reference")
@Outcome(id = "0", expect = ACCEPTABLE, desc = "the remove's drain took the read, or the reader scrubbed its note")
@Outcome(id = "1", expect = FORBIDDEN, desc = "the ring kept a read of an entry the cache let go")
@Outcome(expect = FORBIDDEN, desc = "anything else: a read drained twice")
@State
public class OwnedRingKeepsNoRemovedEntry {
    /** The reader's owned number: it alone writes this ring. */
    private static final int READER = 0;

    private final StressEntry stress = new StressEntry();
    private final Entry entry = stress.entry;
    private final ReadBuffer<Entry> reads = new ReadBuffer<>(Entry::isCachedNow);

    public OwnedRingKeepsNoRemovedEntry() {
        entry.setCached(true);
    }

    @Actor
    public void readerHits() {
        stress.hitNotedIn(reads, READER);
    }

    @Actor
    public void cacheRemoves() {
        entry.setCached(false);
        reads.drainAll(read -> { });
    }

    @Arbiter
    public void readsLeft(I_Result r) {
        int[] left = {0};
        reads.drainTo(read -> left[0]++);
        r.r1 = left[0];
    }
}
