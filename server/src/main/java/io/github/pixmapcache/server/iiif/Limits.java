package io.github.pixmapcache.server.iiif;

/**
 * The largest output this service makes, declared in every info.json as {@code maxWidth},
 * {@code maxHeight} and {@code maxArea}: {@code max} is scaled down to fit them, and an explicit
 * size beyond them is a 400.
 *
 * @param maxWidth  widest output, pixels
 * @param maxHeight tallest output, pixels
 * @param maxArea   most output pixels
 */
record Limits(int maxWidth, int maxHeight, long maxArea) {
    /** 8192 wide or tall, 16 Mpixels: an output pixmap of at most 64 MiB. */
    static final Limits STANDARD = new Limits(8192, 8192, 1L << 24);

    Limits {
        if (maxWidth < 1 || maxHeight < 1 || maxArea < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxWidth + ", " + maxHeight + ", " + maxArea);
        }
    }

    /** Whether a {@code width} x {@code height} output is allowed. */
    boolean allows(long width, long height) {
        return width <= maxWidth && height <= maxHeight && width * height <= maxArea;
    }

    /** The largest scale (of a {@code width} x {@code height} region) whose output fits these limits. */
    double largestScale(int width, int height) {
        return Math.min(Math.min((double) maxWidth / width, (double) maxHeight / height),
                Math.sqrt((double) maxArea / ((double) width * height)));
    }
}
