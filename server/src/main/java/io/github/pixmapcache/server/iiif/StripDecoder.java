package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocator;
import io.github.pixmapcache.PixmapLoader;
import io.github.pixmapcache.imageio.PixmapIO;
import io.github.pixmapcache.imageio.ReadOptions;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
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
 * Level k > 0 is decoded with the reader's own source subsampling at 2^(k-1), then halved by
 * averaging 2x2 blocks, so every level pixel is the mean of four samples spread over its area
 * rather than one sample picked from it.
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
                    options.withSubsampling(1 << (level - 1)));
            Pixmap out = allocator.allocate(pyramid.width(level), pyramid.height(level), PixelFormat.BGRA_8888_PRE);
            int[] upper = new int[fine.width()];
            int[] lower = new int[fine.width()];
            int[] row = new int[out.width()];
            for (int y = 0; y < out.height(); y++) {
                readRow(fine, Math.min(2 * y, fine.height() - 1), upper);
                readRow(fine, Math.min(2 * y + 1, fine.height() - 1), lower);
                halve(upper, lower, fine.width(), row, out.width());
                writeRow(out, y, row);
            }
            return out;
        }
    }

    private static Pixmap strip(StripKey key, Pyramid pyramid, PixmapAllocator allocator) throws IOException {
        SourceImage source = key.source();
        int level = key.level();
        int sub = level == 0 ? 1 : 1 << (level - 1);
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
                param.setSourceSubsampling(sub, sub, 0, 0);
                band = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        }
        Pixmap out = allocator.allocate(pyramid.width(level), height, PixelFormat.BGRA_8888_PRE);
        int bandWidth = band.getWidth();
        int[] upper = new int[bandWidth];
        int[] lower = new int[bandWidth];
        int[] row = new int[out.width()];
        for (int y = 0; y < height; y++) {
            if (level == 0) {
                bandRow(band, Math.min(y, band.getHeight() - 1), upper);
                System.arraycopy(upper, 0, row, 0, Math.min(bandWidth, row.length));
            } else {
                bandRow(band, Math.min(2 * y, band.getHeight() - 1), upper);
                bandRow(band, Math.min(2 * y + 1, band.getHeight() - 1), lower);
                halve(upper, lower, bandWidth, row, out.width());
            }
            writeRow(out, y, row);
        }
        return out;
    }

    /** Row {@code y} of a decoded band as premultiplied ARGB. */
    private static void bandRow(BufferedImage band, int y, int[] line) {
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

    /** Each output pixel the rounded mean of the 2x2 block above it (the last column repeated at an odd edge). */
    private static void halve(int[] upper, int[] lower, int fineWidth, int[] out, int outWidth) {
        for (int x = 0; x < outWidth; x++) {
            int left = Math.min(2 * x, fineWidth - 1);
            int right = Math.min(2 * x + 1, fineWidth - 1);
            int p = upper[left];
            int q = upper[right];
            int r = lower[left];
            int s = lower[right];
            int pixel = 0;
            for (int shift = 0; shift < 32; shift += 8) {
                int sum = (p >>> shift & 0xFF) + (q >>> shift & 0xFF) + (r >>> shift & 0xFF) + (s >>> shift & 0xFF);
                pixel |= ((sum + 2) >> 2) << shift;
            }
            out[x] = pixel;
        }
    }

    static void readRow(Pixmap pixmap, int y, int[] line) {
        MemorySegment.copy(pixmap.segment(), PIXEL, y * pixmap.stride(), line, 0, Math.min(line.length, pixmap.width()));
    }

    private static void writeRow(Pixmap pixmap, int y, int[] line) {
        MemorySegment.copy(line, 0, pixmap.segment(), PIXEL, y * pixmap.stride(), pixmap.width());
    }
}
