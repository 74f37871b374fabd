package io.github.pixmapcache;

/**
 * Produces the pixmap for a key that {@link PixmapCache#computeIfAbsent} did not find.
 *
 * @param <K> the cache's key type
 */
@FunctionalInterface
public interface PixmapLoader<K> {
    /**
     * Renders or decodes the pixmap for {@code key}. A pixmap taken from {@code allocator} becomes
     * the cached pixmap without a copy; any other pixmap is copied. The allocator's pixmaps may be
     * written only by the thread that runs the loader, and only until the loader returns.
     *
     * @param key the key that was not found
     * @param allocator hands out cache-owned pixmaps to render into
     * @return the pixmap to cache for {@code key}
     * @throws RuntimeException to cache nothing; every caller waiting on this key gets it too
     */
    Pixmap load(K key, PixmapAllocator allocator);
}
