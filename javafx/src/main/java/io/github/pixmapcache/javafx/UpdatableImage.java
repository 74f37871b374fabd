package io.github.pixmapcache.javafx;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapLease;
import io.github.pixmapcache.javafx.internal.ArgbPreView;
import io.github.pixmapcache.javafx.internal.DirtyRegion;
import io.github.pixmapcache.javafx.internal.Pin;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.IntBuffer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.WritableImage;

/**
 * A JavaFX image with native pixels of its own, copied once from a pixmap, that shows a replacement
 * in place: {@link #update(PixmapLease)} copies only the rows that changed and has JavaFX upload only
 * the rectangle that changed ({@link PixelBuffer#updateBuffer}). The image object stays the same, so
 * every node showing it shows the new pixels.
 *
 * <p>Why a copy: a lease's pixels are read-only and a replaced entry lives in new memory, so no image
 * over cache memory can change in place. Use {@link PixmapImage} for pixels that never change.
 *
 * <p><b>Lifetime.</b> The pixels (not counted by any cache's budget; see {@link #allocatedBytes()})
 * are freed once the image and every buffer JavaFX made from it are unreachable, or by
 * {@link #release()}.
 */
public final class UpdatableImage extends WritableImage {
    /** Bytes of every image's pixels not yet freed. */
    private static final AtomicLong ALLOCATED = new AtomicLong();

    private final PixelBuffer<IntBuffer> pixelBuffer;
    private final MemorySegment pixels;  // what JavaFX reads; reachable while JavaFX can read it
    private final int width;
    private final int height;
    private final Pin pin;

    private UpdatableImage(ArgbPreView view, Pixmap own, Arena arena) {
        super(view.pixelBuffer());
        this.pixelBuffer = view.pixelBuffer();
        this.pixels = view.root();
        this.width = own.width();
        this.height = own.height();
        long bytes = own.byteSize();
        ALLOCATED.addAndGet(bytes);
        this.pin = Pin.whileReachable(pixels, () -> {
            arena.close();
            ALLOCATED.addAndGet(-bytes);
        });
    }

    /**
     * An image of a copy of the leased pixmap, in native memory of its own. The caller still closes
     * {@code lease}.
     *
     * @param lease pins the pixmap to copy; left open
     * @return a new image of the pixmap's width and height in pixels, whose {@code width x height x 4}
     *     bytes of native memory count in {@link #allocatedBytes()} until they are freed
     * @throws IllegalArgumentException if the pixmap is not {@code BGRA_8888_PRE}
     * @throws IllegalStateException if {@code lease} is closed
     */
    public static UpdatableImage copyOf(PixmapLease lease) {
        Objects.requireNonNull(lease, "lease");
        Pixmap source = lease.pixmap();
        ArgbPreView.requireDisplayable(source);
        Arena arena = Arena.ofShared();  // JavaFX reads from its render thread, not only from this one
        try {
            Pixmap own = Pixmap.allocate(arena, source.width(), source.height(), PixelFormat.BGRA_8888_PRE);
            MemorySegment.copy(source.segment(), 0, own.segment(), 0, source.byteSize());
            return new UpdatableImage(ArgbPreView.of(own), own, arena);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Shows the leased pixmap's pixels, e.g. of an entry that was replaced: copies the rows that
     * differ and marks the rectangle that encloses the changed pixels dirty. Call it on the JavaFX
     * Application Thread, with a lease taken there.
     *
     * @param lease pins the pixmap to show, of the image's width and height; left open
     * @throws IllegalArgumentException if the pixmap is not {@code BGRA_8888_PRE} or not the image's size
     * @throws IllegalStateException if {@code lease} is closed, the image released, or the calling
     *         thread is not the JavaFX Application Thread
     */
    public void update(PixmapLease lease) {
        Objects.requireNonNull(lease, "lease");
        Pixmap next = lease.pixmap();
        ArgbPreView.requireDisplayable(next);
        if (next.width() != width || next.height() != height) {
            throw new IllegalArgumentException("pixmap " + next.width() + "x" + next.height()
                    + " does not match the image's " + width + "x" + height + ": " + next);
        }
        if (!pixels.scope().isAlive()) {
            throw new IllegalStateException("the image is released: " + this);
        }
        MemorySegment target = pixels;
        pixelBuffer.updateBuffer(buffer -> DirtyRegion.copyChanged(next.segment(), target, width, height));
    }

    /** Frees the pixels now instead of when the image becomes unreachable; see {@link PixmapImage#release()}. */
    public void release() {
        pin.release();
    }

    /**
     * The native memory that the pixels of every {@code UpdatableImage} not yet freed hold; no
     * cache's budget counts it.
     *
     * @return the bytes held, 0 when every image has been released or collected
     */
    public static long allocatedBytes() {
        return ALLOCATED.get();
    }

    @Override
    public String toString() {
        return "UpdatableImage[" + width + "x" + height + (pixels.scope().isAlive() ? "" : ", released") + "]";
    }
}
