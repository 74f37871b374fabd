package io.github.pixmapcache.internal.imageio;

import io.github.pixmapcache.PixelFormat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * JPEG through {@code ImageIO}'s writer, fed from the pixmap's memory: the writer reads the region
 * one scan line at a time through a raster over the pixels ({@link PixmapImages}), so no copy of
 * the frame is made. Alpha is dropped; premultiplied pixels thereby come out composited over black.
 */
public final class JpegEncoder {
    private JpegEncoder() {}

    /** @param quality 0 (smallest) to 1 (best), as {@code ImageWriteParam.setCompressionQuality} */
    public static void encode(Region region, float quality, OutputStream out) throws IOException {
        if (!(quality >= 0 && quality <= 1)) {
            throw new IllegalArgumentException("quality must be from 0 to 1, was " + quality);
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new IOException("no ImageIO writer for JPEG in this runtime");
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(stream);
            writer.write(null, new IIOImage(colorBands(region), null, null), param);
        } finally {
            writer.dispose();
        }
    }

    private static BufferedImage colorBands(Region region) {
        return switch (region.pixmap().format()) {
            case GRAY_8 -> PixmapImages.view(region, 0);
            case BGRA_8888_PRE -> PixmapImages.view(region, 2, 1, 0);
            case RGBA_8888 -> PixmapImages.view(region, 0, 1, 2);
        };
    }
}
