package io.github.pixmapcache.javafx;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.SplittableRandom;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;

/** Test pixels: seeded premultiplied patterns, and exact comparison as JavaFX IntArgbPre ints. */
final class Pixels {
    private Pixels() {
    }

    /** A BGRA_8888_PRE pixmap of seeded random pixels: alpha 255 if opaque, else any alpha, 0 and 255 included. */
    static Pixmap pattern(Arena arena, int width, int height, long seed, boolean translucent) {
        Pixmap pixmap = Pixmap.allocate(arena, width, height, PixelFormat.BGRA_8888_PRE);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < width * height; i++) {
            int alpha = translucent ? (i % 7 == 0 ? 0 : i % 7 == 1 ? 255 : random.nextInt(256)) : 255;
            int red = random.nextInt(alpha + 1);
            int green = random.nextInt(alpha + 1);
            int blue = random.nextInt(alpha + 1);
            pixmap.segment().setAtIndex(ValueLayout.JAVA_INT, i, alpha << 24 | red << 16 | green << 8 | blue);
        }
        return pixmap;
    }

    /** The pixmap's pixels as IntArgbPre ints: its BGRA_8888_PRE bytes read in little-endian order. */
    static int[] argbPre(Pixmap pixmap) {
        MemorySegment pixels = pixmap.segment();
        int[] ints = new int[pixmap.width() * pixmap.height()];
        MemorySegment.copy(pixels, ValueLayout.JAVA_INT, 0, ints, 0, ints.length);
        return ints;
    }

    /** Every pixel of the image, as JavaFX reads it (from the image's buffer, not from a texture). */
    static int[] argbPre(Image image) {
        int width = (int) image.getWidth();
        int height = (int) image.getHeight();
        int[] ints = new int[width * height];
        PixelReader reader = image.getPixelReader();
        reader.getPixels(0, 0, width, height, javafx.scene.image.PixelFormat.getIntArgbPreInstance(), ints, 0, width);
        return ints;
    }

    /** The index and both values of the first pixel that differs, or null if none does. */
    static String firstDifference(int[] expected, int[] actual) {
        if (expected.length != actual.length) {
            return "lengths " + expected.length + " and " + actual.length;
        }
        int i = Arrays.mismatch(expected, actual);
        return i < 0 ? null : String.format("pixel %d: expected %08x, was %08x", i, expected[i], actual[i]);
    }
}
