package io.github.pixmapcache.internal.imageio;

import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import javax.imageio.ImageTypeSpecifier;

/**
 * A whole frame in a reader's own sample layout (palette indices, 16-bit samples, packed bits),
 * in native memory: a reader decodes the file into it in one pass, and {@link #row} hands out one
 * row at a time as a one-row heap image of the same type to convert into the pixmap. It replaces
 * decoding in bands for readers that restart from the file's beginning for every band.
 */
final class NativeFrame implements AutoCloseable {
    private final Arena arena = Arena.ofConfined();
    private final int height;
    private final long rowBytes;
    private final MemorySegment pixels;
    private final BufferedImage frame;
    /** One row of the frame on the heap, in the same layout, refilled by {@link #row}. */
    private final BufferedImage row;

    private NativeFrame(ImageTypeSpecifier type, SampleModel layout, int height, int elementBytes, long elements) {
        this.height = height;
        this.rowBytes = (long) scanlineStride(layout) * elementBytes;
        this.pixels = arena.allocate(elements * elementBytes, 8);
        SegmentElements data = new SegmentElements(layout.getDataType(), pixels, (int) elements);
        this.frame = new BufferedImage(type.getColorModel(), new FrameRaster(layout, data), false, null);
        this.row = type.createBufferedImage(layout.getWidth(), 1);
    }

    /**
     * A native frame for {@code type} at {@code width} x {@code height}, or null when its layout is
     * not one bank of bytes or unsigned shorts or needs more than {@code maximumBytes}.
     */
    static NativeFrame of(ImageTypeSpecifier type, int width, int height, long maximumBytes) {
        SampleModel layout = type.getSampleModel(width, height);
        int dataType = layout.getDataType();
        if (dataType != DataBuffer.TYPE_BYTE && dataType != DataBuffer.TYPE_USHORT) {
            return null;
        }
        int elementBytes = dataType == DataBuffer.TYPE_BYTE ? 1 : 2;
        if (layout instanceof ComponentSampleModel component
                && java.util.Arrays.stream(component.getBankIndices()).anyMatch(bank -> bank != 0)) {
            return null;
        }
        if (!(layout instanceof ComponentSampleModel || layout instanceof MultiPixelPackedSampleModel)
                || firstElement(layout) != 0) {
            return null;
        }
        long elements = (long) scanlineStride(layout) * height;
        if (elements > Integer.MAX_VALUE || elements * elementBytes > maximumBytes) {
            return null;
        }
        return new NativeFrame(type, layout, height, elementBytes, elements);
    }

    /** The native memory a frame of {@code type} at this size takes, as {@link #of} would allocate it. */
    static long bytes(ImageTypeSpecifier type, int width, int height) {
        SampleModel layout = type.getSampleModel(width, 1);
        return (long) scanlineStride(layout) * height * DataBuffer.getDataTypeSize(layout.getDataType()) / 8;
    }

    /** The destination the reader decodes into. */
    BufferedImage image() {
        return frame;
    }

    /** Row {@code y} of the frame, copied into a one-row heap image of the reader's type (reused). */
    BufferedImage row(int y) {
        DataBuffer target = row.getRaster().getDataBuffer();
        long at = y * rowBytes;
        if (target instanceof DataBufferByte bytes) {
            MemorySegment.copy(pixels, ValueLayout.JAVA_BYTE, at, bytes.getData(), 0, (int) rowBytes);
        } else {
            MemorySegment.copy(pixels, ValueLayout.JAVA_SHORT_UNALIGNED, at,
                    ((DataBufferUShort) target).getData(), 0, (int) (rowBytes / 2));
        }
        return row;
    }

    int height() {
        return height;
    }

    @Override
    public void close() {
        arena.close();
    }

    private static int scanlineStride(SampleModel layout) {
        return switch (layout) {
            case ComponentSampleModel component -> component.getScanlineStride();
            case MultiPixelPackedSampleModel packed -> packed.getScanlineStride();
            case SinglePixelPackedSampleModel packed -> packed.getScanlineStride();
            default -> throw new IllegalArgumentException("no scanline stride in " + layout);
        };
    }

    /** Element offset of pixel (0, 0): a nonzero one would not fit the one-row copies. */
    private static int firstElement(SampleModel layout) {
        if (layout instanceof ComponentSampleModel component) {
            int first = Integer.MAX_VALUE;
            for (int offset : component.getBandOffsets()) {
                first = Math.min(first, offset);
            }
            return first;
        }
        return ((MultiPixelPackedSampleModel) layout).getDataBitOffset();
    }

    /** Bytes or unsigned shorts at consecutive positions of a segment. */
    private static final class SegmentElements extends DataBuffer {
        private final MemorySegment segment;

        SegmentElements(int dataType, MemorySegment segment, int size) {
            super(dataType, size);
            this.segment = segment;
        }

        @Override
        public int getElem(int bank, int i) {
            return dataType == TYPE_BYTE
                    ? Byte.toUnsignedInt(segment.getAtIndex(ValueLayout.JAVA_BYTE, i))
                    : Short.toUnsignedInt(segment.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i));
        }

        @Override
        public void setElem(int bank, int i, int value) {
            if (dataType == TYPE_BYTE) {
                segment.setAtIndex(ValueLayout.JAVA_BYTE, i, (byte) value);
            } else {
                segment.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i, (short) value);
            }
        }
    }

    /**
     * The frame's raster: rows the readers copy in whole ({@code setRect} of a decoded row, the
     * PNG reader; {@code setDataElements} of a row, the GIF reader) move in bulk when their
     * elements lie in the same order as the frame's, else sample by sample as any raster does.
     */
    private static final class FrameRaster extends WritableRaster {
        private final SegmentElements data;
        private final int elementBytes;
        private final long stride;
        /** Elements per pixel when a row's data elements are its memory as it is, else 0. */
        private final int contiguous;
        /** The layout when pixels are packed into the bits of bytes (1, 2 or 4 bits), else null. */
        private final MultiPixelPackedSampleModel packed;
        private Object rowElements;

        FrameRaster(SampleModel layout, SegmentElements data) {
            super(layout, data, new Point(0, 0));
            this.data = data;
            this.elementBytes = layout.getDataType() == DataBuffer.TYPE_BYTE ? 1 : 2;
            this.stride = scanlineStride(layout);
            this.contiguous = contiguousElements(layout);
            this.packed = layout instanceof MultiPixelPackedSampleModel bits && bits.getDataType() == DataBuffer.TYPE_BYTE
                    ? bits : null;
        }

        private static int contiguousElements(SampleModel layout) {
            if (!(layout instanceof ComponentSampleModel component)
                    || component.getPixelStride() != component.getNumBands()) {
                return 0;
            }
            int[] offsets = component.getBandOffsets();
            for (int band = 0; band < offsets.length; band++) {
                if (offsets[band] != band) {
                    return 0;
                }
            }
            return offsets.length;
        }

        @Override
        public void setDataElements(int x, int y, int w, int h, Object elements) {
            if (contiguous == 0 || x < 0 || y < 0 || w < 0 || h < 0
                    || x + w > getWidth() || y + h > getHeight()
                    || !(elementBytes == 1 ? elements instanceof byte[] : elements instanceof short[])) {
                super.setDataElements(x, y, w, h, elements);
                return;
            }
            int count = w * contiguous;
            for (int r = 0; r < h; r++) {
                long at = ((y + r) * stride + (long) x * contiguous) * elementBytes;
                if (elements instanceof byte[] bytes) {
                    MemorySegment.copy(bytes, r * count, data.segment, ValueLayout.JAVA_BYTE, at, count);
                } else {
                    MemorySegment.copy((short[]) elements, r * count, data.segment,
                            ValueLayout.JAVA_SHORT_UNALIGNED, at, count);
                }
            }
        }

        /** One pixel: the PNG reader's way whenever its destination is not a JDK byte raster. */
        @Override
        public void setPixel(int x, int y, int[] samples) {
            if (x < 0 || y < 0 || x >= getWidth() || y >= getHeight()) {
                super.setPixel(x, y, samples);  // throws as every raster does
                return;
            }
            if (contiguous != 0) {
                long at = y * stride + (long) x * contiguous;
                for (int band = 0; band < contiguous; band++) {
                    data.setElem(0, (int) (at + band), samples[band]);
                }
            } else if (packed != null) {
                int bits = packed.getPixelBitStride();
                long bit = (long) x * bits;
                int index = (int) (y * stride + bit / 8);
                int shift = 8 - bits - (int) (bit % 8);
                int mask = ((1 << bits) - 1) << shift;
                int old = data.getElem(0, index);
                data.setElem(0, index, (old & ~mask) | ((samples[0] << shift) & mask));
            } else {
                super.setPixel(x, y, samples);
            }
        }

        @Override
        public void setRect(int dx, int dy, Raster source) {
            Rectangle target = new Rectangle(source.getMinX() + dx, source.getMinY() + dy,
                    source.getWidth(), source.getHeight()).intersection(getBounds());
            if (target.isEmpty()) {
                return;
            }
            if (contiguous == 0 || source.getSampleModel().getDataType() != getSampleModel().getDataType()
                    || source.getNumBands() != contiguous) {
                super.setRect(dx, dy, source);
                return;
            }
            int needed = target.width * contiguous;
            if (rowElements == null || java.lang.reflect.Array.getLength(rowElements) < needed) {
                rowElements = null;  // getDataElements allocates one of the right length
            }
            for (int y = target.y; y < target.y + target.height; y++) {
                rowElements = source.getDataElements(target.x - dx, y - dy, target.width, 1, rowElements);
                setDataElements(target.x, y, target.width, 1, rowElements);
            }
        }
    }
}
