package io.github.pixmapcache;

/** Argument checks for the public API, in one place so that every message names its value. */
final class Require {
    /** Every pixmap must fit a {@code ByteBuffer}, a {@code BufferedImage} or a JavaFX image. */
    static final long MAXIMUM_PIXMAP_BYTES = Integer.MAX_VALUE;

    private Require() {}

    static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    static java.time.Duration positive(String name, java.time.Duration value) {
        notNull(name, value);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    static void notNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    static <T> T notNull(String name, T value) {
        if (value == null) {  // no message supplier: this check sits on the find path
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    /** Checks a pixel coordinate, naming the axis and the bound it broke. */
    static void coordinate(String axis, int value, int extent) {
        if (value < 0 || value >= extent) {
            throw new IndexOutOfBoundsException(
                    axis + "=" + value + " is outside the image (0 <= " + axis + " < " + extent + ")");
        }
    }

    /** Stride times height for a valid shape; the stride rule is in {@link Pixmap#stride()}. */
    static long pixmapBytes(int width, int height, PixelFormat format) {
        positive("width", width);
        positive("height", height);
        notNull("format", format);
        long stride = Pixmap.strideOf(width, format);
        // stride <= 2^31 before the multiplication, so the product cannot overflow a long
        long bytes = stride > MAXIMUM_PIXMAP_BYTES ? Long.MAX_VALUE : stride * height;
        if (bytes > MAXIMUM_PIXMAP_BYTES) {
            throw new IllegalArgumentException("a " + width + "x" + height + " " + format + " pixmap needs " + stride
                    + " bytes per row and " + height + " rows, above the maximum of " + MAXIMUM_PIXMAP_BYTES + " bytes");
        }
        return bytes;
    }
}
