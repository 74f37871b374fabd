package io.github.pixmapcache.internal.imageio;

import io.github.pixmapcache.PixelFormat;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads a region row by row from native memory and turns each row into PNG samples: gray,
 * RGB when every alpha of the region is 255, else straight RGBA. Holds one row of the pixmap's
 * bytes at a time.
 */
final class PngRows {
    /** PNG color types (PNG spec 11.2.2). */
    static final int GRAY = 0;
    static final int RGB = 2;
    static final int RGBA = 6;

    /** A 4-byte pixel as a little-endian int: its alpha byte (byte 3) is the top byte. */
    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int ALPHA = 0xFF000000;

    private final Region region;
    private final MemorySegment pixels;
    private final int colorType;
    private final byte[] source;

    private PngRows(Region region, int colorType) {
        this.region = region;
        this.pixels = region.pixmap().segment();
        this.colorType = colorType;
        this.source = new byte[region.rowBytes()];
    }

    /** Rows of {@code region} as the smallest PNG color type that holds them exactly. */
    static PngRows of(Region region) {
        PixelFormat format = region.pixmap().format();
        int colorType = format == PixelFormat.GRAY_8 ? GRAY : isOpaque(region) ? RGB : RGBA;
        return new PngRows(region, colorType);
    }

    int colorType() {
        return colorType;
    }

    /** Bytes per PNG pixel: also the distance to the "left" byte of the PNG filters. */
    int bytesPerPixel() {
        return switch (colorType) {
            case GRAY -> 1;
            case RGB -> 3;
            default -> 4;
        };
    }

    int width() {
        return region.width();
    }

    int height() {
        return region.height();
    }

    /** Writes row {@code row} of the region as PNG samples into {@code target} from index {@code offset}. */
    void read(int row, byte[] target, int offset) {
        MemorySegment.copy(pixels, ValueLayout.JAVA_BYTE, region.rowOffset(row), source, 0, source.length);
        byte[] s = source;
        int n = s.length;
        switch (region.pixmap().format()) {
            case GRAY_8 -> System.arraycopy(s, 0, target, offset, n);
            case RGBA_8888 -> {
                if (colorType == RGBA) {
                    System.arraycopy(s, 0, target, offset, n);
                } else {
                    for (int i = 0, o = offset; i < n; i += 4, o += 3) {
                        target[o] = s[i];
                        target[o + 1] = s[i + 1];
                        target[o + 2] = s[i + 2];
                    }
                }
            }
            case BGRA_8888_PRE -> {
                if (colorType == RGBA) {
                    for (int i = 0, o = offset; i < n; i += 4, o += 4) {
                        int alpha = s[i + 3] & 0xFF;
                        target[o] = Unpremultiply.channel(alpha, s[i + 2] & 0xFF);
                        target[o + 1] = Unpremultiply.channel(alpha, s[i + 1] & 0xFF);
                        target[o + 2] = Unpremultiply.channel(alpha, s[i] & 0xFF);
                        target[o + 3] = (byte) alpha;
                    }
                } else {  // every alpha is 255: premultiplied equals straight
                    for (int i = 0, o = offset; i < n; i += 4, o += 3) {
                        target[o] = s[i + 2];
                        target[o + 1] = s[i + 1];
                        target[o + 2] = s[i];
                    }
                }
            }
        }
    }

    /** Whether every pixel of a 4-byte region has alpha 255 (byte 3 in both 4-byte formats). */
    private static boolean isOpaque(Region region) {
        MemorySegment pixels = region.pixmap().segment();
        long rowBytes = region.rowBytes();
        for (int row = 0; row < region.height(); row++) {
            long start = region.rowOffset(row);
            for (long at = start, end = start + rowBytes; at < end; at += 4) {
                if ((pixels.get(PIXEL, at) & ALPHA) != ALPHA) {
                    return false;
                }
            }
        }
        return true;
    }
}
