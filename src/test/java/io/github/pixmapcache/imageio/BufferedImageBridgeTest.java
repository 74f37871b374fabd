package io.github.pixmapcache.imageio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PixmapIO#toBufferedImage} and {@link PixmapIO#copyFrom}: exact where the formats allow. */
class BufferedImageBridgeTest {
    @AutoClose
    private final Arena arena = Arena.ofConfined();

    /** Every premultiplied value of every alpha: the image's ints are the pixmap's bytes, and back. */
    @Test
    void premultipliedPixmapsRoundTripExactlyOverEveryAlpha() {
        Pixmap original = everyPremultipliedValue();

        BufferedImage image = PixmapIO.toBufferedImage(original);
        Pixmap back = Pixmap.allocate(arena, 256, 256, PixelFormat.BGRA_8888_PRE);
        PixmapIO.copyFrom(image, back);

        assertEquals(BufferedImage.TYPE_INT_ARGB_PRE, image.getType());
        int[] ints = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < ints.length; i++) {
            assertEquals(original.segment().getAtIndex(LITTLE_ENDIAN_INT, i), ints[i], "pixel " + i);
        }
        assertTrue(back.contentEquals(original));
    }

    /** Straight formats: exact where alpha is 255; translucent pixels as premultiplying and back gives. */
    @ParameterizedTest
    @EnumSource(value = PixelFormat.class, names = {"RGBA_8888", "GRAY_8"})
    void straightPixmapsRoundTripThroughPremultiplied(PixelFormat format) {
        Pixmap original = Pixmap.allocate(arena, 256, 256, format);
        TestImages.paint(original, 8, false);  // every alpha value along the rows

        Pixmap back = Pixmap.allocate(arena, 256, 256, format);
        PixmapIO.copyFrom(PixmapIO.toBufferedImage(original), back);

        Pixmap premultiplied = Pixmap.allocate(arena, 1, 1, PixelFormat.BGRA_8888_PRE);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                int argb = original.getArgb(x, y);
                premultiplied.setArgb(0, 0, argb);
                int expected = argb >>> 24 == 0xFF ? argb : premultiplied.getArgb(0, 0);
                if (format == PixelFormat.RGBA_8888) {
                    assertEquals(expected, back.getArgb(x, y), "pixel " + x + "," + y);
                } else {
                    assertEquals(argb, back.getArgb(x, y), "gray is opaque");
                }
            }
        }
    }

    /** Every common BufferedImage type: what its getRGB shows (gray: its samples), stored as setArgb stores it. */
    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_ARGB_PRE,
        BufferedImage.TYPE_INT_BGR, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
        BufferedImage.TYPE_4BYTE_ABGR_PRE, BufferedImage.TYPE_USHORT_565_RGB, BufferedImage.TYPE_USHORT_555_RGB,
        BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_BYTE_BINARY,
        BufferedImage.TYPE_BYTE_INDEXED})
    void copyFromReadsEveryCommonType(int type) {
        BufferedImage image = new BufferedImage(67, 43, type);
        Pixmap colors = Pixmap.allocate(arena, 67, 43, PixelFormat.RGBA_8888);
        TestImages.paint(colors, type, false);
        for (int y = 0; y < 43; y++) {
            for (int x = 0; x < 67; x++) {
                image.setRGB(x, y, colors.getArgb(x, y));
            }
        }
        for (PixelFormat format : PixelFormat.values()) {
            Pixmap target = Pixmap.allocate(arena, 67, 43, format);
            PixmapIO.copyFrom(image, target);
            DecodeTest.assertSameAsImageIo(image, target, "type " + type + " into " + format);
        }
    }

    /** Opaque pixels survive pixmap -> image -> pixmap exactly, through any 8-bit RGB type. */
    @Test
    void opaquePixelsAreExactThroughIntRgb() {
        Pixmap original = Pixmap.allocate(arena, 50, 50, PixelFormat.BGRA_8888_PRE);
        TestImages.paint(original, 2, true);
        BufferedImage rgb = new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(PixmapIO.toBufferedImage(original), 0, 0, null);

        Pixmap back = Pixmap.allocate(arena, 50, 50, PixelFormat.BGRA_8888_PRE);
        PixmapIO.copyFrom(rgb, back);

        assertTrue(back.contentEquals(original));
    }

    @Test
    void sizesMustMatch() {
        Pixmap target = Pixmap.allocate(arena, 4, 3, PixelFormat.RGBA_8888);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> PixmapIO.copyFrom(new BufferedImage(3, 4, BufferedImage.TYPE_INT_ARGB), target));
        assertEquals("the image is 3x4 but the target pixmap 4x3", thrown.getMessage());
        assertThrows(NullPointerException.class, () -> PixmapIO.copyFrom(null, target));
        assertThrows(NullPointerException.class, () -> PixmapIO.toBufferedImage(null));
    }

    private static final ValueLayout.OfInt LITTLE_ENDIAN_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Pixmap everyPremultipliedValue() {
        Pixmap pixmap = Pixmap.allocate(arena, 256, 256, PixelFormat.BGRA_8888_PRE);
        for (int alpha = 0; alpha < 256; alpha++) {
            for (int c = 0; c < 256; c++) {
                int channel = Math.min(c, alpha);
                pixmap.segment().setAtIndex(LITTLE_ENDIAN_INT, alpha * 256L + c,
                        alpha << 24 | channel << 16 | (alpha - channel) << 8 | channel / 3);
            }
        }
        return pixmap;
    }
}
