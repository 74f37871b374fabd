package io.github.pixmapcache;

/** Why a pixmap left the cache, as a {@link RemovalListener} is told. */
public enum RemovalCause {
    /** Removed by {@link PixmapCache#remove(Object)} or {@link PixmapCache#remove(PixmapCache.Key)}. */
    EXPLICIT,
    /** Replaced by an insert under the same key, or by {@link PixmapCache#replace}. */
    REPLACED,
    /**
     * Chosen by the {@link EvictionPolicy} to make room within the byte budget (an insert, a smaller
     * {@link PixmapCache#setMaximumBytes budget}), or by idle trimming; this includes a new pixmap
     * that lost against the cached ones at once.
     */
    EVICTED,
    /** Not read or written for longer than the builder's {@code expireAfterAccess} duration. */
    EXPIRED,
    /** Removed by {@link PixmapCache#clear()} or {@link PixmapCache#close()}. */
    CLEARED
}
