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
    final LongAdder connectFailures = new LongAdder();
    final LongAdder refusals = new LongAdder();
    /** Redis's or TLS's words for the latest refusal, or null while there was none. */
    volatile String lastRefusal;

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
     * @param connectFailures  attempts to connect that failed, refused or not
     * @param refusals         connects and commands Redis or TLS refused: a wrong password, a missing
     *                         ACL rule, an untrusted or wrong-host certificate (an operator must act)
     */
    public record Snapshot(long hits, long misses, long invalidValues, long failures, long shortCircuited,
                           long metatilesWritten, long locksAcquired, long lockWaits, long lockTakeovers,
                           long waitsGivenUp, long connectFailures, long refusals) {}

    public Snapshot snapshot() {
        return new Snapshot(hits.sum(), misses.sum(), invalidValues.sum(), failures.sum(), shortCircuited.sum(),
                metatilesWritten.sum(), locksAcquired.sum(), lockWaits.sum(), lockTakeovers.sum(), waitsGivenUp.sum(),
                connectFailures.sum(), refusals.sum());
    }

    /**
     * The latest refusal in Redis's or the TLS stack's words (never a password), for {@code /health}.
     *
     * @return e.g. {@code WRONGPASS invalid username-password pair or user is disabled.}, or null if none
     */
    public String lastRefusal() {
        return lastRefusal;
    }
}
