package io.github.pixmapcache.internal.imageio;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A raster over a {@link SegmentDataBuffer}, whose {@link #setRect(int, int, Raster)} (the JPEG
 * reader copies every decoded scan line in with it) moves whole rows: {@code WritableRaster}'s own
 * version goes through one virtual call per sample and allocates a new {@code int[]} per call
 * (measured: 12 bytes of garbage per pixel of a JPEG, and twice ImageIO.read's time).
 */
final class SegmentRaster extends WritableRaster {
    private final PixelInterleavedSampleModel layout;
    private final SegmentDataBuffer pixels;
    /** One row of the target region's bytes, or of samples for the generic path. */
    private byte[] row = new byte[0];
    private int[] samples = new int[0];

    SegmentRaster(PixelInterleavedSampleModel layout, SegmentDataBuffer pixels) {
        super(layout, pixels, new Point(0, 0));
        this.layout = layout;
        this.pixels = pixels;
    }

    @Override
    public void setRect(int dx, int dy, Raster source) {
        Rectangle target = new Rectangle(source.getMinX() + dx, source.getMinY() + dy,
                source.getWidth(), source.getHeight()).intersection(getBounds());
        if (target.isEmpty()) {
            return;
        }
        if (source.getDataBuffer() instanceof DataBufferByte bytes
                && source.getSampleModel() instanceof PixelInterleavedSampleModel from
                && from.getNumBands() == layout.getNumBands() && bytes.getNumBanks() == 1) {
            copyBytes(target, dx, dy, source, bytes, from);
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

    /**
     * Byte-interleaved source (the JPEG reader's scan line): each target row is read from native
     * memory once, its band bytes replaced (the bytes of other bands, alpha, stay), and written back.
     */
    private void copyBytes(Rectangle target, int dx, int dy, Raster source, DataBufferByte bytes,
                           PixelInterleavedSampleModel from) {
        MemorySegment segment = pixels.segment();
        int pixelStride = layout.getPixelStride();
        int[] bands = layout.getBandOffsets();
        int fromStride = from.getPixelStride();
        int[] fromBands = from.getBandOffsets();
        byte[] data = bytes.getData();
        int length = target.width * pixelStride;
        if (row.length < length) {
            row = new byte[length];
        }
        for (int y = target.y; y < target.y + target.height; y++) {
            long at = pixels.base() + (long) y * layout.getScanlineStride() + (long) target.x * pixelStride;
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at, row, 0, length);
            int s = bytes.getOffset()
                    + (y - dy - source.getSampleModelTranslateY()) * from.getScanlineStride()
                    + (target.x - dx - source.getSampleModelTranslateX()) * fromStride;
            for (int d = 0; d < length; d += pixelStride, s += fromStride) {
                for (int band = 0; band < bands.length; band++) {
                    row[d + bands[band]] = data[s + fromBands[band]];
                }
            }
            MemorySegment.copy(row, 0, segment, ValueLayout.JAVA_BYTE, at, length);
        }
    }
}
