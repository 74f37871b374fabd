package io.github.pixmapcache.server.encoded;

import java.util.concurrent.atomic.LongAdder;

/**
 * The counters both encoded tiers keep, and their budget check: what {@link EncodedTier.Numbers}
 * reports beside the store's own figures (evictions, entries, bytes).
 */
final class TierCounters {
    final LongAdder hits = new LongAdder();
    final LongAdder misses = new LongAdder();
    final LongAdder waits = new LongAdder();
    final LongAdder encodes = new LongAdder();
    final LongAdder encodeFailures = new LongAdder();
    final LongAdder encodeNanos = new LongAdder();
    final LongAdder puts = new LongAdder();

    /**
     * @param name         the tier's name, for the message
     * @param maximumBytes the budget asked for
     * @return {@code maximumBytes}
     * @throws IllegalArgumentException if it is negative
     */
    static long checkedBudget(String name, long maximumBytes) {
        if (maximumBytes < 0) {
            throw new IllegalArgumentException("budget of the encoded tier " + name + " must not be negative: "
                    + maximumBytes);
        }
        return maximumBytes;
    }

    /** These counters with the store's own figures. */
    EncodedTier.Numbers numbers(long evictions, long entries, long usedBytes, long maximumBytes) {
        return new EncodedTier.Numbers(hits.sum(), misses.sum(), waits.sum(), encodes.sum(), encodeFailures.sum(),
                encodeNanos.sum(), puts.sum(), evictions, entries, usedBytes, maximumBytes);
    }
}
