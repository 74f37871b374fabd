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
     * {@return a new writable pixmap in cache-owned native memory}
     *
     * @param width pixels per row, at least 1
     * @param height rows, at least 1
     * @param format the layout of each pixel
     * @throws IllegalArgumentException if a dimension is not positive or the byte size exceeds
     *     {@link Integer#MAX_VALUE}
     * @throws NullPointerException if {@code format} is null
     * @throws PixmapAllocationException if native memory could not be had
     * @throws IllegalStateException if the load this allocator serves has ended
     */
    Pixmap allocate(int width, int height, PixelFormat format);

    /**
     * {@return a new writable pixmap as {@link #allocate}, that only the loading thread may touch}
     * For a loader that writes on its own thread only: such a pixmap is confined to that thread
     * (any other thread's access throws {@link WrongThreadException}), and a load whose pixmaps are
     * all confined ends without the handshake with every thread of the JVM that ending a load of
     * shared pixmaps takes (closing a shared {@link java.lang.foreign.Arena}). Once the load has
     * ended, every access to it throws: {@link IllegalStateException} on the loading thread, as for
     * any of its pixmaps, and still {@link WrongThreadException} on any other.
     * This default returns {@link #allocate}'s pixmap, which any thread may touch.
     *
     * @param width pixels per row, at least 1
     * @param height rows, at least 1
     * @param format the layout of each pixel
     * @throws IllegalArgumentException if a dimension is not positive or the byte size exceeds
     *     {@link Integer#MAX_VALUE}
     * @throws NullPointerException if {@code format} is null
     * @throws PixmapAllocationException if native memory could not be had
     * @throws IllegalStateException if the load this allocator serves has ended
     * @throws WrongThreadException if called on another thread than the loading one
     */
    default Pixmap allocateConfined(int width, int height, PixelFormat format) {
        return allocate(width, height, format);
    }
}
