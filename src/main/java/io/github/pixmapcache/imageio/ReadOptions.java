package io.github.pixmapcache.imageio;

import io.github.pixmapcache.PixelFormat;
import java.util.Objects;

/**
 * How {@link PixmapIO} decodes: the pixel format of the result, the subsampling for thumbnails and
 * the limits that refuse oversized input before anything large is allocated.
 *
 * @param format the result's pixel format
 * @param subsampling keep every n-th pixel of every n-th row (1 = full size); the result is
 *     {@code ceil(width / n)} x {@code ceil(height / n)}
 * @param maximumPixels the most pixels the file may declare (width x height before subsampling):
 *     every one of them is decompressed, so this bounds the work a small hostile file can ask for
 * @param maximumBytes the most bytes the result may take
 */
public record ReadOptions(PixelFormat format, int subsampling, long maximumPixels, long maximumBytes) {
    /** 2^28 pixels (16384 x 16384): above any camera, below what a decompression bomb claims. */
    public static final long DEFAULT_MAXIMUM_PIXELS = 1L << 28;
    /** The byte bound of every pixmap. */
    public static final long DEFAULT_MAXIMUM_BYTES = Integer.MAX_VALUE;

    private static final ReadOptions DEFAULTS =
            new ReadOptions(PixelFormat.BGRA_8888_PRE, 1, DEFAULT_MAXIMUM_PIXELS, DEFAULT_MAXIMUM_BYTES);

    /**
     * Checks the options.
     *
     * @param format the result's pixel format
     * @param subsampling keep every n-th pixel of every n-th row; at least 1 (full size)
     * @param maximumPixels the most pixels the file may declare, before subsampling; positive
     * @param maximumBytes the most bytes the result may take; positive (a pixmap never takes more
     *     than {@link #DEFAULT_MAXIMUM_BYTES}, whatever this says)
     * @throws NullPointerException if {@code format} is null
     * @throws IllegalArgumentException if {@code subsampling} or a limit is not positive
     */
    public ReadOptions {
        Objects.requireNonNull(format, "format must not be null");
        if (subsampling < 1) {
            throw new IllegalArgumentException("subsampling must be at least 1, was " + subsampling);
        }
        if (maximumPixels < 1) {
            throw new IllegalArgumentException("maximumPixels must be positive, was " + maximumPixels);
        }
        if (maximumBytes < 1) {
            throw new IllegalArgumentException("maximumBytes must be positive, was " + maximumBytes);
        }
    }

    /**
     * The options of the decoding methods that take none.
     *
     * @return {@code BGRA_8888_PRE}, full size (subsampling 1), {@link #DEFAULT_MAXIMUM_PIXELS},
     *     {@link #DEFAULT_MAXIMUM_BYTES}
     */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /**
     * These options with another pixel format.
     *
     * @param format the result's pixel format
     * @return a copy of these options with {@code format}
     * @throws NullPointerException if {@code format} is null
     */
    public ReadOptions withFormat(PixelFormat format) {
        return new ReadOptions(format, subsampling, maximumPixels, maximumBytes);
    }

    /**
     * These options with another subsampling, e.g. 4 for a thumbnail of a quarter of the width and
     * height.
     *
     * @param subsampling keep every n-th pixel of every n-th row; 1 is full size
     * @return a copy of these options with {@code subsampling}
     * @throws IllegalArgumentException if {@code subsampling} is less than 1
     */
    public ReadOptions withSubsampling(int subsampling) {
        return new ReadOptions(format, subsampling, maximumPixels, maximumBytes);
    }

    /**
     * These options with another limit on the pixels a file may declare.
     *
     * @param maximumPixels the most pixels (width x height before subsampling) a file may declare
     * @return a copy of these options with {@code maximumPixels}
     * @throws IllegalArgumentException if {@code maximumPixels} is not positive
     */
    public ReadOptions withMaximumPixels(long maximumPixels) {
        return new ReadOptions(format, subsampling, maximumPixels, maximumBytes);
    }

    /**
     * These options with another limit on the bytes of the result.
     *
     * @param maximumBytes the most bytes the decoded pixmap may take (its stride x its height)
     * @return a copy of these options with {@code maximumBytes}
     * @throws IllegalArgumentException if {@code maximumBytes} is not positive
     */
    public ReadOptions withMaximumBytes(long maximumBytes) {
        return new ReadOptions(format, subsampling, maximumPixels, maximumBytes);
    }
}
