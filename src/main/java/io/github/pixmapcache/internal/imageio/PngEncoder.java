package io.github.pixmapcache.internal.imageio;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;

/**
 * PNG straight from native memory: each row of the region is read, converted to straight samples,
 * filtered and deflated before the next is read. The heap holds two rows of samples, one filtered
 * row, one row of the pixmap's bytes, a 32 KiB input batch and one 64 KiB IDAT chunk, whatever the
 * image's size.
 *
 * <p>zlib's settings follow the kind of rows ({@link PngFilter#photographic()}): photographic rows
 * are deflated with strategy {@code FILTERED} (11% smaller than the default on filtered residues),
 * drawn rows with the default strategy. At {@link #AUTOMATIC} the level follows the kind too.
 */
public final class PngEncoder {
    /**
     * Level 4 for drawn rows, the least level at which none of the benchmark's map and overlay tiles
     * is larger than {@code ImageIO.write}'s; level 1 for photographic rows, where lazy matching
     * (levels 4 and up) doubled the time for 14% less size, and which at level 1 are still 19% smaller
     * than {@code ImageIO.write}'s unfiltered level 4 (bench/RESULTS.md, "PNG encoding").
     */
    public static final int AUTOMATIC = -1;
    private static final int DRAWN_LEVEL = 4;
    private static final int PHOTOGRAPHIC_LEVEL = 1;

    /** zlib level 0..9, or {@link #AUTOMATIC}. */
    private final int compressionLevel;

    public PngEncoder(int compressionLevel) {
        if (compressionLevel < AUTOMATIC || compressionLevel > 9) {
            throw new IllegalArgumentException("compressionLevel must be 0 (none) to 9 (smallest), or "
                    + AUTOMATIC + " (automatic), was " + compressionLevel);
        }
        this.compressionLevel = compressionLevel;
    }

    /** Writes {@code region} as a PNG file to {@code out}, which is neither flushed nor closed. */
    public void encode(Region region, OutputStream out) throws IOException {
        PngRows rows = PngRows.of(region);
        int rowBytes = rows.width() * rows.bytesPerPixel();
        PngChunks.writeHeader(out, rows.width(), rows.height(), rows.colorType());
        Deflater deflater = new Deflater(compressionLevel == AUTOMATIC ? DRAWN_LEVEL : compressionLevel);
        try {
            IdatStream idat = new IdatStream(deflater, out);
            // Level 0 stores: filtering would only cost time.
            PngFilter filter = compressionLevel == 0 ? null : new PngFilter(rowBytes, rows.bytesPerPixel());
            byte[] current = PngFilter.row(rowBytes, PngFilter.NONE);
            byte[] previous = PngFilter.row(rowBytes, PngFilter.NONE);  // all zero: the row above the first
            boolean photographic = false;  // the kind zlib is tuned for; the constructor's settings are for drawn rows
            for (int row = 0; row < rows.height(); row++) {
                rows.read(row, current, 1);
                byte[] filtered = filter == null ? current : filter.apply(current, previous);
                if (filter != null && filter.photographic() != photographic) {
                    photographic = filter.photographic();
                    idat.flushInput();  // the rows gathered so far keep the old settings
                    tune(deflater, photographic);
                }
                idat.write(filtered);
                byte[] swap = previous;
                previous = current;
                current = swap;
            }
            idat.finish();
        } finally {
            deflater.end();
        }
        PngChunks.writeEnd(out);
    }

    private void tune(Deflater deflater, boolean photographic) {
        deflater.setStrategy(photographic ? Deflater.FILTERED : Deflater.DEFAULT_STRATEGY);
        if (compressionLevel == AUTOMATIC) {
            deflater.setLevel(photographic ? PHOTOGRAPHIC_LEVEL : DRAWN_LEVEL);
        }
    }
}
