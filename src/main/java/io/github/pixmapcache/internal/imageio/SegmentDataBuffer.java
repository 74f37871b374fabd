package io.github.pixmapcache.internal.imageio;

import java.awt.image.DataBuffer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A {@code DataBuffer} of bytes that lives in a pixmap's native memory: rasters over it let
 * {@code ImageIO} readers write decoded rows, and writers read rows to encode, with no frame on the
 * heap. Element {@code i} is the byte at {@code base + i} of the segment, so a raster can start at
 * a region's first pixel.
 */
final class SegmentDataBuffer extends DataBuffer {
    private final MemorySegment segment;
    private final long base;

    SegmentDataBuffer(MemorySegment segment, long base) {
        super(TYPE_BYTE, (int) Math.min(Integer.MAX_VALUE, segment.byteSize() - base));
        this.segment = segment;
        this.base = base;
    }

    MemorySegment segment() {
        return segment;
    }

    /** The segment offset of element 0. */
    long base() {
        return base;
    }

    @Override
    public int getElem(int bank, int i) {
        return Byte.toUnsignedInt(segment.get(ValueLayout.JAVA_BYTE, base + i));
    }

    @Override
    public void setElem(int bank, int i, int value) {
        segment.set(ValueLayout.JAVA_BYTE, base + i, (byte) value);
    }
}
