package io.github.pixmapcache.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import javax.imageio.ImageIO;

/** {@link PixmapIO#writeJpeg}: regions of any format, quality, gray, alpha dropped. */
class JpegEncodingTest {
    @AutoClose
    private final Arena arena = Arena.ofConfined();

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void regionDecodesCloseToItsPixels(PixelFormat format) throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 300, 200, format);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                pixmap.setArgb(x, y, 0xFF000000 | (x % 256) << 16 | (y % 256) << 8 | 128);  // smooth, opaque
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PixmapIO.writeJpeg(pixmap, 40, 30, 160, 120, out, 0.95f);

        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(160, decoded.getWidth());
        assertEquals(120, decoded.getHeight());
        assertEquals(format == PixelFormat.GRAY_8 ? 1 : 3, decoded.getColorModel().getNumComponents());
        for (int y = 0; y < 120; y += 7) {
            for (int x = 0; x < 160; x += 7) {
                int expected = pixmap.getArgb(40 + x, 30 + y);
                int actual = format == PixelFormat.GRAY_8
                        ? decoded.getRaster().getSample(x, y, 0) * 0x010101 : decoded.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    int difference = Math.abs((expected >> shift & 0xFF) - (actual >> shift & 0xFF));
                    assertTrue(difference <= 8, "pixel " + x + "," + y + ": " + Integer.toHexString(expected)
                            + " came back as " + Integer.toHexString(actual));
                }
            }
        }
    }

    @Test
    void qualityTradesSizeForFidelity() throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 256, 256, PixelFormat.BGRA_8888_PRE);
        TestImages.paint(pixmap, 4, true);
        ByteArrayOutputStream low = new ByteArrayOutputStream();
        ByteArrayOutputStream high = new ByteArrayOutputStream();

        PixmapIO.writeJpeg(pixmap, low, 0.2f);
        PixmapIO.writeJpeg(pixmap, high, 0.95f);

        assertTrue(low.size() * 2 < high.size(), low.size() + " bytes at 0.2, " + high.size() + " at 0.95");
    }

    /** Premultiplied translucent pixels: alpha is dropped, the color is what lies over black. */
    @Test
    void alphaIsDroppedAsIfOverBlack() throws IOException {
        Pixmap pixmap = Pixmap.allocate(arena, 64, 64, PixelFormat.BGRA_8888_PRE);
        pixmap.fill(0x80FFFFFF);  // half-transparent white: premultiplied 0x80 in every channel
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PixmapIO.writeJpeg(pixmap, out, 1f);

        int rgb = ImageIO.read(new ByteArrayInputStream(out.toByteArray())).getRGB(32, 32) & 0xFFFFFF;
        assertTrue(Math.abs((rgb & 0xFF) - 0x80) <= 2, Integer.toHexString(rgb));
    }

    @Test
    void badQualityAndRegionsAreRefused() {
        Pixmap pixmap = Pixmap.allocate(arena, 8, 8, PixelFormat.RGBA_8888);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals("quality must be from 0 to 1, was 1.5", assertThrows(IllegalArgumentException.class,
                () -> PixmapIO.writeJpeg(pixmap, out, 1.5f)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PixmapIO.writeJpeg(pixmap, out, Float.NaN));
        assertThrows(IndexOutOfBoundsException.class, () -> PixmapIO.writeJpeg(pixmap, 4, 4, 5, 4, out, 0.5f));
        assertEquals(0, out.size());
    }
}
