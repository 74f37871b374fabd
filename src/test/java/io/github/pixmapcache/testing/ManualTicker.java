package io.github.pixmapcache.testing;

import io.github.pixmapcache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that stands still until the test advances it, optionally by a step at every reading. */
public final class ManualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);  // not 0: nothing may assume an origin
    private final long stepPerRead;

    /** A ticker that moves only when {@link #advance} is called. */
    public ManualTicker() {
        this(Duration.ZERO);
    }

    /** A ticker that also moves by {@code stepPerRead} at every reading: time passes whenever the cache looks. */
    public ManualTicker(Duration stepPerRead) {
        this.stepPerRead = stepPerRead.toNanos();
    }

    public void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    @Override
    public long read() {
        return nanos.getAndAdd(stepPerRead);
    }
}
