package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocator;
import io.github.pixmapcache.PixmapLoader;
import io.github.pixmapcache.imageio.PixmapIO;
import io.github.pixmapcache.imageio.ReadOptions;
import java.awt.Rectangle;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes one {@link StripKey} into the cache's memory. Level 0 is the decoder's output itself.
 * Level k > 0 is decoded with the reader's own source subsampling ({@link Pyramid#sampling}), then
 * reduced by averaging blocks of {@link Pyramid#box} x box samples, so that every level pixel is
 * the mean of up to 16 samples spread over its area rather than one sample picked from it.
 *
 * <p>A level that is one strip goes through {@link PixmapIO#read} (its header checks, its in-place
 * JPEG and PNG decoding); a level in several strips reads each strip's rows as a source region.
 */
final class StripDecoder implements PixmapLoader<StripKey> {
    static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final long stripBytes;
    private final AtomicLong decodes = new AtomicLong();

    StripDecoder(long stripBytes) {
        this.stripBytes = stripBytes;
    }

    /** Strips decoded so far. */
    long decodes() {
        return decodes.get();
    }

    @Override
    public Pixmap load(StripKey key, PixmapAllocator allocator) {
        decodes.incrementAndGet();
        Pyramid pyramid = new Pyramid(key.source(), stripBytes);
        try {
            return pyramid.strips(key.level()) == 1 ? wholeLevel(key, pyramid, allocator) : strip(key, pyramid, allocator);
        } catch (IOException e) {
            throw new SourceRefused(key.source().file(), e);
        }
    }

    private static Pixmap wholeLevel(StripKey key, Pyramid pyramid, PixmapAllocator allocator) throws IOException {
        ReadOptions options = ReadOptions.defaults().withMaximumPixels(SourceImage.MAX_PIXELS);
        int level = key.level();
        if (level == 0) {
            return PixmapIO.read(key.source().file(), allocator, options);
        }
        try (Arena arena = Arena.ofConfined()) {
            Pixmap fine = PixmapIO.read(key.source().file(), (w, h, f) -> Pixmap.allocate(arena, w, h, f),
                    options.withSubsampling(pyramid.sampling(level)));
            Pixmap out = allocator.allocate(pyramid.width(level), pyramid.height(level), PixelFormat.BGRA_8888_PRE);
            reduce(pyramid.box(level), out, fine.width(), fine.height(), (y, line) -> readRow(fine, y, line));
            return out;
        }
    }

    private static Pixmap strip(StripKey key, Pyramid pyramid, PixmapAllocator allocator) throws IOException {
        SourceImage source = key.source();
        int level = key.level();
        int rows = pyramid.rowsPerStrip(level);
        int top = key.strip() * rows;
        int height = Math.min(rows, pyramid.height(level) - top);
        int sourceTop = top << level;
        int sourceRows = (int) Math.min(source.height() - sourceTop, (long) height << level);
        BufferedImage band;
        try (ImageInputStream in = ImageIO.createImageInputStream(source.file().toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("no reader");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceRegion(new Rectangle(0, sourceTop, source.width(), sourceRows));
                param.setSourceSubsampling(pyramid.sampling(level), pyramid.sampling(level), 0, 0);
                band = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
        Pixmap out = allocator.allocate(pyramid.width(level), height, PixelFormat.BGRA_8888_PRE);
        reduce(pyramid.box(level), out, band.getWidth(), band.getHeight(), (y, line) -> bandRow(band, y, line));
        return out;
    }

    /** Reads row {@code y} of decoded samples into {@code line}, premultiplied ARGB. */
    private interface SampleRows {
        void read(int y, int[] line);
    }

    /**
     * Fills {@code out}: each pixel the rounded mean of the {@code box} x {@code box} samples above it
     * (the last row and column repeated where the samples end).
     */
    private static void reduce(int box, Pixmap out, int sampleWidth, int sampleHeight, SampleRows samples) {
        int[][] lines = new int[box][sampleWidth];
        int[] row = new int[out.width()];
        int[] sums = new int[4];
        int count = box * box;
        for (int y = 0; y < out.height(); y++) {
            for (int t = 0; t < box; t++) {
                samples.read(Math.min(box * y + t, sampleHeight - 1), lines[t]);
            }
            for (int x = 0; x < row.length; x++) {
                java.util.Arrays.fill(sums, 0);
                for (int[] line : lines) {
                    for (int u = 0; u < box; u++) {
                        int p = line[Math.min(box * x + u, sampleWidth - 1)];
                        sums[0] += p >>> 24;
                        sums[1] += p >> 16 & 0xFF;
                        sums[2] += p >> 8 & 0xFF;
                        sums[3] += p & 0xFF;
                    }
                }
                row[x] = (sums[0] + count / 2) / count << 24 | (sums[1] + count / 2) / count << 16
                        | (sums[2] + count / 2) / count << 8 | (sums[3] + count / 2) / count;
            }
            writeRow(out, y, row);
        }
    }

    /**
     * Row {@code y} of a decoded band as premultiplied ARGB. Plain gray is read as its samples:
     * {@code getRGB} would treat them as linear light and brighten them, as ImageIO's gray space is.
     */
    private static void bandRow(BufferedImage band, int y, int[] line) {
        ColorModel model = band.getColorModel();
        if (model instanceof ComponentColorModel && model.getNumComponents() == 1
                && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            int bits = model.getComponentSize(0);
            band.getRaster().getSamples(0, y, line.length, 1, 0, line);
            for (int i = 0; i < line.length; i++) {
                int v = bits == 8 ? line[i] : (int) Math.round(line[i] * 255.0 / ((1 << bits) - 1));
                line[i] = 0xFF00_0000 | v * 0x010101;
            }
            return;
        }
        band.getRGB(0, y, line.length, 1, line, 0, line.length);
        for (int i = 0; i < line.length; i++) {
            line[i] = premultiply(line[i]);
        }
    }

    static int premultiply(int argb) {
        int a = argb >>> 24;
        if (a == 255) {
            return argb;
        }
        int r = ((argb >> 16) & 0xFF) * a / 255;
        int g = ((argb >> 8) & 0xFF) * a / 255;
        int b = (argb & 0xFF) * a / 255;
        return a << 24 | r << 16 | g << 8 | b;
    }

    static void readRow(Pixmap pixmap, int y, int[] line) {
        MemorySegment.copy(pixmap.segment(), PIXEL, y * pixmap.stride(), line, 0, Math.min(line.length, pixmap.width()));
    }

    private static void writeRow(Pixmap pixmap, int y, int[] line) {
        MemorySegment.copy(line, 0, pixmap.segment(), PIXEL, y * pixmap.stride(), pixmap.width());
    }
}
