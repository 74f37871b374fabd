package io.github.pixmapcache;

import io.github.pixmapcache.internal.memory.NativeMemory;
import io.github.pixmapcache.internal.pixels.Argb;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.nio.ByteOrder;

/**
 * An image whose pixels live in native memory, in rows of {@link #stride()} bytes.
 *
 * <p>A pixmap is only a view: its memory belongs to the arena that allocated it, or to the cache
 * lease that handed it out, and every access fails with {@link IllegalStateException} once that
 * owner has let go. Pixmaps are not thread-safe for concurrent writes.
 *
 * <p>A pixmap from a lease is that lease itself (one object, so that a find allocates one): its
 * accessors check the lease before they touch the pixels, and it makes its {@link #segment()} only
 * when asked.
 *
 * <p>Users cannot subclass it: its subclasses are the library's own, a plain pixmap over a segment
 * (all of its fields final, so that it is safe to publish even through a data race) and a lease
 * (which keeps no pixmap fields of its own: its size and format are its entry's).
 */
public abstract sealed class Pixmap permits PlainPixmap, Lease {
    /** Every pixel buffer starts on a cache line. */
    static final long ALIGNMENT = 64;
    /** Rows start on a 4-byte boundary (Qt's scanline rule). */
    private static final long ROW_ALIGNMENT = 4;
    /** A 4-byte pixel read so that the bytes B,G,R,A give 0xAARRGGBB. */
    private static final ValueLayout.OfInt PIXEL_32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Only the library's own subclasses. */
    Pixmap() {}

    /**
     * {@return a caller-owned pixmap, cleared to transparent black, whose memory belongs to
     * {@code arena}}
     *
     * @param arena owns the pixels: they live until it closes
     * @param width pixels per row, at least 1
     * @param height rows, at least 1
     * @param format the layout of each pixel
     * @throws IllegalArgumentException if a dimension is not positive, the byte size exceeds
     *     {@link Integer#MAX_VALUE}, or {@code arena} returned a segment of another size
     * @throws NullPointerException if {@code arena} or {@code format} is null
     */
    public static Pixmap allocate(Arena arena, int width, int height, PixelFormat format) {
        Require.notNull("arena", arena);
        long bytes = Require.pixmapBytes(width, height, format);
        MemorySegment pixels = arena.allocate(bytes, ALIGNMENT);
        if (pixels.byteSize() != bytes) {  // byteSize() is what a cache charges: it must be the memory
            throw new IllegalArgumentException(arena + " returned a segment of " + pixels.byteSize()
                    + " bytes for a request of " + bytes + " bytes (a " + width + "x" + height + " " + format + ")");
        }
        return new PlainPixmap(pixels, width, height, format);
    }

    /** A pixmap over {@code pixels}, which must hold {@code Require.pixmapBytes} of this shape. */
    static Pixmap wrap(MemorySegment pixels, int width, int height, PixelFormat format) {
        return new PlainPixmap(pixels, width, height, format);
    }

    /** {@return the view made so far: the pixels, or null in a lease that has made none} */
    abstract MemorySegment view();

    /**
     * {@return the segment this pixmap's own accessors read through, with offsets from
     * {@link #origin()}}, after checking that the calling thread may read the pixels now. A plain
     * pixmap's segment checks itself on every access; a lease overrides this with its own check.
     *
     * @throws IllegalStateException if the pixels are released (a closed lease)
     * @throws WrongThreadException if the pixels are confined to another thread
     */
    abstract MemorySegment readable();

    /** {@return where pixel 0 lies in {@link #readable()}: 0, or a lease's block address} */
    abstract long origin();

    /**
     * {@return the segment writes go through, offsets from 0}, after the same check as
     * {@link #readable()}.
     *
     * @throws IllegalArgumentException if the pixmap is read-only (a leased pixmap)
     */
    abstract MemorySegment writable();

    /**
     * Throws unless the calling thread may read the pixels now; called before work that would be
     * wasted on released pixels (a copy's allocation).
     *
     * @throws IllegalStateException if the pixels are released
     * @throws WrongThreadException if a lease's pixels are confined to another thread
     */
    abstract void requireReadable();

    /** Copies every byte of the pixels into the block of {@link #byteSize()} bytes at {@code address}. */
    final void copyTo(long address) {
        NativeMemory.copy(readable(), origin(), byteSize(), address);
        Reference.reachabilityFence(this);  // a leak-tracked lease must not be collected mid-copy
    }

    /** Bytes per row: width times bytes per pixel, rounded up to a multiple of 4. */
    static long strideOf(int width, PixelFormat format) {
        long packed = (long) width * format.bytesPerPixel();
        return (packed + ROW_ALIGNMENT - 1) & -ROW_ALIGNMENT;
    }

    /** {@return the width in pixels} */
    public abstract int width();

    /** {@return the height in pixels (rows)} */
    public abstract int height();

    /** {@return bytes from one row to the next: {@code width * bytesPerPixel} rounded up to a multiple of 4} */
    public long stride() {
        return strideOf(width(), format());
    }

    /** {@return the layout of each pixel} */
    public abstract PixelFormat format();

    /** {@return {@code stride() * height()}: the bytes the pixels take, and what a cache charges for them} */
    public long byteSize() {
        return stride() * height();  // what every constructor's segment holds (Require.pixmapBytes)
    }

    /**
     * {@return the pixels; the segment dies with whatever owns them}
     *
     * @throws IllegalStateException if this is the pixmap of a closed lease
     * @throws WrongThreadException if this is the pixmap of a confined lease of another thread
     */
    public abstract MemorySegment segment();

    /**
     * {@return the pixel at (x, y) as straight (non-premultiplied) {@code 0xAARRGGBB}}
     *
     * @param x the column, from 0 (left)
     * @param y the row, from 0 (top)
     * @throws IndexOutOfBoundsException if (x, y) is outside the image
     * @throws IllegalStateException if the pixmap's memory has been released
     * @throws WrongThreadException if this is the pixmap of a confined lease of another thread
     */
    public int getArgb(int x, int y) {
        PixelFormat format = format();
        long offset = offsetOf(x, y, format);
        MemorySegment pixels = readable();
        offset += origin();
        int argb = switch (format) {
            case BGRA_8888_PRE -> Argb.unpremultiply(pixels.get(PIXEL_32, offset));
            case RGBA_8888 -> Argb.swapRedBlue(pixels.get(PIXEL_32, offset));
            case GRAY_8 -> Argb.fromGray(Byte.toUnsignedInt(pixels.get(ValueLayout.JAVA_BYTE, offset)));
        };
        Reference.reachabilityFence(this);  // a leak-tracked lease must not be collected mid-read
        return argb;
    }

    /**
     * Sets the pixel at (x, y) from straight {@code 0xAARRGGBB}, converting to the format (GRAY_8
     * keeps the luminance and drops alpha).
     *
     * @param x the column, from 0 (left)
     * @param y the row, from 0 (top)
     * @param argb the colour, straight {@code 0xAARRGGBB}
     * @throws IndexOutOfBoundsException if (x, y) is outside the image
     * @throws IllegalStateException if the pixmap's memory has been released
     * @throws IllegalArgumentException if the pixmap is read-only (a leased pixmap)
     */
    public void setArgb(int x, int y, int argb) {
        PixelFormat format = format();
        long offset = offsetOf(x, y, format);
        MemorySegment pixels = writable();
        if (format == PixelFormat.GRAY_8) {
            pixels.set(ValueLayout.JAVA_BYTE, offset, (byte) Argb.gray(argb));
        } else {
            pixels.set(PIXEL_32, offset, encode32(argb));
        }
    }

    /**
     * Sets every pixel from straight {@code 0xAARRGGBB}.
     *
     * @param argb the colour, straight {@code 0xAARRGGBB}
     * @throws IllegalStateException if the pixmap's memory has been released
     * @throws IllegalArgumentException if the pixmap is read-only (a leased pixmap)
     */
    public void fill(int argb) {
        MemorySegment pixels = writable();
        if (format() == PixelFormat.GRAY_8) {
            pixels.fill((byte) Argb.gray(argb));
            return;
        }
        // 4-byte rows are never padded: write one pixel, then double the filled prefix.
        pixels.set(PIXEL_32, 0, encode32(argb));
        long size = pixels.byteSize();
        for (long filled = PIXEL_32.byteSize(); filled < size; filled *= 2) {
            MemorySegment.copy(pixels, 0, pixels, filled, Math.min(filled, size - filled));
        }
    }

    /**
     * {@return whether {@code other} has the same size, format and visible pixels (the bytes of each
     * row inside the width; row padding does not count)}
     *
     * @param other the pixmap to compare with
     * @throws NullPointerException if {@code other} is null
     * @throws IllegalStateException if either pixmap's memory has been released
     * @throws WrongThreadException if either is the pixmap of a confined lease of another thread
     */
    public boolean contentEquals(Pixmap other) {
        Require.notNull("other", other);
        if (width() != other.width() || height() != other.height() || format() != other.format()) {
            return false;
        }
        boolean equal = sameRows(readable(), origin(), other.readable(), other.origin());
        Reference.reachabilityFence(this);  // leak-tracked leases must not be collected mid-compare
        Reference.reachabilityFence(other);
        return equal;
    }

    /** Whether the visible bytes of each row match, the rows starting at {@code at} and {@code otherAt}. */
    private boolean sameRows(MemorySegment pixels, long at, MemorySegment otherPixels, long otherAt) {
        long stride = stride();
        long bytes = byteSize();
        long rowBytes = (long) width() * format().bytesPerPixel();
        if (rowBytes == stride) {
            return MemorySegment.mismatch(pixels, at, at + bytes, otherPixels, otherAt, otherAt + bytes) < 0;
        }
        for (long row = 0; row < bytes; row += stride) {
            if (MemorySegment.mismatch(pixels, at + row, at + row + rowBytes,
                    otherPixels, otherAt + row, otherAt + row + rowBytes) >= 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Pixmap[" + width() + "x" + height() + " " + format() + ", stride " + stride() + "]";
    }

    /** One read of the shape per access: a lease's width, height and format are its entry's. */
    private long offsetOf(int x, int y, PixelFormat format) {
        int width = width();
        Require.coordinate("x", x, width);
        Require.coordinate("y", y, height());
        return y * strideOf(width, format) + (long) x * format.bytesPerPixel();
    }

    private int encode32(int argb) {
        return format() == PixelFormat.BGRA_8888_PRE ? Argb.premultiply(argb) : Argb.swapRedBlue(argb);
    }
}
