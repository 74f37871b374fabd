package io.github.pixmapcache;

/**
 * Told of every pixmap that leaves the cache, and why: a UI drops its textures this way, a server
 * counts its evictions by cause.
 *
 * <p>The cache calls it on the thread whose operation removed the pixmap (an insert that evicted,
 * a remove, a clear, or the maintenance run of {@link PixmapCache#cleanUp()} or of the builder's
 * scheduler), after that operation has released the cache's lock and never under it, once per
 * pixmap, in the order the pixmaps left. It may call back into the cache, which may notify it
 * again from within. What it throws is logged (at WARNING, to the {@link System.Logger}
 * named {@code io.github.pixmapcache.removals}) and otherwise ignored: the cache and the operation that removed
 * the pixmap are unaffected, and the other notifications of that operation are still delivered.
 * Leases on the pixmap stay readable: the listener is told that it left, not that it was freed.
 */
@FunctionalInterface
public interface RemovalListener {
    /**
     * One pixmap left the cache.
     *
     * @param key the user's key it was cached under, or the {@link PixmapCache.Key} of an anonymous
     *     pixmap
     * @param cause why it left
     */
    void onRemoval(Object key, RemovalCause cause);
}
