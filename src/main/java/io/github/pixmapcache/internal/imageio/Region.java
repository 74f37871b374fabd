package io.github.pixmapcache.internal.imageio;

import io.github.pixmapcache.Pixmap;
import java.util.Objects;

/**
 * A rectangle of a pixmap's pixels, checked to lie inside it. Rows are addressed in the pixmap's
 * own memory (its stride), so a region is never cut out into a copy.
 */
public record Region(Pixmap pixmap, int x, int y, int width, int height) {
    /**
     * @throws NullPointerException if {@code pixmap} is null
     * @throws IllegalArgumentException if {@code width} or {@code height} is not positive
     * @throws IndexOutOfBoundsException if the rectangle reaches outside the pixmap
     */
    public Region {
        Objects.requireNonNull(pixmap, "pixmap must not be null");
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException(
                    "a region needs a positive size, was " + width + "x" + height);
        }
        checkAxis("x", x, "width", width, pixmap.width());
        checkAxis("y", y, "height", height, pixmap.height());
    }

    /** The whole pixmap. */
    public static Region of(Pixmap pixmap) {
        Objects.requireNonNull(pixmap, "pixmap must not be null");
        return new Region(pixmap, 0, 0, pixmap.width(), pixmap.height());
    }

    /** Byte offset of the region's first pixel in row {@code row} (0 = the region's top row). */
    public long rowOffset(int row) {
        return (y + (long) row) * pixmap.stride() + (long) x * pixmap.format().bytesPerPixel();
    }

    /** Bytes of one region row in the pixmap's format. */
    public int rowBytes() {
        return width * pixmap.format().bytesPerPixel();  // <= the pixmap's stride, so it fits an int
    }

    private static void checkAxis(String origin, int start, String extent, int size, int bound) {
        if (start < 0 || start > bound - size) {  // bound - size cannot overflow: both are positive
            throw new IndexOutOfBoundsException("the region " + origin + "=" + start + " " + extent + "=" + size
                    + " reaches outside the pixmap's " + extent + " of " + bound);
        }
    }
}
