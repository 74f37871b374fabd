package io.github.pixmapcache.javafx;

import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import io.github.pixmapcache.PixmapLoader;
import io.github.pixmapcache.javafx.internal.ArgbPreView;
import io.github.pixmapcache.javafx.internal.Pin;
import java.nio.IntBuffer;
import java.util.Objects;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.WritableImage;

/**
 * A JavaFX image that displays a cached pixmap's memory itself: no pixel is copied, neither into the
 * Java heap nor anywhere else (the software renderer still converts into its texture, as for any image).
 *
 * <p><b>Lifetime.</b> The image holds a {@linkplain PixmapLease#share() shared lease} on its pixmap
 * for as long as JavaFX can read the pixels, that is while the image, or any buffer JavaFX made from
 * it, is reachable; a {@link java.lang.ref.Cleaner} closes the lease once they are all unreachable.
 * Meanwhile the cache may evict, replace or remove the entry, or be closed: the image keeps drawing
 * its own pixels, which stop counting against the budget (they show in
 * {@code stats().leasedDetachedBytes()}) and return once the image is gone. {@link #release()} returns
 * them at once, for applications that know the image is no longer shown.
 *
 * <p><b>Cost.</b> Creating an image takes one shared lease; closing it (on the cleaner's thread, or in
 * {@code release()}) is a handshake with every thread, tens of microseconds. Pixels of entries the
 * cache let go return only when the garbage collector finds their images unreachable, so between
 * collections they can add up to more than the budget; {@code release()} bounds that.
 *
 * <p>Like every image over a {@code PixelBuffer}, it has no {@code PixelWriter}
 * ({@link #getPixelWriter()} throws {@link UnsupportedOperationException}).
 */
public final class PixmapImage extends WritableImage {
    private final PixelBuffer<IntBuffer> pixelBuffer;
    private final Pin pin;

    private PixmapImage(ArgbPreView view, PixmapLease shared) {
        super(view.pixelBuffer());
        this.pixelBuffer = view.pixelBuffer();
        this.pin = Pin.whileReachable(view.root(), shared::close);
    }

    /**
     * An image of the leased pixmap. It takes a lease of its own: the caller still closes {@code lease}.
     *
     * @param lease pins the pixmap to show; left open
     * @return a new image of the pixmap's width and height in pixels, over the pixmap's memory
     * @throws IllegalArgumentException if the pixmap is not {@code BGRA_8888_PRE}
     * @throws IllegalStateException if {@code lease} is closed
     */
    public static PixmapImage of(PixmapLease lease) {
        Objects.requireNonNull(lease, "lease");
        ArgbPreView.requireDisplayable(lease.pixmap());
        PixmapLease shared = lease.share();
        try {
            return new PixmapImage(ArgbPreView.of(shared.pixmap()), shared);
        } catch (RuntimeException | Error e) {
            shared.close();
            throw e;
        }
    }

    /**
     * An image of the pixmap cached under {@code key}, or {@code null} on a miss. A hit makes the
     * pixmap the most recently used. The image holds a lease of its own, so it keeps showing the
     * pixels if the entry is evicted, replaced or removed afterwards.
     *
     * @param <K> the cache's key type
     * @param cache the cache to look in
     * @param key names the pixmap
     * @return a new image over the cached pixmap's memory, or {@code null} if {@code key} is not cached
     * @throws IllegalArgumentException if the pixmap is not {@code BGRA_8888_PRE}
     * @throws IllegalStateException if the cache is closed
     */
    public static <K> PixmapImage find(PixmapCache<K> cache, K key) {
        Objects.requireNonNull(cache, "cache");
        try (PixmapLease lease = cache.find(key)) {
            return lease == null ? null : of(lease);
        }
    }

    /**
     * An image of the pixmap cached under {@code key}, loading it on a miss with
     * {@link PixmapCache#computeIfAbsent} semantics: the loader renders or decodes straight into cache
     * memory, and the image shows that memory. A loader result that is not {@code BGRA_8888_PRE}
     * fails the load (nothing is cached) with {@link IllegalArgumentException}.
     *
     * @param <K> the cache's key type
     * @param cache the cache to look in and load into
     * @param key names the pixmap
     * @param loader renders or decodes the pixmap on a miss, as {@code BGRA_8888_PRE}
     * @return a new image over the cached (or loaded) pixmap's memory
     * @throws IllegalArgumentException if the cached or loaded pixmap is not {@code BGRA_8888_PRE}
     * @throws RuntimeException whatever the loader threw, as {@link PixmapCache#computeIfAbsent}
     *     rethrows it; nothing is cached
     * @throws NullPointerException if the loader returned null
     * @throws IllegalStateException if the cache is closed, or the loader calls back for its own key
     */
    public static <K> PixmapImage load(PixmapCache<K> cache, K key, PixmapLoader<? super K> loader) {
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(loader, "loader");
        try (PixmapLease lease = cache.computeIfAbsent(key, (k, allocator) -> displayable(loader.load(k, allocator)))) {
            return of(lease);
        }
    }

    /**
     * Returns the pixels now instead of when the image becomes unreachable; later calls do nothing.
     * Only for an image that is no longer shown: afterwards every read of the pixels from Java throws
     * {@link IllegalStateException} (mouse picking over the image throws out of JavaFX's event
     * handling; the software renderer draws its texture made earlier, or nothing when it must make a
     * new one), and a hardware pipeline, which hands the buffer to native code to upload a texture,
     * would read freed memory.
     */
    public void release() {
        pin.release();
    }

    /** What JavaFX reads (WritableImage keeps it private). */
    PixelBuffer<IntBuffer> pixelBuffer() {
        return pixelBuffer;
    }

    private static Pixmap displayable(Pixmap loaded) {
        if (loaded != null) {  // a null result is the cache's to refuse
            ArgbPreView.requireDisplayable(loaded);
        }
        return loaded;
    }
}
