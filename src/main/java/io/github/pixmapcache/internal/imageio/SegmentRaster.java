package io.github.pixmapcache.internal.imageio;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.WritableRaster;

/**
 * A raster over a {@link SegmentDataBuffer} whose {@link #setRect(int, int, Raster)} reuses one
 * sample buffer: the JPEG reader copies every decoded scan line in with it, and
 * {@code WritableRaster}'s own version allocates a new {@code int[]} per call (measured: 12 bytes of
 * garbage per pixel of a JPEG).
 */
final class SegmentRaster extends WritableRaster {
    private int[] samples = new int[0];

    SegmentRaster(SampleModel layout, SegmentDataBuffer pixels) {
        super(layout, pixels, new Point(0, 0));
    }

    @Override
    public void setRect(int dx, int dy, Raster source) {
        Rectangle target = new Rectangle(source.getMinX() + dx, source.getMinY() + dy,
                source.getWidth(), source.getHeight()).intersection(getBounds());
        if (target.isEmpty()) {
            return;
        }
        int count = target.width * source.getNumBands();
        if (samples.length < count) {
            samples = new int[count];
        }
        for (int y = target.y; y < target.y + target.height; y++) {
            source.getPixels(target.x - dx, y - dy, target.width, 1, samples);
            setPixels(target.x, y, target.width, 1, samples);
        }
    }
}
