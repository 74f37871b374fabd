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
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * Claim: a repeated read, coalesced into the thread's earlier note of the same entry, keeps no
 * reference to an entry the cache let go, and the remove's drain takes the earlier note. The
 * reader's ring already holds a kept read of the entry (its earlier hit); the reader reads it again
 * as a hit does (Engine.protectHit): notes it (a repeat: nothing written), claims a hazard slot,
 * settles by whether the entry is still cached, and releases. The cache removes the entry
 * meanwhile: uncaches it (a volatile write), then drains every ring. r1 is the reads the remove's
 * drain took (1 or 2: the earlier note, with the repeat if the repeat was counted before the drain
 * read it); r2 is the reads the rings still held afterwards, which must be 0.
 */
@JCStressTest
@Description("A repeated read coalesced into its earlier note, racing a remove's drain: the ring keeps no reference")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "the drain took the earlier note; the repeat was not kept, or lost to the drain")
@Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "the drain took the earlier note and the repeat counted beside it")
@Outcome(expect = FORBIDDEN, desc = "anything else: the ring kept a read of the entry the cache let go (r2 > 0), or lost or invented one")
@State
public class OwnedRingRepeatKeepsNoRemovedEntry {
    /** The reader's owned number: it alone writes this ring. */
    private static final int READER = 0;

    private final StressEntry stress = new StressEntry();
    private final Entry entry = stress.entry;
    private final ReadBuffer<Entry> reads = new ReadBuffer<>(Entry::isCachedNow);
    private int drained;

    public OwnedRingRepeatKeepsNoRemovedEntry() {
        entry.setCached(true);
        reads.settle(READER, reads.note(entry, READER), true, true);  // the earlier hit, kept
    }

    @Actor
    public void readerHitsAgain() {
        stress.hitNotedIn(reads, READER);
    }

    @Actor
    public void cacheRemoves() {
        entry.setCached(false);
        reads.drainAll(read -> drained++);
    }

    @Arbiter
    public void readsLeft(II_Result r) {
        int[] left = {0};
        reads.drainTo(read -> left[0]++);
        r.r1 = drained;
        r.r2 = left[0];
    }
}
