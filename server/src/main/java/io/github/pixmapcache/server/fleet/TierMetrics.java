package io.github.pixmapcache.server.fleet;

import java.util.concurrent.atomic.LongAdder;

/** What the tier did, counted on this server; read for {@code /stats}, {@code /health} and {@code /metrics}. */
public final class TierMetrics {

    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder invalidValues = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder shortCircuited = new LongAdder();
    final LongAdder metatilesWritten = new LongAdder();
    final LongAdder locksAcquired = new LongAdder();
    final LongAdder lockWaits = new LongAdder();
    final LongAdder lockTakeovers = new LongAdder();
    final LongAdder waitsGivenUp = new LongAdder();

    /**
     * @param hits             tile lookups answered with a valid value
     * @param misses           tile lookups that found no value
     * @param invalidValues    tile lookups that found a value and refused it (truncated, foreign, other version, bad checksum)
     * @param failures         commands that failed or timed out
     * @param shortCircuited   calls not made because the breaker was open or Redis not yet connected
     * @param metatilesWritten metatiles whose tiles were stored
     * @param locksAcquired    fleet render locks this server took
     * @param lockWaits        times this server waited for another server's render
     * @param lockTakeovers    locks taken after the holder's lock had gone without its tiles appearing
     * @param waitsGivenUp     waits that ended in a local render without the lock
     */
    public record Snapshot(long hits, long misses, long invalidValues, long failures, long shortCircuited,
                           long metatilesWritten, long locksAcquired, long lockWaits, long lockTakeovers,
                           long waitsGivenUp) {}

    public Snapshot snapshot() {
        return new Snapshot(hits.sum(), misses.sum(), invalidValues.sum(), failures.sum(), shortCircuited.sum(),
                metatilesWritten.sum(), locksAcquired.sum(), lockWaits.sum(), lockTakeovers.sum(), waitsGivenUp.sum());
    }
}
