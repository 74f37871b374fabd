package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.imageio.PixmapIO;
import io.github.pixmapcache.imageio.ReadOptions;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.Point;
import java.awt.color.ColorSpace;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.awt.image.DataBuffer;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.awt.image.SinglePixelPackedSampleModel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * One decode of the file: the rows {@code top .. bottom - 1} of a source's {@link Pyramid#baseLevel}
 * handed, in order and as premultiplied ARGB, to a {@link Rows}, without the whole image in memory.
 *
 * <p>A source that {@link SourceImage#streams} is read by its ImageIO reader into a destination of
 * the region's full size whose memory is a window of a few rows ({@link WindowBuffer}): when the
 * reader writes past the window, the window's rows are converted (by {@link PixmapIO#copyFrom}, gray
 * as its stored samples) and handed on, and the window moves down. Any other source is decoded
 * whole by {@link PixmapIO#read} at its base level's subsampling, at most
 * {@link Pyramid#SCRATCH_BYTES}, in a confined arena freed when the rows have been handed on.
 */
final class RowStream {
    /** Decoded samples converted at a time. */
    private static final long WINDOW_BYTES = 1L << 20;
    /** Band offsets of R, G, B samples as the JPEG and PNG readers decode them. */
    private static final int[] RGB_ORDER = {0, 1, 2};

    private RowStream() {
    }

    /** Takes a pass's rows, top to bottom. */
    interface Rows {
        /** Row {@code y} of the base level, {@code argb.length} premultiplied pixels, valid during the call only. */
        void row(int y, int[] argb);
    }

    /** Hands base rows {@code top .. bottom - 1} of the source to {@code rows}. */
    static void decode(Pyramid pyramid, int top, int bottom, Rows rows) throws IOException {
        if (pyramid.source().streams()) {
            stream(pyramid.source(), top, bottom, rows);
        } else {
            whole(pyramid, top, bottom, rows);
        }
    }

    private static void whole(Pyramid pyramid, int top, int bottom, Rows rows) throws IOException {
        int base = pyramid.baseLevel();
        try (Arena arena = Arena.ofConfined()) {
            Pixmap decoded = PixmapIO.read(pyramid.source().file(), (w, h, f) -> Pixmap.allocate(arena, w, h, f),
                    ReadOptions.defaults().withMaximumPixels(SourceImage.MAX_PIXELS).withSubsampling(1 << base));
            int[] line = new int[decoded.width()];
            for (int y = top; y < bottom; y++) {
                MemorySegment.copy(decoded.segment(), RowSource.PIXEL, y * decoded.stride(), line, 0, line.length);
                rows.row(y, line);
            }
        }
    }

    private static void stream(SourceImage source, int top, int bottom, Rows rows) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(source.file().toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("not an image format ImageIO reads");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            IIOReadWarningListener listener = (r, warning) -> warnings.add(warning);
            reader.addIIOReadWarningListener(listener);
            try {
                reader.setInput(in, true, true);
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                if (!types.hasNext()) {
                    throw new IOException("the reader offers no type to decode into");
                }
                ImageTypeSpecifier type = inReaderOrder(types.next());
                int width = source.width();
                int windowRows = (int) Math.max(1, Math.min(bottom - top, WINDOW_BYTES / (4L * width)));
                SampleModel windowModel = type.getSampleModel(width, windowRows);
                int rowElements = scanlineElements(windowModel);
                // The destination's memory is indexed by int: a taller region is read in several parts.
                int partRows = (int) Math.max(1, Math.min(bottom - top, Integer.MAX_VALUE / rowElements));
                try (Arena arena = Arena.ofConfined()) {
                    Converter converter = new Converter(type.getColorModel(), windowModel, arena, rows);
                    for (int partTop = top; partTop < bottom; partTop += partRows) {
                        int height = Math.min(partRows, bottom - partTop);
                        WindowBuffer memory = new WindowBuffer(windowModel, rowElements, windowRows, height, partTop,
                                converter);
                        ColorModel model = type.getColorModel();
                        BufferedImage destination = new BufferedImage(model,
                                new WindowRaster(type.getSampleModel(width, height), memory), model.isAlphaPremultiplied(), null);
                        ImageReadParam param = reader.getDefaultReadParam();
                        param.setSourceRegion(new Rectangle(0, partTop, width, height));
                        param.setDestination(destination);
                        try {
                            reader.read(0, param);
                        } catch (OutOfOrder e) {
                            throw new IOException(e.getMessage(), e);
                        }
                        if (!warnings.isEmpty()) {
                            throw new IOException("damaged " + source.format() + " data: " + String.join("; ", warnings));
                        }
                        memory.finish();
                    }
                }
            } finally {
                reader.removeIIOReadWarningListener(listener);
                reader.dispose();
            }
        }
    }

    /**
     * The reader's first type, or for opaque 8-bit sRGB samples (JPEG's and PNG's {@code TYPE_3BYTE_BGR})
     * the same samples in R, G, B order: the order both readers decode a row in, so that each row is
     * copied into the window whole ({@code System.arraycopy}) instead of sample by sample.
     */
    private static ImageTypeSpecifier inReaderOrder(ImageTypeSpecifier type) {
        ColorModel model = type.getColorModel();
        boolean opaqueRgbBytes = model instanceof ComponentColorModel && !model.hasAlpha()
                && model.getTransferType() == DataBuffer.TYPE_BYTE && model.getNumComponents() == 3
                && model.getColorSpace().isCS_sRGB() && type.getSampleModel() instanceof PixelInterleavedSampleModel;
        return opaqueRgbBytes ? ImageTypeSpecifier.createInterleaved(model.getColorSpace(), RGB_ORDER, DataBuffer.TYPE_BYTE, false, false)
                : type;
    }

    /** Data elements per row of a sample model that keeps rows apart (every model ImageIO's readers make). */
    private static int scanlineElements(SampleModel model) throws IOException {
        return switch (model) {
            case ComponentSampleModel component -> component.getScanlineStride();
            case MultiPixelPackedSampleModel packed -> packed.getScanlineStride();
            case SinglePixelPackedSampleModel packed -> packed.getScanlineStride();
            default -> throw new IOException("cannot stream rows of a " + model.getClass().getSimpleName());
        };
    }

    /**
     * Converts a window's rows to premultiplied ARGB and hands them on: opaque 8-bit sRGB and gray
     * samples (a JPEG's, most PNGs') straight from the window's bytes, which is what their color
     * model's {@code getRGB} gives and 20 times faster; every other layout through a pixmap and
     * {@link PixmapIO#copyFrom}.
     */
    private static final class Converter {
        private final ColorModel model;
        private final SampleModel windowModel;
        private final Arena arena;
        private final Rows rows;
        private final Pixmap pixels;
        private final int[] line;
        /** Where a pixel's R, G, B (or its one gray sample) lie in the window's bytes, or null for the general path. */
        private final int[] plainBytes;

        Converter(ColorModel model, SampleModel windowModel, Arena arena, Rows rows) {
            this.model = model;
            this.windowModel = windowModel;
            this.arena = arena;
            this.rows = rows;
            this.pixels = Pixmap.allocate(arena, windowModel.getWidth(), windowModel.getHeight(), PixelFormat.BGRA_8888_PRE);
            this.line = new int[windowModel.getWidth()];
            this.plainBytes = plainBytes(model, windowModel);
        }

        /** The band offsets of opaque 8-bit sRGB or gray pixels interleaved in one byte bank, else null. */
        private static int[] plainBytes(ColorModel model, SampleModel windowModel) {
            if (!(model instanceof ComponentColorModel) || model.hasAlpha() || model.getTransferType() != DataBuffer.TYPE_BYTE
                    || !(windowModel instanceof PixelInterleavedSampleModel interleaved)) {
                return null;
            }
            for (int size : model.getComponentSize()) {
                if (size != 8) {
                    return null;
                }
            }
            boolean rgb = model.getNumComponents() == 3 && model.getColorSpace().isCS_sRGB();
            boolean gray = model.getNumComponents() == 1 && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
            return rgb || gray ? interleaved.getBandOffsets() : null;
        }

        /** Hands on the first {@code count} rows of {@code window}, which are rows {@code y ..} of the base level. */
        void convert(DataBuffer window, int count, int y) {
            if (plainBytes != null && window instanceof DataBufferByte bytes && bytes.getNumBanks() == 1) {
                convertPlain(bytes.getData(), bytes.getOffset(), count, y);
                return;
            }
            BufferedImage image = new BufferedImage(model, Raster.createWritableRaster(windowModel, window, null),
                    model.isAlphaPremultiplied(), null);
            Pixmap target = pixels;
            if (count < windowModel.getHeight()) {
                image = image.getSubimage(0, 0, image.getWidth(), count);
                target = Pixmap.allocate(arena, image.getWidth(), count, PixelFormat.BGRA_8888_PRE);
            }
            PixmapIO.copyFrom(image, target);
            for (int r = 0; r < count; r++) {
                MemorySegment.copy(target.segment(), RowSource.PIXEL, r * target.stride(), line, 0, line.length);
                rows.row(y + r, line);
            }
        }

        /** Opaque sRGB or gray bytes (gray as its stored samples, as {@link PixmapIO#copyFrom} reads it) to ARGB. */
        private void convertPlain(byte[] data, int offset, int count, int y) {
            PixelInterleavedSampleModel interleaved = (PixelInterleavedSampleModel) windowModel;
            int pixelStride = interleaved.getPixelStride();
            int scanline = interleaved.getScanlineStride();
            for (int r = 0; r < count; r++) {
                int i = offset + r * scanline;
                if (plainBytes.length == 3) {
                    int red = i + plainBytes[0];
                    int green = i + plainBytes[1];
                    int blue = i + plainBytes[2];
                    for (int x = 0; x < line.length; x++, red += pixelStride, green += pixelStride, blue += pixelStride) {
                        line[x] = 0xFF00_0000 | (data[red] & 0xFF) << 16 | (data[green] & 0xFF) << 8 | data[blue] & 0xFF;
                    }
                } else {
                    int gray = i + plainBytes[0];
                    for (int x = 0; x < line.length; x++, gray += pixelStride) {
                        line[x] = 0xFF00_0000 | (data[gray] & 0xFF) * 0x01_0101;
                    }
                }
                rows.row(y + r, line);
            }
        }
    }

    /**
     * The destination's raster over a {@link WindowBuffer}: a reader's {@code setRect} of a decoded
     * row (how the JPEG and PNG readers write) goes to the window's own raster, a row at a time; any
     * other write reaches the window sample by sample through the buffer.
     */
    private static final class WindowRaster extends WritableRaster {
        private final WindowBuffer memory;

        WindowRaster(SampleModel model, WindowBuffer memory) {
            super(model, memory, new Point());
            this.memory = memory;
        }

        @Override
        public void setRect(int dx, int dy, Raster source) {
            memory.setRect(dx, dy, source);
        }
    }

    /** A reader wrote a row above the window, which was handed on already. */
    private static final class OutOfOrder extends RuntimeException {
        OutOfOrder(String message) {
            super(message);
        }
    }

    /**
     * The memory of a destination {@code rows} tall that holds only {@code windowRows} of them: the
     * reader writes rows in order, and a write below the window hands the window's rows on first. A
     * write above the window (a reader that goes back) fails the pass rather than lose rows.
     */
    private static final class WindowBuffer extends DataBuffer {
        private final DataBuffer window;
        /** The window's memory as a raster of the reader's own type, whose {@code setRect} copies whole rows. */
        private final WritableRaster windowRaster;
        private final int rowElements;
        private final int windowRows;
        private final int rows;
        private final int firstRow;
        private final Converter converter;
        /** The destination row at the window's top. */
        private int top;
        /** Element index of the window's start and end in the destination. */
        private long start;
        private long end;
        /** One past the highest element index written. */
        private long written;

        WindowBuffer(SampleModel windowModel, int rowElements, int windowRows, int rows, int firstRow, Converter converter) {
            this(windowModel.createDataBuffer(), windowModel, rowElements, windowRows, rows, firstRow, converter);
        }

        private WindowBuffer(DataBuffer window, SampleModel windowModel, int rowElements, int windowRows, int rows,
                             int firstRow, Converter converter) {
            super(window.getDataType(), rowElements * rows, window.getNumBanks());
            this.window = window;
            this.windowRaster = Raster.createWritableRaster(windowModel, window, null);
            this.rowElements = rowElements;
            this.windowRows = windowRows;
            this.rows = rows;
            this.firstRow = firstRow;
            this.converter = converter;
            this.end = (long) rowElements * windowRows;
        }

        @Override
        public int getElem(int bank, int i) {
            return i >= start && i < end ? window.getElem(bank, (int) (i - start)) : 0;
        }

        @Override
        public void setElem(int bank, int i, int value) {
            if (i < start || i >= end) {
                moveTo(i / rowElements);
            }
            window.setElem(bank, (int) (i - start), value);
            if (i >= written) {
                written = i + 1L;
            }
        }

        /**
         * {@link WritableRaster#setRect(int, int, Raster)} of the destination: {@code source}'s rows,
         * moved by ({@code dx}, {@code dy}) and clipped to the destination, copied into the window
         * one row at a time by the window's raster.
         */
        void setRect(int dx, int dy, Raster source) {
            int left = Math.max(0, source.getMinX() + dx);
            int right = Math.min(windowRaster.getWidth(), source.getMinX() + dx + source.getWidth());
            int from = Math.max(0, source.getMinY() + dy);
            int to = Math.min(rows, source.getMinY() + dy + source.getHeight());
            for (int row = from; row < to && left < right; row++) {
                if (row < top || row >= top + windowRows) {
                    moveTo(row);
                }
                windowRaster.setRect(source.createChild(left - dx, row - dy, right - left, 1, left, row - top, null));
                written = Math.max(written, (long) row * rowElements + 1);
            }
        }

        private void moveTo(int row) {
            if (row < top) {
                throw new OutOfOrder("the reader went back to row " + (firstRow + row) + " after row "
                        + (firstRow + top) + ": its rows cannot be streamed");
            }
            while (row >= top + windowRows) {
                converter.convert(window, windowRows, firstRow + top);
                top += windowRows;
            }
            start = (long) top * rowElements;
            end = start + (long) rowElements * windowRows;
        }

        /** Hands on the last rows; fails if the reader wrote fewer rows than asked for. */
        void finish() throws IOException {
            long rowsWritten = (written + rowElements - 1) / rowElements;
            if (rowsWritten < rows) {
                throw new IOException("the reader decoded " + rowsWritten + " of " + rows + " rows");
            }
            converter.convert(window, rows - top, firstRow + top);
        }
    }
}
