package io.github.pixmapcache.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import javax.imageio.ImageIO;

/**
 * Fuzzes {@link PixmapIO#writePng} and {@link PixmapIO#writeJpeg} with pixmaps of every format,
 * size and content the fuzzer makes, and regions of them: ImageIO decodes the PNG to the exact
 * pixels (straight ARGB, as {@link Pixmap#getArgb} gives them), and the JPEG to the region's size
 * with a mean luma error bounded for content drawn as flat rectangles (chroma is subsampled 2x2 by
 * design, so a region of one-pixel rectangles of many colors has a large color error: the fuzzer's
 * first finding was this bound, not the encoder).
 */
class EncodeFuzzTest {
    private static final PixelFormat[] FORMATS = PixelFormat.values();

    @FuzzTest(maxDuration = "10m")
    void pngAndJpegRoundTrip(FuzzedDataProvider data) throws IOException {
        PixelFormat format = FORMATS[data.consumeInt(0, FORMATS.length - 1)];
        int width = data.consumeInt(1, 96);
        int height = data.consumeInt(1, 96);
        int x = data.consumeInt(0, width - 1);
        int y = data.consumeInt(0, height - 1);
        int regionWidth = data.consumeInt(1, width - x);
        int regionHeight = data.consumeInt(1, height - y);
        int level = data.consumeInt(-1, 9);
        float quality = data.consumeInt(50, 100) / 100f;
        boolean flat = data.consumeBoolean();
        try (Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixmap.allocate(arena, width, height, format);
            if (flat) {
                fillRectangles(pixmap, data);
            } else {
                byte[] bytes = data.consumeBytes((int) pixmap.byteSize());
                pixmap.segment().asSlice(0, bytes.length).copyFrom(java.lang.foreign.MemorySegment.ofArray(bytes));
                if (format == PixelFormat.BGRA_8888_PRE) {
                    premultiplied(pixmap);
                }
            }

            ByteArrayOutputStream png = new ByteArrayOutputStream();
            PixmapIO.writePng(pixmap, x, y, regionWidth, regionHeight, png, level);
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
            assertEquals(regionWidth, decoded.getWidth());
            assertEquals(regionHeight, decoded.getHeight());
            Pixmap back = PixmapIO.read(new ByteArrayInputStream(png.toByteArray()), (w, h, f) -> Pixmap.allocate(arena, w, h, f),
                    ReadOptions.defaults().withFormat(format));
            for (int row = 0; row < regionHeight; row++) {
                for (int column = 0; column < regionWidth; column++) {
                    int expected = pixmap.getArgb(x + column, y + row);
                    assertEquals(expected, back.getArgb(column, row), "PNG pixel " + column + ", " + row);
                    if (format == PixelFormat.GRAY_8) {
                        assertEquals(expected & 0xFF, decoded.getRaster().getSample(column, row, 0));
                    } else if (expected >>> 24 == 0xFF) {
                        assertEquals(expected, decoded.getRGB(column, row), "PNG pixel through ImageIO");
                    }
                }
            }

            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            PixmapIO.writeJpeg(pixmap, x, y, regionWidth, regionHeight, jpeg, quality);
            BufferedImage lossy = ImageIO.read(new ByteArrayInputStream(jpeg.toByteArray()));
            assertEquals(regionWidth, lossy.getWidth());
            assertEquals(regionHeight, lossy.getHeight());
            if (flat && format != PixelFormat.BGRA_8888_PRE && opaque(pixmap)) {
                double error = meanLumaError(pixmap, x, y, lossy);
                assertTrue(error <= 32, "mean JPEG luma error " + error);
            }
        }
    }

    /** Opaque rectangles of the fuzzer's colors: content JPEG keeps within a small mean error. */
    private static void fillRectangles(Pixmap pixmap, FuzzedDataProvider data) {
        pixmap.fill(0xFF000000 | data.consumeInt());
        int count = data.consumeInt(0, 6);
        for (int i = 0; i < count; i++) {
            int left = data.consumeInt(0, pixmap.width() - 1);
            int top = data.consumeInt(0, pixmap.height() - 1);
            int right = data.consumeInt(left, pixmap.width() - 1);
            int bottom = data.consumeInt(top, pixmap.height() - 1);
            int argb = 0xFF000000 | data.consumeInt();
            for (int row = top; row <= bottom; row++) {
                for (int column = left; column <= right; column++) {
                    pixmap.setArgb(column, row, argb);
                }
            }
        }
    }

    /** Clamps every color byte to its alpha: random bytes are not all premultiplied pixels. */
    private static void premultiplied(Pixmap pixmap) {
        var segment = pixmap.segment();
        for (long at = 0; at + 3 < segment.byteSize(); at += 4) {
            int alpha = Byte.toUnsignedInt(segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at + 3));
            for (int channel = 0; channel < 3; channel++) {
                int value = Byte.toUnsignedInt(segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, at + channel));
                segment.set(java.lang.foreign.ValueLayout.JAVA_BYTE, at + channel, (byte) Math.min(value, alpha));
            }
        }
    }

    private static boolean opaque(Pixmap pixmap) {
        for (int row = 0; row < pixmap.height(); row++) {
            for (int column = 0; column < pixmap.width(); column++) {
                if (pixmap.getArgb(column, row) >>> 24 != 0xFF) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double meanLumaError(Pixmap pixmap, int x, int y, BufferedImage lossy) {
        double sum = 0;
        boolean gray = pixmap.format() == PixelFormat.GRAY_8;
        for (int row = 0; row < lossy.getHeight(); row++) {
            for (int column = 0; column < lossy.getWidth(); column++) {
                int expected = pixmap.getArgb(x + column, y + row);
                int actual = gray ? lossy.getRaster().getSample(column, row, 0) * 0x010101 : lossy.getRGB(column, row);
                sum += Math.abs(luma(expected) - luma(actual));
            }
        }
        return sum / ((double) lossy.getWidth() * lossy.getHeight());
    }

    /** JPEG's (JFIF's) luma of an RGB pixel. */
    private static double luma(int rgb) {
        return 0.299 * (rgb >> 16 & 0xFF) + 0.587 * (rgb >> 8 & 0xFF) + 0.114 * (rgb & 0xFF);
    }
}
