package io.github.pixmapcache;

/**
 * Hands out cache-owned pixmaps to render into, so that {@link PixmapCache#computeIfAbsent} can
 * publish the result without copying it. Pixmaps come cleared to transparent black.
 *
 * <p>While the load runs, any thread may allocate and write (a parallel renderer: rows from
 * {@code IntStream.parallel()}, a fork/join tiler). Once the load has ended (published, failed or
 * too large to cache), every access to its pixmaps, and every allocate, throws
 * {@link IllegalStateException} on every thread.
 */
public interface PixmapAllocator {
    /**
     * A new writable pixmap in cache-owned native memory.
     *
     * @throws IllegalArgumentException if a dimension is not positive or the byte size exceeds
     *     {@link Integer#MAX_VALUE}
     * @throws NullPointerException if {@code format} is null
     * @throws PixmapAllocationException if native memory could not be had
     * @throws IllegalStateException if the load this allocator serves has ended
     */
    Pixmap allocate(int width, int height, PixelFormat format);
}
