package io.github.pixmapcache.internal.imageio;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;

/**
 * {@code BufferedImage}s whose pixels are a region of a pixmap, read and written in place: 8-bit
 * sRGB (with or without alpha) or gray bands picked out of each pixel by byte offset.
 */
final class PixmapImages {
    private PixmapImages() {}

    /**
     * An image over {@code region} whose band {@code k} is the byte at {@code bandOffsets[k]} of
     * each pixel: three bands are sRGB, four sRGB with straight alpha, one gray.
     */
    static BufferedImage view(Region region, int... bandOffsets) {
        int stride = (int) region.pixmap().stride();  // <= Integer.MAX_VALUE: every pixmap fits an int
        PixelInterleavedSampleModel layout = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE,
                region.width(), region.height(), region.pixmap().format().bytesPerPixel(), stride, bandOffsets);
        WritableRaster raster = new SegmentRaster(layout,
                new SegmentDataBuffer(region.pixmap().segment(), region.rowOffset(0)));
        return new BufferedImage(colorModel(bandOffsets.length), raster, false, null);
    }

    private static ColorModel colorModel(int bands) {
        return switch (bands) {
            case 1 -> new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                    Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
            case 3 -> new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                    Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
            case 4 -> new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                    Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
            default -> throw new IllegalArgumentException("1, 3 or 4 bands, not " + bands);
        };
    }
}
