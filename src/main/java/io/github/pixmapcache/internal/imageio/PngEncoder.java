package io.github.pixmapcache.internal.imageio;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;

/**
 * PNG straight from native memory: each row of the region is read, converted to straight samples,
 * filtered and deflated before the next is read. The heap holds two rows of samples, four filtered
 * candidates, one row of the pixmap's bytes and one IDAT chunk, whatever the image's size.
 */
public final class PngEncoder {
    /** zlib level 0..9; see PixmapIO.DEFAULT_PNG_COMPRESSION for how the default was chosen. */
    private final int compressionLevel;

    public PngEncoder(int compressionLevel) {
        if (compressionLevel < 0 || compressionLevel > 9) {
            throw new IllegalArgumentException(
                    "compressionLevel must be 0 (none) to 9 (smallest), was " + compressionLevel);
        }
        this.compressionLevel = compressionLevel;
    }

    /** Writes {@code region} as a PNG file to {@code out}, which is neither flushed nor closed. */
    public void encode(Region region, OutputStream out) throws IOException {
        PngRows rows = PngRows.of(region);
        int rowBytes = rows.width() * rows.bytesPerPixel();
        PngChunks.writeHeader(out, rows.width(), rows.height(), rows.colorType());
        Deflater deflater = new Deflater(compressionLevel);
        try {
            IdatStream idat = new IdatStream(deflater, out);
            // Level 0 stores: filtering would only cost time.
            PngFilter filter = compressionLevel == 0 ? null : new PngFilter(rowBytes, rows.bytesPerPixel());
            byte[] current = PngFilter.row(rowBytes, PngFilter.NONE);
            byte[] previous = PngFilter.row(rowBytes, PngFilter.NONE);  // all zero: the row above the first
            for (int row = 0; row < rows.height(); row++) {
                rows.read(row, current, 1);
                idat.write(filter == null ? current : filter.apply(current, previous));
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
}
