package io.github.pixmapcache;

/**
 * A snapshot of a cache's counters. Counters are cumulative since the cache was built; the last
 * three fields describe the moment of the snapshot.
 *
 * @param hits finds and {@code computeIfAbsent} calls that found a pixmap
 * @param misses finds and {@code computeIfAbsent} calls that did not
 * @param insertions pixmaps that entered the cache (inserts, replaces and loads)
 * @param evictions entries pushed out to stay within the byte budget, by idle trimming, or on expiry
 * @param rejectedInsertions pixmaps refused because they were larger than the budget
 * @param allocationFailures allocations of native memory that failed
 * @param entries entries in the cache
 * @param usedBytes bytes charged for the entries in the cache
 * @param leasedDetachedBytes bytes of pixmaps no longer in the cache but still pinned by leases
 */
public record CacheStats(
        long hits,
        long misses,
        long insertions,
        long evictions,
        long rejectedInsertions,
        long allocationFailures,
        int entries,
        long usedBytes,
        long leasedDetachedBytes) {

    /** {@return hits divided by lookups, or 1.0 before the first lookup (as Caffeine reports it)} */
    public double hitRate() {
        long lookups = hits + misses;
        return lookups == 0 ? 1.0 : (double) hits / lookups;
    }
}
