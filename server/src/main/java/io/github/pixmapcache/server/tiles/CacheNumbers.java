package io.github.pixmapcache.server.tiles;

/**
 * What a {@link TileSource}'s cache reports, the same fields whichever cache it is.
 *
 * @param hits                metatile lookups that found it cached
 * @param misses              metatile lookups that had to render (every request, without a cache)
 * @param evictions           metatiles the cache let go to stay within its budget
 * @param entries             metatiles cached now
 * @param usedBytes           bytes of pixels cached now
 * @param maximumBytes        the budget (0 without a cache)
 * @param leasedBytes         bytes out of the cache but still held by a request (pixmap cache only)
 * @param allocationFailures  native allocations that failed (pixmap cache only)
 */
public record CacheNumbers(long hits, long misses, long evictions, long entries, long usedBytes,
                           long maximumBytes, long leasedBytes, long allocationFailures) {

    /** Hits divided by lookups, or 0 before the first lookup. */
    public double hitRatio() {
        long lookups = hits + misses;
        return lookups == 0 ? 0 : (double) hits / lookups;
    }
}
