package io.github.pixmapcache.internal.imageio;

import io.github.pixmapcache.Pixmap;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;

/** Copies between pixmaps and {@code BufferedImage}s, a row at a time. */
public final class BufferedImages {
    private BufferedImages() {}

    /** A {@code TYPE_INT_ARGB_PRE} copy: premultiplied BGRA bytes are its ints as they are. */
    public static BufferedImage toBufferedImage(Pixmap pixmap) {
        int width = pixmap.width();
        BufferedImage image = new BufferedImage(width, pixmap.height(), BufferedImage.TYPE_INT_ARGB_PRE);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        PixmapRows rows = new PixmapRows(pixmap);
        for (int y = 0; y < pixmap.height(); y++) {
            rows.readPremultiplied(y, pixels, y * width);
        }
        return image;
    }

    /**
     * Copies {@code image}, of any type, into {@code target} of the same size: premultiplied
     * images exactly as stored, gray images as their stored samples, everything else through its
     * color model as straight sRGB.
     */
    public static void copyFrom(BufferedImage image, Pixmap target) {
        if (image.getWidth() != target.width() || image.getHeight() != target.height()) {
            throw new IllegalArgumentException("the image is " + image.getWidth() + "x" + image.getHeight()
                    + " but the target pixmap " + target.width() + "x" + target.height());
        }
        int width = image.getWidth();
        int[] line = new int[width];
        PixmapRows rows = new PixmapRows(target);
        Raster raster = image.getRaster();
        int type = image.getType();
        for (int y = 0; y < image.getHeight(); y++) {
            if (type == BufferedImage.TYPE_INT_ARGB_PRE) {
                raster.getDataElements(0, y, width, 1, line);  // the packed premultiplied pixels
                rows.writePremultiplied(y, line, 0);
            } else if (isPlainGray(image.getColorModel())) {
                graySamples(raster, y, line, width);
                rows.writeGray(y, line, width);
            } else {
                image.getRGB(0, y, width, 1, line, 0, width);
                rows.writeArgb(y, line, width);
            }
        }
    }

    /** The first {@code count} gray samples of row {@code y}, scaled to 8 bits. */
    static void graySamples(Raster raster, int y, int[] line, int count) {
        raster.getSamples(0, y, count, 1, 0, line);
        int maximum = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        if (maximum != 255) {
            for (int i = 0; i < count; i++) {
                line[i] = (line[i] * 255 + maximum / 2) / maximum;
            }
        }
    }

    /** One gray component, no alpha: {@code getRGB} would read its samples as linear light. */
    static boolean isPlainGray(ColorModel model) {
        return model instanceof ComponentColorModel && model.getNumComponents() == 1
                && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }
}
