package io.github.pixmapcache.internal.imageio;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.internal.pixels.Argb;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Whole rows of a pixmap to and from {@code int} pixels, one bulk copy per row: straight
 * {@code 0xAARRGGBB} in, premultiplied {@code 0xAARRGGBB} out (what {@code TYPE_INT_ARGB_PRE}
 * holds), with the same conversions as {@link Pixmap#getArgb} and {@link Pixmap#setArgb}.
 */
final class PixmapRows {
    /** A 4-byte pixel as a little-endian int: B,G,R,A bytes read as 0xAARRGGBB. */
    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Pixmap pixmap;
    private final int[] pixels;
    private final byte[] grays;

    PixmapRows(Pixmap pixmap) {
        this.pixmap = pixmap;
        this.pixels = new int[pixmap.width()];
        this.grays = pixmap.format() == PixelFormat.GRAY_8 ? new byte[pixmap.width()] : null;
    }

    /** Sets the first {@code count} pixels of row {@code y} from straight ARGB. */
    void writeArgb(int y, int[] argb, int count) {
        long at = y * pixmap.stride();
        MemorySegment segment = pixmap.segment();
        switch (pixmap.format()) {
            case BGRA_8888_PRE -> {
                for (int i = 0; i < count; i++) {
                    pixels[i] = Argb.premultiply(argb[i]);
                }
                MemorySegment.copy(pixels, 0, segment, PIXEL, at, count);
            }
            case RGBA_8888 -> {
                for (int i = 0; i < count; i++) {
                    pixels[i] = Argb.swapRedBlue(argb[i]);
                }
                MemorySegment.copy(pixels, 0, segment, PIXEL, at, count);
            }
            case GRAY_8 -> {
                for (int i = 0; i < count; i++) {
                    grays[i] = (byte) Argb.gray(argb[i]);
                }
                MemorySegment.copy(grays, 0, segment, ValueLayout.JAVA_BYTE, at, count);
            }
        }
    }

    /** Sets row {@code y} from gray samples (no alpha), already scaled to 8 bits; {@code gray} is overwritten. */
    void writeGray(int y, int[] gray, int count) {
        if (pixmap.format() == PixelFormat.GRAY_8) {
            for (int i = 0; i < count; i++) {
                grays[i] = (byte) gray[i];
            }
            MemorySegment.copy(grays, 0, pixmap.segment(), ValueLayout.JAVA_BYTE, y * pixmap.stride(), count);
        } else {
            for (int i = 0; i < count; i++) {
                gray[i] = Argb.fromGray(gray[i]);
            }
            writeArgb(y, gray, count);
        }
    }

    /** Row {@code y} as premultiplied ARGB, into {@code target} from {@code offset}. */
    void readPremultiplied(int y, int[] target, int offset) {
        long at = y * pixmap.stride();
        int width = pixmap.width();
        MemorySegment segment = pixmap.segment();
        switch (pixmap.format()) {
            case BGRA_8888_PRE -> MemorySegment.copy(segment, PIXEL, at, target, offset, width);
            case RGBA_8888 -> {
                MemorySegment.copy(segment, PIXEL, at, target, offset, width);
                for (int i = offset; i < offset + width; i++) {
                    target[i] = Argb.premultiply(Argb.swapRedBlue(target[i]));
                }
            }
            case GRAY_8 -> {
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at, grays, 0, width);
                for (int i = 0; i < width; i++) {
                    target[offset + i] = Argb.fromGray(Byte.toUnsignedInt(grays[i]));
                }
            }
        }
    }

    /** Sets row {@code y} from premultiplied ARGB (as {@code TYPE_INT_ARGB_PRE} holds it). */
    void writePremultiplied(int y, int[] source, int offset) {
        int width = pixmap.width();
        if (pixmap.format() == PixelFormat.BGRA_8888_PRE) {
            MemorySegment.copy(source, offset, pixmap.segment(), PIXEL, y * pixmap.stride(), width);
            return;
        }
        for (int i = 0; i < width; i++) {
            pixels[i] = Argb.unpremultiply(source[offset + i]);
        }
        writeArgb(y, pixels, width);
    }

    /**
     * Premultiplies row {@code y} in place: a 4-byte pixmap whose rows were written as straight
     * R,G,B,A bytes at the positions of its own format.
     */
    void premultiplyInPlace(int y) {
        long at = y * pixmap.stride();
        int width = pixmap.width();
        MemorySegment.copy(pixmap.segment(), PIXEL, at, pixels, 0, width);
        for (int i = 0; i < width; i++) {
            pixels[i] = Argb.premultiply(pixels[i]);  // byte order is BGRA here: the int reads as ARGB
        }
        MemorySegment.copy(pixels, 0, pixmap.segment(), PIXEL, at, width);
    }

    /** Spreads byte 0 of each pixel of row {@code y} over its color bytes, with alpha 255. */
    void expandGrayInPlace(int y) {
        long at = y * pixmap.stride();
        int width = pixmap.width();
        MemorySegment.copy(pixmap.segment(), PIXEL, at, pixels, 0, width);
        for (int i = 0; i < width; i++) {
            pixels[i] = Argb.fromGray(pixels[i] & 0xFF);
        }
        MemorySegment.copy(pixels, 0, pixmap.segment(), PIXEL, at, width);
    }
}
