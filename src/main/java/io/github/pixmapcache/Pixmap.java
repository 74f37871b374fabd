package io.github.pixmapcache;

import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.memory.NativeMemory;
import io.github.pixmapcache.internal.pixels.Argb;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.Consumer;

/**
 * An image whose pixels live in native memory, in rows of {@link #stride()} bytes.
 *
 * <p>A pixmap is only a view: its memory belongs to the arena that allocated it, or to the cache
 * lease that handed it out, and every access fails with {@link IllegalStateException} once that
 * owner has let go. Pixmaps are not thread-safe for concurrent writes.
 */
public final class Pixmap {
    /** Every pixel buffer starts on a cache line. */
    static final long ALIGNMENT = 64;
    /** Rows start on a 4-byte boundary (Qt's scanline rule). */
    private static final long ROW_ALIGNMENT = 4;
    /** A 4-byte pixel read so that the bytes B,G,R,A give 0xAARRGGBB. */
    private static final ValueLayout.OfInt PIXEL_32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final int width;
    private final int height;
    private final PixelFormat format;

    private Pixmap(MemorySegment segment, int width, int height, PixelFormat format) {
        this.segment = segment;
        this.width = width;
        this.height = height;
        this.format = format;
    }

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
        return new Pixmap(pixels, width, height, format);
    }

    /** A pixmap over {@code pixels}, which must hold {@code Require.pixmapBytes} of this shape. */
    static Pixmap wrap(MemorySegment pixels, int width, int height, PixelFormat format) {
        return new Pixmap(pixels, width, height, format);
    }

    /**
     * A read-only view of {@code entry}'s pixels that lives exactly as long as {@code scope}, cut
     * from the block's address alone; {@code onClose}, if not null, runs when the scope closes.
     */
    static Pixmap viewOf(Entry entry, Arena scope, Consumer<MemorySegment> onClose) {
        return new Pixmap(NativeMemory.readOnlyView(entry.address(), entry.byteSize(), scope, onClose),
                entry.width(), entry.height(), entry.format());
    }

    /** Bytes per row: width times bytes per pixel, rounded up to a multiple of 4. */
    static long strideOf(int width, PixelFormat format) {
        long packed = (long) width * format.bytesPerPixel();
        return (packed + ROW_ALIGNMENT - 1) & -ROW_ALIGNMENT;
    }

    /** {@return the width in pixels} */
    public int width() {
        return width;
    }

    /** {@return the height in pixels (rows)} */
    public int height() {
        return height;
    }

    /** {@return bytes from one row to the next: {@code width * bytesPerPixel} rounded up to a multiple of 4} */
    public long stride() {
        return strideOf(width, format);
    }

    /** {@return the layout of each pixel} */
    public PixelFormat format() {
        return format;
    }

    /** {@return {@code stride() * height()}: the bytes the pixels take, and what a cache charges for them} */
    public long byteSize() {
        return segment.byteSize();
    }

    /** {@return the pixels; the segment dies with whatever owns them} */
    public MemorySegment segment() {
        return segment;
    }

    /**
     * {@return the pixel at (x, y) as straight (non-premultiplied) {@code 0xAARRGGBB}}
     *
     * @param x the column, from 0 (left)
     * @param y the row, from 0 (top)
     * @throws IndexOutOfBoundsException if (x, y) is outside the image
     * @throws IllegalStateException if the pixmap's memory has been released
     */
    public int getArgb(int x, int y) {
        long offset = offsetOf(x, y);
        return switch (format) {
            case BGRA_8888_PRE -> Argb.unpremultiply(segment.get(PIXEL_32, offset));
            case RGBA_8888 -> Argb.swapRedBlue(segment.get(PIXEL_32, offset));
            case GRAY_8 -> Argb.fromGray(Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, offset)));
        };
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
        long offset = offsetOf(x, y);
        if (format == PixelFormat.GRAY_8) {
            segment.set(ValueLayout.JAVA_BYTE, offset, (byte) Argb.gray(argb));
        } else {
            segment.set(PIXEL_32, offset, encode32(argb));
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
        if (format == PixelFormat.GRAY_8) {
            segment.fill((byte) Argb.gray(argb));
            return;
        }
        // 4-byte rows are never padded: write one pixel, then double the filled prefix.
        segment.set(PIXEL_32, 0, encode32(argb));
        long size = segment.byteSize();
        for (long filled = PIXEL_32.byteSize(); filled < size; filled *= 2) {
            MemorySegment.copy(segment, 0, segment, filled, Math.min(filled, size - filled));
        }
    }

    /**
     * {@return whether {@code other} has the same size, format and visible pixels (the bytes of each
     * row inside the width; row padding does not count)}
     *
     * @param other the pixmap to compare with
     * @throws NullPointerException if {@code other} is null
     * @throws IllegalStateException if either pixmap's memory has been released
     */
    public boolean contentEquals(Pixmap other) {
        Require.notNull("other", other);
        if (width != other.width || height != other.height || format != other.format) {
            return false;
        }
        long stride = stride();
        long rowBytes = (long) width * format.bytesPerPixel();
        if (rowBytes == stride) {
            return MemorySegment.mismatch(segment, 0, byteSize(), other.segment, 0, other.byteSize()) < 0;
        }
        for (long row = 0; row < byteSize(); row += stride) {
            if (MemorySegment.mismatch(segment, row, row + rowBytes, other.segment, row, row + rowBytes) >= 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Pixmap[" + width + "x" + height + " " + format + ", stride " + stride() + "]";
    }

    private long offsetOf(int x, int y) {
        Require.coordinate("x", x, width);
        Require.coordinate("y", y, height);
        return y * stride() + (long) x * format.bytesPerPixel();
    }

    private int encode32(int argb) {
        return format == PixelFormat.BGRA_8888_PRE ? Argb.premultiply(argb) : Argb.swapRedBlue(argb);
    }
}
