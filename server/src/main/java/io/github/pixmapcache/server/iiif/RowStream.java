package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.imageio.PixmapIO;
import io.github.pixmapcache.imageio.ReadOptions;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentSampleModel;
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
                ImageTypeSpecifier type = types.next();
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
                        WindowBuffer memory = new WindowBuffer(windowModel.createDataBuffer(), rowElements, windowRows,
                                height, partTop, converter);
                        ColorModel model = type.getColorModel();
                        BufferedImage destination = new BufferedImage(model,
                                Raster.createWritableRaster(type.getSampleModel(width, height), memory, null),
                                model.isAlphaPremultiplied(), null);
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

    /** Data elements per row of a sample model that keeps rows apart (every model ImageIO's readers make). */
    private static int scanlineElements(SampleModel model) throws IOException {
        return switch (model) {
            case ComponentSampleModel component -> component.getScanlineStride();
            case MultiPixelPackedSampleModel packed -> packed.getScanlineStride();
            case SinglePixelPackedSampleModel packed -> packed.getScanlineStride();
            default -> throw new IOException("cannot stream rows of a " + model.getClass().getSimpleName());
        };
    }

    /** Converts a window's rows to premultiplied ARGB through a pixmap and hands them on. */
    private static final class Converter {
        private final ColorModel model;
        private final SampleModel windowModel;
        private final Arena arena;
        private final Rows rows;
        private final Pixmap pixels;
        private final int[] line;

        Converter(ColorModel model, SampleModel windowModel, Arena arena, Rows rows) {
            this.model = model;
            this.windowModel = windowModel;
            this.arena = arena;
            this.rows = rows;
            this.pixels = Pixmap.allocate(arena, windowModel.getWidth(), windowModel.getHeight(), PixelFormat.BGRA_8888_PRE);
            this.line = new int[windowModel.getWidth()];
        }

        /** Hands on the first {@code count} rows of {@code window}, which are rows {@code y ..} of the base level. */
        void convert(DataBuffer window, int count, int y) {
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

        WindowBuffer(DataBuffer window, int rowElements, int windowRows, int rows, int firstRow, Converter converter) {
            super(window.getDataType(), rowElements * rows, window.getNumBanks());
            this.window = window;
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
