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
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PixmapIO#read}: exact round trips through PNG, every kind of file ImageIO reads here
 * (written by ImageIO in the test, and files from other encoders), subsampling, and bad input.
 */
class DecodeTest {
    @AutoClose
    private final Arena arena = Arena.ofConfined();
    private final ArenaAllocator allocator = new ArenaAllocator(arena);

    @TempDir
    Path directory;

    // ------------------------------------------------------------------ round trips

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void pngRoundTripIsExactForEveryFormat(PixelFormat format) throws IOException {
        Pixmap original = Pixmap.allocate(arena, 123, 45, format);
        TestImages.paint(original, 17, false);

        Pixmap decoded = PixmapIO.read(new ByteArrayInputStream(png(original, 0, 0, 123, 45)), allocator,
                ReadOptions.defaults().withFormat(format));

        assertTrue(decoded.contentEquals(original), format + " pixmap -> PNG -> pixmap");
    }

    /** Premultiplied bytes of every alpha survive un-premultiplying into the file and premultiplying back. */
    @Test
    void everyPremultipliedValueRoundTrips() throws IOException {
        Pixmap original = Pixmap.allocate(arena, 256, 256, PixelFormat.BGRA_8888_PRE);
        for (int alpha = 0; alpha < 256; alpha++) {
            for (int c = 0; c < 256; c++) {
                int channel = Math.min(c, alpha);
                original.segment().set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, (alpha * 256L + c) * 4,
                        alpha << 24 | channel << 16 | (alpha - channel) << 8 | channel / 2);
            }
        }
        Pixmap decoded = PixmapIO.read(new ByteArrayInputStream(png(original, 0, 0, 256, 256)), allocator);
        assertTrue(decoded.contentEquals(original));
    }

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void regionsWithPaddedStridesRoundTrip(PixelFormat format) throws IOException {
        Pixmap large = Pixmap.allocate(arena, 203, 70, format);  // 203 gray bytes: rows padded to 204
        TestImages.paint(large, 23, false);

        Pixmap decoded = PixmapIO.read(new ByteArrayInputStream(png(large, 101, 13, 37, 29)), allocator,
                ReadOptions.defaults().withFormat(format));

        Pixmap expected = Pixmap.allocate(arena, 37, 29, format);
        for (int row = 0; row < 29; row++) {
            MemorySegment.copy(large.segment(), (13 + row) * large.stride() + 101L * format.bytesPerPixel(),
                    expected.segment(), row * expected.stride(), 37L * format.bytesPerPixel());
        }
        assertTrue(decoded.contentEquals(expected), "the region of the large pixmap, pixel for pixel");
    }

    /** Each format's file in another format: gray spread over RGB, color reduced to Qt's gray. */
    @Test
    void crossFormatDecodesConvertAsSetArgbDoes() throws IOException {
        Pixmap gray = Pixmap.allocate(arena, 30, 20, PixelFormat.GRAY_8);
        TestImages.paint(gray, 3, true);
        Pixmap asBgra = PixmapIO.read(new ByteArrayInputStream(png(gray, 0, 0, 30, 20)), allocator);
        Pixmap color = Pixmap.allocate(arena, 30, 20, PixelFormat.RGBA_8888);
        TestImages.paint(color, 4, true);
        Pixmap asGray = PixmapIO.read(new ByteArrayInputStream(png(color, 0, 0, 30, 20)), allocator,
                ReadOptions.defaults().withFormat(PixelFormat.GRAY_8));

        Pixmap expectedGray = Pixmap.allocate(arena, 30, 20, PixelFormat.GRAY_8);
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < 30; x++) {
                assertEquals(gray.getArgb(x, y), asBgra.getArgb(x, y));
                expectedGray.setArgb(x, y, color.getArgb(x, y));
            }
        }
        assertTrue(asGray.contentEquals(expectedGray));
    }

    // ------------------------------------------------------------------ every kind of file

    /** Files ImageIO writes here, in each of its writers' formats and types, decoded as ImageIO reads them. */
    static Stream<Arguments> imageIoFiles() {
        return Stream.of(
                Arguments.of("png", BufferedImage.TYPE_INT_ARGB, false),
                Arguments.of("png", BufferedImage.TYPE_3BYTE_BGR, false),
                Arguments.of("png", BufferedImage.TYPE_INT_ARGB, true),      // Adam7 interlaced
                Arguments.of("png", BufferedImage.TYPE_BYTE_GRAY, false),
                Arguments.of("png", BufferedImage.TYPE_USHORT_GRAY, false),  // 16-bit: in bands
                Arguments.of("png", BufferedImage.TYPE_BYTE_INDEXED, false), // palette: in bands
                Arguments.of("jpeg", BufferedImage.TYPE_3BYTE_BGR, false),
                Arguments.of("jpeg", BufferedImage.TYPE_3BYTE_BGR, true),    // progressive
                Arguments.of("jpeg", BufferedImage.TYPE_BYTE_GRAY, false),
                Arguments.of("bmp", BufferedImage.TYPE_3BYTE_BGR, false),
                Arguments.of("bmp", BufferedImage.TYPE_BYTE_INDEXED, false),
                Arguments.of("gif", BufferedImage.TYPE_BYTE_INDEXED, false),
                Arguments.of("gif", BufferedImage.TYPE_BYTE_INDEXED, true),  // interlaced
                Arguments.of("wbmp", BufferedImage.TYPE_BYTE_BINARY, false),
                Arguments.of("tiff", BufferedImage.TYPE_INT_ARGB, false),
                Arguments.of("tiff", BufferedImage.TYPE_BYTE_GRAY, false));
    }

    @ParameterizedTest(name = "{0} of type {1}, progressive {2}")
    @MethodSource("imageIoFiles")
    void everyFormatImageIoWritesDecodesToWhatImageIoReads(String format, int type, boolean progressive)
            throws IOException {
        BufferedImage drawn = new BufferedImage(97, 61, type);
        Pixmap source = Pixmap.allocate(arena, 97, 61, PixelFormat.RGBA_8888);
        TestImages.paint(source, type, type != BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 61; y++) {
            for (int x = 0; x < 97; x++) {
                drawn.setRGB(x, y, source.getArgb(x, y));
            }
        }
        Path file = directory.resolve("image." + format);
        write(drawn, format, progressive, file);

        for (PixelFormat target : PixelFormat.values()) {
            Pixmap decoded = PixmapIO.read(file, allocator, ReadOptions.defaults().withFormat(target));
            assertSameAsImageIo(ImageIO.read(file.toFile()), decoded, format + " as " + target);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"adwaita-folder-pictures.png", "vim-gvim-4bit.png", "nodejs-thin-white-stripe-progressive.jpg"})
    void filesFromOtherEncodersDecodeToWhatImageIoReads(String name) throws IOException {
        byte[] file;
        try (InputStream in = DecodeTest.class.getResourceAsStream("/images/" + name)) {
            file = in.readAllBytes();
        }
        for (PixelFormat target : PixelFormat.values()) {
            Pixmap decoded = PixmapIO.read(new ByteArrayInputStream(file), allocator,
                    ReadOptions.defaults().withFormat(target));
            assertSameAsImageIo(ImageIO.read(new ByteArrayInputStream(file)), decoded, name + " as " + target);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"png", "jpeg", "gif"})
    void subsampledDecodeKeepsEveryNthPixelOfEveryNthRow(String format) throws IOException {
        BufferedImage drawn = new BufferedImage(101, 67, format.equals("gif") ? BufferedImage.TYPE_BYTE_INDEXED
                : BufferedImage.TYPE_3BYTE_BGR);
        Pixmap source = Pixmap.allocate(arena, 101, 67, PixelFormat.RGBA_8888);
        TestImages.paint(source, 31, true);
        for (int y = 0; y < 67; y++) {
            for (int x = 0; x < 101; x++) {
                drawn.setRGB(x, y, source.getArgb(x, y));
            }
        }
        Path file = directory.resolve("image." + format);
        write(drawn, format, false, file);

        Pixmap thumbnail = PixmapIO.read(file, allocator, ReadOptions.defaults().withSubsampling(4));

        assertEquals(26, thumbnail.width());
        assertEquals(17, thumbnail.height());
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(4, 4, 0, 0);
            assertSameAsImageIo(reader.read(0, param), thumbnail, format + " subsampled by 4");
            reader.dispose();
        }
    }

    // ------------------------------------------------------------------ heap

    /**
     * A 4000x3000 JPEG (36 MB as a 3-byte frame) decodes with a few hundred kilobytes of heap
     * allocation: the frame goes straight into native memory. ImageIO.read of the same file, the
     * control, allocates at least the frame.
     */
    @Test
    void largeJpegDecodesWithoutAFrameOnTheHeap() throws IOException {
        Pixmap photo = Pixmap.allocate(arena, 4000, 3000, PixelFormat.BGRA_8888_PRE);
        TestImages.paint(photo, 5, true);
        Path file = directory.resolve("large.jpg");
        try (var out = Files.newOutputStream(file)) {
            PixmapIO.writeJpeg(photo, out, 0.85f);
        }
        long frame = 4000L * 3000 * 3;

        PixmapIO.read(file, allocator);  // warm up the reader's classes
        long decode = allocatedBy(() -> PixmapIO.read(file, allocator));
        long imageIo = allocatedBy(() -> ImageIO.read(file.toFile()));

        assertTrue(imageIo >= frame, "ImageIO.read allocated " + imageIo + " bytes, the frame is " + frame);
        assertTrue(decode < frame / 20, "PixmapIO.read allocated " + decode + " heap bytes for a " + frame + "-byte frame");
    }

    private static long allocatedBy(IoAction action) throws IOException {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        action.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void truncatedFilesFailNamingTheSource() throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 200, 150, PixelFormat.BGRA_8888_PRE);
        TestImages.paint(pixmap, 1, true);
        byte[] png = png(pixmap, 0, 0, 200, 150);
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        PixmapIO.writeJpeg(pixmap, jpeg, 0.9f);

        for (byte[] whole : List.of(png, jpeg.toByteArray())) {
            Path file = directory.resolve("truncated-" + whole.length);
            Files.write(file, Arrays.copyOf(whole, whole.length / 2));
            IOException thrown = assertThrows(IOException.class, () -> PixmapIO.read(file, allocator));
            assertMessage(file.toString(), thrown);
        }
    }

    @Test
    void corruptDataFailsNamingTheSourceAndFormat() throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 64, 64, PixelFormat.BGRA_8888_PRE);
        TestImages.paint(pixmap, 2, true);
        byte[] png = png(pixmap, 0, 0, 64, 64);
        for (int i = 60; i < png.length - 20; i += 7) {
            png[i] ^= 0x5A;  // IDAT bytes: the CRCs no longer match, the deflate stream is broken
        }
        Path file = directory.resolve("corrupt.png");
        Files.write(file, png);

        IOException thrown = assertThrows(IOException.class, () -> PixmapIO.read(file, allocator));
        assertMessage(file.toString(), thrown);
        assertMessage("png", thrown);
    }

    @Test
    void unknownFormatNamesTheSourceAndTheFormatsRead() throws IOException {
        Path file = directory.resolve("notes.txt");
        Files.writeString(file, "not an image at all");

        IOException thrown = assertThrows(IOException.class, () -> PixmapIO.read(file, allocator));

        assertMessage(file + ": not an image format ImageIO reads here", thrown);
        assertMessage("png", thrown);
        assertEquals(List.of(), allocator.requests);
    }

    /** A path of another file system (here a zip file's) has no java.io.File: it is read as a stream. */
    @Test
    void filesOfOtherFileSystemsDecode() throws IOException {
        Pixmap original = Pixmap.allocate(arena, 20, 10, PixelFormat.RGBA_8888);
        TestImages.paint(original, 6, false);
        Path zip = directory.resolve("images.zip");
        try (var zipFs = java.nio.file.FileSystems.newFileSystem(zip, java.util.Map.of("create", "true"))) {
            Path inside = zipFs.getPath("/tile.png");
            Files.write(inside, png(original, 0, 0, 20, 10));

            Pixmap decoded = PixmapIO.read(inside, allocator, ReadOptions.defaults().withFormat(PixelFormat.RGBA_8888));

            assertTrue(decoded.contentEquals(original));
        }
    }

    @Test
    void emptyStreamAndMissingFileAreRefused() {
        assertMessage("not an image format", assertThrows(IOException.class,
                () -> PixmapIO.read(new ByteArrayInputStream(new byte[0]), allocator)));
        Path missing = directory.resolve("missing.png");
        assertMessage(missing.toString(), assertThrows(NoSuchFileException.class, () -> PixmapIO.read(missing, allocator)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void zeroSizeHeaderIsRefusedBeforeAllocating(int zeroAxis) {
        byte[] png = zeroAxis == 0 ? BadFiles.png(0, 10, 1) : BadFiles.png(10, 0, 1);

        IOException thrown = assertThrows(IOException.class,
                () -> PixmapIO.read(new ByteArrayInputStream(png), allocator));

        assertMessage("input stream", thrown);
        assertEquals(List.of(), allocator.requests, "nothing allocated");
    }

    /** A few kilobytes that claim 100000 x 100000 pixels (10 gigapixels, 40 GB as BGRA). */
    @Test
    void decompressionBombIsRefusedBeforeAllocating() throws IOException {
        byte[] bomb = BadFiles.png(100_000, 100_000, 16);
        assertTrue(bomb.length < 8_000, bomb.length + " bytes");
        Path file = directory.resolve("bomb.png");
        Files.write(file, bomb);

        IOException thrown = assertThrows(IOException.class, () -> PixmapIO.read(file, allocator));

        assertMessage(file + ": the png header declares 100000x100000 = 10000000000 pixels, above the limit of "
                + ReadOptions.DEFAULT_MAXIMUM_PIXELS, thrown);
        assertEquals(List.of(), allocator.requests, "nothing allocated");
    }

    @Test
    void limitsAreTheCallersToChoose() throws IOException {
        byte[] png = BadFiles.png(300, 200, 200);

        assertMessage("60000 pixels, above the limit of 59999", assertThrows(IOException.class,
                () -> PixmapIO.read(new ByteArrayInputStream(png), allocator,
                        ReadOptions.defaults().withMaximumPixels(59_999))));
        assertMessage("needs 240000 bytes, above the limit of 239999 (ReadOptions.maximumBytes)",
                assertThrows(IOException.class, () -> PixmapIO.read(new ByteArrayInputStream(png), allocator,
                        ReadOptions.defaults().withMaximumBytes(239_999))));
        assertEquals(List.of(), allocator.requests);
        Pixmap exact = PixmapIO.read(new ByteArrayInputStream(png), allocator,
                ReadOptions.defaults().withMaximumPixels(60_000).withMaximumBytes(240_000));
        assertEquals(0, exact.getArgb(299, 199));
    }

    /** A bomb below the pixel limit: allocated, then the missing rows fail the decode. */
    @Test
    void headerWithoutItsRowsFailsAfterAllocating() {
        byte[] png = BadFiles.png(4000, 3000, 10);

        IOException thrown = assertThrows(IOException.class, () -> PixmapIO.read(new ByteArrayInputStream(png), allocator));

        assertMessage("malformed or truncated png data", thrown);
    }

    @Test
    void badOptionsNameTheirValues() {
        assertMessage("subsampling must be at least 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> ReadOptions.defaults().withSubsampling(0)));
        assertMessage("maximumPixels must be positive, was -1", assertThrows(IllegalArgumentException.class,
                () -> ReadOptions.defaults().withMaximumPixels(-1)));
        assertMessage("maximumBytes must be positive, was 0", assertThrows(IllegalArgumentException.class,
                () -> ReadOptions.defaults().withMaximumBytes(0)));
        assertMessage("format", assertThrows(NullPointerException.class, () -> ReadOptions.defaults().withFormat(null)));
        assertMessage("allocator", assertThrows(NullPointerException.class,
                () -> PixmapIO.read(directory.resolve("x.png"), null)));
    }

    // ------------------------------------------------------------------ helpers

    private static byte[] png(Pixmap pixmap, int x, int y, int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PixmapIO.writePng(pixmap, x, y, width, height, out);
        return out.toByteArray();
    }

    private static void write(BufferedImage image, String format, boolean progressive, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try (var out = new MemoryCacheImageOutputStream(Files.newOutputStream(file))) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /**
     * The decoded pixmap holds what ImageIO's own decode shows: for each pixel, ImageIO's straight
     * ARGB (or, for one-band gray, its stored sample) in the pixmap's format, as setArgb stores it.
     */
    static void assertSameAsImageIo(BufferedImage reference, Pixmap decoded, String what) {
        assertEquals(reference.getWidth(), decoded.width(), what + ": width");
        assertEquals(reference.getHeight(), decoded.height(), what + ": height");
        boolean gray = reference.getColorModel().getNumComponents() == 1
                && reference.getColorModel().getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY;
        try (Arena scratch = Arena.ofConfined()) {
            Pixmap expected = Pixmap.allocate(scratch, decoded.width(), decoded.height(), decoded.format());
            int maximum = (1 << reference.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < decoded.height(); y++) {
                for (int x = 0; x < decoded.width(); x++) {
                    int argb = gray
                            ? 0xFF000000 | (reference.getRaster().getSample(x, y, 0) * 255 + maximum / 2) / maximum * 0x010101
                            : reference.getRGB(x, y);
                    expected.setArgb(x, y, argb);
                }
            }
            for (int y = 0; y < decoded.height(); y++) {
                for (int x = 0; x < decoded.width(); x++) {
                    if (expected.getArgb(x, y) != decoded.getArgb(x, y)) {
                        throw new AssertionError(String.format("%s: pixel (%d, %d) is %08x, ImageIO reads %08x", what,
                                x, y, decoded.getArgb(x, y), expected.getArgb(x, y)));
                    }
                }
            }
            assertTrue(decoded.contentEquals(expected), what);
        }
    }
}
