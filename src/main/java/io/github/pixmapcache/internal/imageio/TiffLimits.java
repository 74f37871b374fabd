package io.github.pixmapcache.internal.imageio;

import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.plugins.tiff.BaselineTIFFTagSet;
import javax.imageio.plugins.tiff.TIFFDirectory;
import javax.imageio.plugins.tiff.TIFFField;

/**
 * What a TIFF's directory asks the JDK's TIFF reader to allocate, checked before it decodes: the
 * reader decodes each strip or tile whole into a heap buffer of the size the header declares, and
 * reads each strip's or tile's compressed bytes into an array of the declared byte count, checked
 * only against the stream's length (unknown for a stream). A 145-byte file could ask for 2 GiB.
 */
final class TiffLimits {
    /** The most heap one row of strips or tiles may take decoded: a 4000x3000 RGBA single strip fits. */
    static final long MAXIMUM_ROW_OF_UNITS_BYTES = 64L << 20;
    /** Compressed data never needs much more than its decoded size; this allows any codec's overhead. */
    private static final long COMPRESSED_SLACK = 4096;

    /** Rows of one strip or one row of tiles: bands aligned on it decode each strip or tile once. */
    private final int unitRows;

    private TiffLimits(int unitRows) {
        this.unitRows = unitRows;
    }

    int unitRows() {
        return unitRows;
    }

    /**
     * Checks the first image's directory against the limits.
     *
     * @throws IOException naming {@code source}, the field and its value when a strip or tile is
     *     larger than {@link #MAXIMUM_ROW_OF_UNITS_BYTES} decoded or declares more compressed bytes
     *     than its decoded size allows
     */
    static TiffLimits check(ImageReader reader, String source, int width, int height) throws IOException {
        IIOMetadata metadata = reader.getImageMetadata(0);
        TIFFDirectory directory = TIFFDirectory.createFromMetadata(metadata);
        long bitsPerPixel = bitsPerPixel(directory);
        boolean tiled = directory.containsTIFFField(BaselineTIFFTagSet.TAG_TILE_WIDTH);
        long unitWidth;
        long unitHeight;
        long rowWidth;
        String unit;
        if (tiled) {
            unitWidth = positive(directory, BaselineTIFFTagSet.TAG_TILE_WIDTH, "TileWidth", source);
            unitHeight = positive(directory, BaselineTIFFTagSet.TAG_TILE_LENGTH, "TileLength", source);
            rowWidth = (width + unitWidth - 1) / unitWidth * unitWidth;
            unit = unitWidth + "x" + unitHeight + " tile";
        } else {
            unitWidth = width;
            unitHeight = directory.containsTIFFField(BaselineTIFFTagSet.TAG_ROWS_PER_STRIP)
                    ? Math.min(height, positive(directory, BaselineTIFFTagSet.TAG_ROWS_PER_STRIP, "RowsPerStrip", source))
                    : height;
            rowWidth = width;
            unit = "strip of " + unitHeight + " rows";
        }
        long rowOfUnits = times(bytes(times(rowWidth, bitsPerPixel)), unitHeight);
        if (rowOfUnits > MAXIMUM_ROW_OF_UNITS_BYTES) {
            throw new IOException(source + ": the tiff header declares a " + unit + " of " + bitsPerPixel
                    + "-bit pixels for a " + width + "x" + height + " image, and a row of them decodes to "
                    + rowOfUnits + " bytes on the heap, above the limit of " + MAXIMUM_ROW_OF_UNITS_BYTES);
        }
        long unitBytes = times(bytes(times(unitWidth, bitsPerPixel)), unitHeight);
        int countsTag = tiled ? BaselineTIFFTagSet.TAG_TILE_BYTE_COUNTS : BaselineTIFFTagSet.TAG_STRIP_BYTE_COUNTS;
        TIFFField counts = directory.getTIFFField(countsTag);
        if (counts != null) {
            long most = 2 * unitBytes + COMPRESSED_SLACK;
            for (int i = 0; i < counts.getCount(); i++) {
                long count = counts.getAsLong(i);
                if (count < 0 || count > most) {
                    throw new IOException(source + ": the tiff header declares " + count + " bytes for "
                            + (tiled ? "tile " : "strip ") + i + " (" + (tiled ? "TileByteCounts" : "StripByteCounts")
                            + "), but a " + unit + " decodes to " + unitBytes + " bytes: at most " + most
                            + " are allowed");
                }
            }
        }
        return new TiffLimits((int) Math.max(1, Math.min(unitHeight, height)));
    }

    private static long bitsPerPixel(TIFFDirectory directory) {
        TIFFField samples = directory.getTIFFField(BaselineTIFFTagSet.TAG_SAMPLES_PER_PIXEL);
        long count = samples == null ? 1 : Math.max(1, samples.getAsLong(0));
        TIFFField bits = directory.getTIFFField(BaselineTIFFTagSet.TAG_BITS_PER_SAMPLE);
        long most = 1;
        if (bits != null) {
            for (int i = 0; i < bits.getCount(); i++) {
                most = Math.max(most, bits.getAsLong(i));
            }
        }
        return times(count, most);
    }

    private static long positive(TIFFDirectory directory, int tag, String name, String source) throws IOException {
        TIFFField field = directory.getTIFFField(tag);
        long value = field == null || field.getCount() < 1 ? 0 : field.getAsLong(0);
        if (value <= 0) {
            throw new IOException(source + ": the tiff header declares " + name + " " + value + ", not a positive size");
        }
        return value;
    }

    private static long bytes(long bits) {
        return bits / 8 + (bits % 8 == 0 ? 0 : 1);
    }

    /** {@code a * b}, or {@code Long.MAX_VALUE} where that overflows: header values are any 32-bit numbers. */
    private static long times(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }
}
