package io.github.pixmapcache.internal.stats;

import io.github.pixmapcache.CacheStats;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The cache's counters, cheap to bump from many threads at once. */
public final class StatsCounter {
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder insertions = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder rejectedInsertions = new LongAdder();
    private final LongAdder allocationFailures = new LongAdder();
    private final AtomicLong leasedDetachedBytes = new AtomicLong();

    /** A hit the read buffer did not count (see {@code ReadBuffer.recorded()}). */
    public void recordHit() {
        hits.increment();
    }

    public void recordMiss() {
        misses.increment();
    }

    public void recordInsertion() {
        insertions.increment();
    }

    public void recordEviction() {
        evictions.increment();
    }

    public void recordRejection() {
        rejectedInsertions.increment();
    }

    public void recordAllocationFailure() {
        allocationFailures.increment();
    }

    /** Bytes left the cache's budget but stay allocated until their last lease closes. */
    public void recordDetached(long bytes) {
        leasedDetachedBytes.addAndGet(bytes);
    }

    /** Bytes counted by {@link #recordDetached} were freed. */
    public void recordFreed(long bytes) {
        leasedDetachedBytes.addAndGet(-bytes);
    }

    /** {@code bufferedHits}: the hits the read buffer counted, which never reach {@link #recordHit}. */
    public CacheStats snapshot(int entries, long usedBytes, long bufferedHits) {
        return new CacheStats(hits.sum() + bufferedHits, misses.sum(), insertions.sum(), evictions.sum(),
                rejectedInsertions.sum(), allocationFailures.sum(), entries, usedBytes,
                leasedDetachedBytes.get());
    }
}
