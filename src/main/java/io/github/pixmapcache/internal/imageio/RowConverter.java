package io.github.pixmapcache.internal.imageio;

import io.github.pixmapcache.Pixmap;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Rows of a decoded image, in the reader's own type, into the rows of a pixmap through its color
 * model: palette indices through a table of the palette's ARGB (one lookup a pixel, where
 * {@code getRGB} makes a call chain a pixel), gray as its stored samples, anything else through
 * {@code getRGB}.
 */
final class RowConverter {
    private final PixmapRows rows;
    private final int[] line;
    private final byte[] indices;
    private IndexColorModel palette;
    private int[] paletteArgb;

    RowConverter(Pixmap target) {
        this.rows = new PixmapRows(target);
        this.line = new int[target.width()];
        this.indices = new byte[target.width()];
    }

    /** The first {@code width} pixels of row {@code y} of {@code image} into row {@code targetY}. */
    void convert(BufferedImage image, int y, int targetY, int width) {
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        if (model instanceof IndexColorModel indexed && indexed.getPixelSize() <= 16) {
            int[] argb = argbOf(indexed);
            if (raster.getSampleModel() instanceof ComponentSampleModel && raster.getNumBands() == 1
                    && raster.getTransferType() == DataBuffer.TYPE_BYTE) {
                raster.getDataElements(0, y, width, 1, indices);  // a copy of the row's bytes
                for (int x = 0; x < width; x++) {
                    line[x] = argb[indices[x] & 0xFF];
                }
            } else {
                raster.getSamples(0, y, width, 1, 0, line);  // packed bits, 16-bit indices
                for (int x = 0; x < width; x++) {
                    line[x] = argb[line[x]];
                }
            }
            rows.writeArgb(targetY, line, width);
        } else if (BufferedImages.isPlainGray(model)) {
            // Gray as stored samples: getRGB would read them as linear light (ImageIO's CS_GRAY)
            // and brighten them, while files store gamma-encoded gray.
            BufferedImages.graySamples(raster, y, line, width);
            rows.writeGray(targetY, line, width);
        } else {
            image.getRGB(0, y, width, 1, line, 0, width);
            rows.writeArgb(targetY, line, width);
        }
    }

    /** The palette's ARGB for every index its pixel size can hold (0 past the palette's end). */
    private int[] argbOf(IndexColorModel indexed) {
        if (indexed != palette) {
            int[] argb = new int[1 << indexed.getPixelSize()];
            int size = Math.min(argb.length, indexed.getMapSize());
            for (int i = 0; i < size; i++) {
                argb[i] = indexed.getRGB(i);
            }
            palette = indexed;
            paletteArgb = argb;
        }
        return paletteArgb;
    }
}
