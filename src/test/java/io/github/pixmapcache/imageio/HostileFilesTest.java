package io.github.pixmapcache.imageio;

import static io.github.pixmapcache.imageio.Messages.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The three findings of the hostile-file review through {@link PixmapIO#read} only: TIFF headers
 * that asked the JDK's reader for gigabytes, decode work quadratic in the bands, and a bare
 * {@code EOFException} for a short BMP.
 */
class HostileFilesTest {
    @AutoClose
    private final Arena arena = Arena.ofConfined();
    private final ArenaAllocator allocator = new ArenaAllocator(arena);

    @TempDir
    Path directory;

    // ------------------------------------------------------------------ TIFF

    /** 145 bytes declaring a 16x16 image of one 46336x46336 tile: 2 GiB asked of the heap. */
    @Test
    void tiffTileFarLargerThanTheLimitIsRefusedBeforeDecoding() throws IOException {
        assertRefusedFromPathAndStream(BadFiles.tiledTiff(46336, 46336, 16), "46336x46336 tile",
                "above the limit of " + (64L << 20));
    }

    /** A 12288x12288 tile decoded after 144 MiB of heap: above the 64 MiB limit for a row of tiles. */
    @Test
    void tiffTileOfHundredsOfMegabytesIsRefused() throws IOException {
        assertRefusedFromPathAndStream(BadFiles.tiledTiff(12288, 12288, 16), "12288x12288 tile",
                "decodes to " + 12288L * 12288 + " bytes");
    }

    /** The reader reads a strip's declared byte count into one array: 0x7FFFFF00 was an OutOfMemoryError, 1 GiB 8.7 s. */
    @ParameterizedTest
    @ValueSource(longs = {0x7FFFFF00L, 1L << 30, 4096 + 2 * 256 + 1, 0xFFFFFFFFL})
    void tiffStripByteCountsBeyondTheStripAreRefused(long byteCount) throws IOException {
        assertRefusedFromPathAndStream(BadFiles.strippedTiff(byteCount), "declares " + byteCount + " bytes for strip 0",
                "StripByteCounts");
    }

    @Test
    void tiffTileByteCountsBeyondTheTileAreRefused() throws IOException {
        assertRefusedFromPathAndStream(BadFiles.tiledTiff(16, 16, 0x7FFFFF00L), "bytes for tile 0 (TileByteCounts)",
                "at most 4608 are allowed");
    }

    /** The limits leave honest files alone: striped and tiled TIFFs, as ImageIO writes them, decode as it reads them. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void honestTiffsDecodeAsImageIoReadsThem(boolean tiled) throws IOException {
        BufferedImage image = new BufferedImage(1000, 700, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, x * 31 ^ y * 17 ^ (x * y));
            }
        }
        Path file = directory.resolve("honest.tif");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        try (var out = new MemoryCacheImageOutputStream(Files.newOutputStream(file))) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("Deflate");
            if (tiled) {
                param.setTilingMode(ImageWriteParam.MODE_EXPLICIT);
                param.setTiling(256, 128, 0, 0);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        DecodeTest.assertSameAsImageIo(ImageIO.read(file.toFile()), PixmapIO.read(file, allocator), "tiled " + tiled);
    }

    private void assertRefusedFromPathAndStream(byte[] tiff, String... parts) throws IOException {
        Path file = directory.resolve("hostile.tif");
        Files.write(file, tiff);
        IOException fromPath = assertThrows(IOException.class, () -> PixmapIO.read(file, allocator));
        IOException fromStream = assertThrows(IOException.class,
                () -> PixmapIO.read(new ByteArrayInputStream(tiff), allocator));
        // From a file ImageIO knows the length and may refuse first, with its own words after the name.
        assertMessage(file + ": ", fromPath);
        assertMessage("the input stream", fromStream);
        assertMessage(": the tiff header declares", fromStream);
        for (String part : parts) {
            assertMessage(part, fromStream);
        }
        assertEquals(List.of(), allocator.requests, "refused before the pixmap is allocated");
    }

    // ------------------------------------------------------------------ linear work

    /**
     * A 2048x8192 image (four bands of the old decoder) is read from the file about once: each
     * band used to inflate the file from its beginning again, four times the bytes here and 40
     * times at the pixel limit. Bytes read from the input are the work's deterministic measure.
     */
    @ParameterizedTest
    @ValueSource(strings = {"png-palette", "png-16bit", "png-interlaced-palette", "gif", "tiff"})
    void largeImagesAreReadOnceNotOncePerBand(String kind) throws IOException {
        int width = 2048;
        int height = 8192;
        BufferedImage image = switch (kind) {
            case "png-16bit" -> new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
            default -> new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, palette());
        };
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = kind.equals("png-16bit") ? (x * 977 + y * 131) & 0xFFFF : (x / 7 + y / 5) & 0xFF;
            }
            image.getRaster().setSamples(0, y, width, 1, 0, row);
        }
        String format = kind.startsWith("png") ? "png" : kind;
        Path file = directory.resolve("large." + format);
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try (var out = new MemoryCacheImageOutputStream(Files.newOutputStream(file))) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (kind.contains("interlaced")) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            if (format.equals("tiff")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType("Deflate");
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        long length = Files.size(file);

        try (CountingInput in = new CountingInput(file.toFile())) {
            Pixmap decoded = PixmapIO.read(in, allocator, ReadOptions.defaults());
            assertTrue(in.bytesRead <= length + length / 4 + 65536,
                    kind + ": read " + in.bytesRead + " bytes of a " + length + "-byte file");
            BufferedImage reference = ImageIO.read(file.toFile());
            Pixmap expected = Pixmap.allocate(arena, width, 1, decoded.format());
            for (int y = 0; y < height; y += 509) {  // rows of every band, each compared whole
                for (int x = 0; x < width; x++) {
                    int sample = reference.getRaster().getSample(x, y, 0);
                    expected.setArgb(x, 0, kind.equals("png-16bit")
                            ? 0xFF000000 | (sample * 255 + 32767) / 65535 * 0x010101 : reference.getRGB(x, y));
                    assertEquals(expected.getArgb(x, 0), decoded.getArgb(x, y), kind + " at " + x + ", " + y);
                }
            }
        }
    }

    private static IndexColorModel palette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) i;
            g[i] = (byte) (i * 7);
            b[i] = (byte) (255 - i);
        }
        return new IndexColorModel(8, 256, r, g, b);
    }

    /** A file input that counts the bytes the reader takes from it. */
    private static final class CountingInput extends FileImageInputStream {
        long bytesRead;

        CountingInput(File file) throws IOException {
            super(file);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            bytesRead += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            bytesRead += Math.max(0, n);
            return n;
        }
    }

    // ------------------------------------------------------------------ BMP

    /** Every cut of a BMP fails with an IOException naming the file and saying the data ends early. */
    @Test
    void truncatedBmpNamesTheFileAndTheProblem() throws IOException {
        BufferedImage image = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        image.setRGB(5, 5, 0x123456);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "bmp", out);
        byte[] bmp = out.toByteArray();
        for (int length : new int[] {2, 10, 14, 20, 40, 54, 60, bmp.length / 2, bmp.length - 4}) {
            Path file = directory.resolve("short-" + length + ".bmp");
            byte[] cut = Arrays.copyOf(bmp, length);
            Files.write(file, cut);
            IOException fromPath = assertThrows(IOException.class, () -> PixmapIO.read(file, allocator));
            IOException fromStream = assertThrows(IOException.class,
                    () -> PixmapIO.read(new ByteArrayInputStream(cut), allocator));
            for (IOException thrown : List.of(fromPath, fromStream)) {
                assertTrue(!(thrown instanceof EOFException), length + ": " + thrown);
                assertMessage(thrown == fromPath ? file.toString() : "the input stream", thrown);
                assertTrue(thrown.getMessage().contains("ends before the image does")
                                || thrown.getMessage().contains("not an image format"),
                        length + ": " + thrown.getMessage());
            }
        }
        assertTrue(PixmapIO.read(new ByteArrayInputStream(bmp), allocator, ReadOptions.defaults()
                .withFormat(PixelFormat.RGBA_8888)).getArgb(5, 5) == 0xFF123456);
    }
}
