package io.github.pixmapcache.imageio;

import static io.github.pixmapcache.imageio.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.commons.imaging.Imaging;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PixmapIO#writePng}: the file is valid PNG and decodes, through ImageIO's reader and
 * through Apache Commons Imaging's independent decoder, to exactly the pixmap's straight pixels.
 */
class PngEncodingTest {
    /** Bytes 25 of a PNG file: the IHDR color type. */
    private static final int COLOR_TYPE_OFFSET = 25;

    @AutoClose
    private final Arena arena = Arena.ofConfined();

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void wholePixmapDecodesToItsPixelsThroughBothDecoders(PixelFormat format) throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 123, 77, format);  // 123 gray bytes: a padded stride
        TestImages.paint(pixmap, 1, false);

        byte[] png = png(pixmap);

        assertPixels(pixmap, 0, 0, ImageIO.read(new ByteArrayInputStream(png)));
        assertIndependentlyDecodes(pixmap, 0, 0, png);
    }

    /** The tile server's case: a 256x256 tile of a 2048x2048 premultiplied metatile. */
    @ParameterizedTest
    @CsvSource({"0, 0", "1792, 1792", "512, 768", "1792, 0"})
    void tileOfAMetatileIsEncodedWhereItLies(int x, int y) throws IOException {
        Pixmap metatile = Pixmap.allocate(arena, 2048, 2048, PixelFormat.BGRA_8888_PRE);
        Pixmap tile = Pixmap.allocate(arena, 256, 256, PixelFormat.BGRA_8888_PRE);
        TestImages.paint(tile, 7, false);
        for (int row = 0; row < 256; row++) {  // the tile's pixels, placed at (x, y) in the metatile
            java.lang.foreign.MemorySegment.copy(tile.segment(), row * tile.stride(),
                    metatile.segment(), (y + row) * metatile.stride() + 4L * x, 256 * 4);
        }

        ByteArrayOutputStream region = new ByteArrayOutputStream();
        PixmapIO.writePng(metatile, x, y, 256, 256, region);

        assertArrayEqualsAsPng(png(tile), region.toByteArray());
        assertPixels(metatile, x, y, ImageIO.read(new ByteArrayInputStream(region.toByteArray())));
        assertPixels(metatile, x, y, Imaging.getBufferedImage(region.toByteArray()));
    }

    @ParameterizedTest
    @CsvSource({"GRAY_8, 1, 0", "GRAY_8, 5, 3", "RGBA_8888, 3, 2", "BGRA_8888_PRE, 17, 9"})
    void regionsOfEveryFormatWithPaddedStrides(PixelFormat format, int x, int y) throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 61, 40, format);
        TestImages.paint(pixmap, 3, false);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PixmapIO.writePng(pixmap, x, y, 33, 21, out);

        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(33, decoded.getWidth());
        assertEquals(21, decoded.getHeight());
        assertPixels(pixmap, x, y, decoded);
        assertIndependentlyDecodes(pixmap, x, y, out.toByteArray());
    }

    @ParameterizedTest
    @EnumSource(value = PixelFormat.class, names = {"BGRA_8888_PRE", "RGBA_8888"})
    void opaqueRegionBecomesRgbAndOneTranslucentPixelMakesItRgba(PixelFormat format) throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 40, 30, format);
        TestImages.paint(pixmap, 5, true);
        pixmap.setArgb(39, 29, 0xFE102030);  // outside the region below

        assertEquals(2, png(pixmap, 0, 0, 39, 30)[COLOR_TYPE_OFFSET], "RGB");
        assertEquals(6, png(pixmap, 0, 0, 40, 30)[COLOR_TYPE_OFFSET], "RGBA");
        assertPixels(pixmap, 0, 0, ImageIO.read(new ByteArrayInputStream(png(pixmap, 0, 0, 39, 30))));
    }

    @Test
    void grayBecomesAGrayPng() throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 9, 9, PixelFormat.GRAY_8);
        TestImages.paint(pixmap, 9, true);

        assertEquals(0, png(pixmap)[COLOR_TYPE_OFFSET]);
    }

    /** Every premultiplied value of every alpha: straight in the file, the same bytes once premultiplied again. */
    @Test
    void everyPremultipliedPixelSurvivesUnpremultiplying() throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 256, 256, PixelFormat.BGRA_8888_PRE);
        ByteBuffer pixels = pixmap.segment().asByteBuffer();
        for (int alpha = 0; alpha < 256; alpha++) {
            for (int c = 0; c < 256; c++) {
                int at = (alpha * 256 + c) * 4;
                byte channel = (byte) Math.min(c, alpha);  // a valid premultiplied channel is <= alpha
                pixels.put(at, channel).put(at + 1, (byte) (alpha - Math.min(c, alpha))).put(at + 2, channel)
                        .put(at + 3, (byte) alpha);
            }
        }

        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png(pixmap)));
        Pixmap again = Pixmap.allocate(arena, 256, 256, PixelFormat.BGRA_8888_PRE);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                again.setArgb(x, y, decoded.getRGB(x, y));
            }
        }
        assertTrue(again.contentEquals(pixmap), "premultiply(decode(png)) is the original bytes");
    }

    @ParameterizedTest
    @ValueSource(ints = {PixmapIO.DEFAULT_PNG_COMPRESSION, 0, 1, 4, 6, 9})
    void everyLevelDecodesExactly(int level) throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 50, 50, PixelFormat.RGBA_8888);
        TestImages.paint(pixmap, level, false);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PixmapIO.writePng(pixmap, 0, 0, 50, 50, out, level);

        assertPixels(pixmap, 0, 0, Imaging.getBufferedImage(out.toByteArray()));
    }

    /** Chunks of at most 64 KiB of compressed data, each with a correct CRC. */
    @Test
    void largeImageSpansSeveralIdatChunksWithValidCrcs() throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 700, 500, PixelFormat.BGRA_8888_PRE);
        TestImages.paint(pixmap, 11, false);

        ByteBuffer png = ByteBuffer.wrap(png(pixmap));
        png.position(8);
        int idats = 0;
        while (png.hasRemaining()) {
            int length = png.getInt();
            byte[] typeAndData = new byte[4 + length];
            png.get(typeAndData);
            CRC32 crc = new CRC32();
            crc.update(typeAndData);
            assertEquals((int) crc.getValue(), png.getInt(), "CRC of " + new String(typeAndData, 0, 4));
            if (new String(typeAndData, 0, 4).equals("IDAT")) {
                idats++;
                assertTrue(length <= 64 * 1024, "chunk of " + length + " bytes");
            }
        }
        assertTrue(idats > 1, idats + " IDAT chunks");
        assertPixels(pixmap, 0, 0, Imaging.getBufferedImage(png.array()));
    }

    /** Flat rows stay unfiltered, photographic rows are filtered; every filter type decodes. */
    @Test
    void drawnRowsAreUnfilteredAndPhotographicRowsFiltered() throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 64, 96, PixelFormat.RGBA_8888);
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 64; x++) {
                int smooth = (int) (127 + 60 * Math.sin(x / 5.0 + y / 7.0)) + random.nextInt(9);
                pixmap.setArgb(x, y, y < 48 ? 0xFF000000 | smooth << 16 | (255 - smooth) << 8 | x * 2 : 0xFF336699);
            }
        }
        byte[] png = png(pixmap);

        byte[] filterTypes = filterTypes(png, 64 * 3);
        java.util.Set<Byte> photographic = new java.util.TreeSet<>();
        for (int row = 1; row < 48; row++) {
            photographic.add(filterTypes[row]);
        }
        assertTrue(!photographic.contains((byte) 0), "filters of smooth noise: " + photographic);
        for (int row = 49; row < 96; row++) {
            assertEquals(0, filterTypes[row], "flat row " + row + " is unfiltered");
        }
        assertPixels(pixmap, 0, 0, ImageIO.read(new ByteArrayInputStream(png)));
        assertIndependentlyDecodes(pixmap, 0, 0, png);
    }

    /** Bounded buffers: encoding a 16 MiB metatile allocates a few hundred KiB of heap, never a frame. */
    @Test
    void encodingAllocatesRowsAndOneChunkNotAFrame() throws IOException {
        Pixmap metatile = Pixmap.allocate(arena, 2048, 2048, PixelFormat.BGRA_8888_PRE);
        TestImages.paint(metatile, 12, false);
        OutputStream discard = OutputStream.nullOutputStream();
        PixmapIO.writePng(metatile, 0, 0, 256, 256, discard);  // loads and warms the classes

        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        PixmapIO.writePng(metatile, discard);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(allocated < 1 << 20, allocated + " heap bytes allocated for a " + metatile.byteSize() + "-byte frame");
    }

    @Test
    void badRegionsAndLevelsNameTheirValuesAndWriteNothing() {
        Pixmap pixmap = Pixmap.allocate(arena, 20, 10, PixelFormat.BGRA_8888_PRE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertMessage("x=15 width=6", assertThrows(IndexOutOfBoundsException.class,
                () -> PixmapIO.writePng(pixmap, 15, 0, 6, 10, out)));
        assertMessage("y=-1", assertThrows(IndexOutOfBoundsException.class,
                () -> PixmapIO.writePng(pixmap, 0, -1, 5, 5, out)));
        assertMessage("height=11", assertThrows(IndexOutOfBoundsException.class,
                () -> PixmapIO.writePng(pixmap, 0, 0, 5, 11, out)));
        assertMessage("0x5", assertThrows(IllegalArgumentException.class,
                () -> PixmapIO.writePng(pixmap, 0, 0, 0, 5, out)));
        assertMessage("x=2147483647 width=2147483647", assertThrows(IndexOutOfBoundsException.class,
                () -> PixmapIO.writePng(pixmap, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, 5, out)));
        assertMessage("was 10", assertThrows(IllegalArgumentException.class,
                () -> PixmapIO.writePng(pixmap, 0, 0, 5, 5, out, 10)));
        assertMessage("was -2", assertThrows(IllegalArgumentException.class,
                () -> PixmapIO.writePng(pixmap, 0, 0, 5, 5, out, -2)));
        assertMessage("pixmap", assertThrows(NullPointerException.class, () -> PixmapIO.writePng(null, out)));
        assertMessage("out", assertThrows(NullPointerException.class, () -> PixmapIO.writePng(pixmap, null)));
        assertEquals(0, out.size());
    }

    @Test
    void releasedPixmapIsRefused() {
        Pixmap pixmap;
        try (Arena scratch = Arena.ofConfined()) {
            pixmap = Pixmap.allocate(scratch, 4, 4, PixelFormat.RGBA_8888);
        }
        assertThrows(IllegalStateException.class, () -> PixmapIO.writePng(pixmap, new ByteArrayOutputStream()));
    }

    // ------------------------------------------------------------------ helpers

    /** The filter type byte of each row: the IDAT data inflated, one byte every 1 + rowBytes. */
    private static byte[] filterTypes(byte[] png, int rowBytes) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        ByteBuffer file = ByteBuffer.wrap(png).position(8);
        while (file.hasRemaining()) {
            int length = file.getInt();
            byte[] type = new byte[4];
            file.get(type);
            if (new String(type).equals("IDAT")) {
                idat.write(png, file.position(), length);
            }
            file.position(file.position() + length + 4);
        }
        byte[] raw;
        try {
            java.util.zip.Inflater inflater = new java.util.zip.Inflater();
            inflater.setInput(idat.toByteArray());
            raw = new byte[1 << 20];
            raw = java.util.Arrays.copyOf(raw, inflater.inflate(raw));
            inflater.end();
        } catch (java.util.zip.DataFormatException e) {
            throw new IOException(e);
        }
        byte[] types = new byte[raw.length / (1 + rowBytes)];
        for (int row = 0; row < types.length; row++) {
            types[row] = raw[row * (1 + rowBytes)];
        }
        return types;
    }

    private static byte[] png(Pixmap pixmap) throws IOException {
        return png(pixmap, 0, 0, pixmap.width(), pixmap.height());
    }

    private static byte[] png(Pixmap pixmap, int x, int y, int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PixmapIO.writePng(pixmap, x, y, width, height, out);
        return out.toByteArray();
    }

    /**
     * Commons Imaging decodes a gray PNG into a TYPE_BYTE_GRAY image through setRGB, which maps
     * sRGB to linear gray, so its gray output cannot be compared exactly; every other type is.
     */
    private static void assertIndependentlyDecodes(Pixmap pixmap, int x, int y, byte[] png) throws IOException {
        if (pixmap.format() != PixelFormat.GRAY_8) {
            assertPixels(pixmap, x, y, Imaging.getBufferedImage(png));
        }
    }

    /** Each pixel of {@code decoded} is the straight ARGB of the pixmap at the region's offset. */
    static void assertPixels(Pixmap pixmap, int x, int y, BufferedImage decoded) {
        for (int row = 0; row < decoded.getHeight(); row++) {
            for (int column = 0; column < decoded.getWidth(); column++) {
                int expected = pixmap.getArgb(x + column, y + row);
                // getRGB of a one-band image maps linear gray to sRGB: compare the stored sample
                int actual = decoded.getSampleModel().getNumBands() == 1
                        ? 0xFF000000 | decoded.getRaster().getSample(column, row, 0) * 0x010101
                        : decoded.getRGB(column, row);
                if (expected != actual) {
                    throw new AssertionError(String.format("pixel (%d, %d) of the region: expected %08x, was %08x"
                            + " (decoded as %s)", column, row, expected, actual, decoded));
                }
            }
        }
    }

    private static void assertArrayEqualsAsPng(byte[] expected, byte[] actual) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual,
                "a region encodes to the same file as the same pixels in a pixmap of their own");
    }
}
