package io.github.pixmapcache.server.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.pixmapcache.Pixmap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every pixel of every level {@link PyramidBuilder} makes is the rounded mean, per channel, of the
 * base pixels under it, computed here the plain way (a division per channel, in {@code long}s):
 * whole blocks (its shifts), blocks cut at the right and bottom edges (its divisions), level 1's
 * packed lanes at their largest sums (all-white, opaque) and with translucent premultiplied pixels.
 */
class PyramidBuilderTest {
    @ParameterizedTest(name = "{0}x{1}, strips of {2} bytes, kept from level {3}")
    @CsvSource({
        "301, 97, 4000, 0",     // odd sides: edge blocks at every level; several strips per level
        "256, 256, 1000000, 0", // whole blocks only, one strip per level
        "77, 1030, 2000, 1",    // tall and narrow; level 0 not kept
        "1000, 3, 100000, 0",   // fewer rows than the coarser levels' blocks
        "33, 33, 300, 2",       // one pixel past a power of two
    })
    void everyLevelPixelIsTheRoundedMeanOfItsBlock(int width, int height, long stripBytes, int lowestKept) {
        Pyramid pyramid = new Pyramid(new SourceImage(Path.of("test.png"), 0, "png", width, height, true), stripBytes);
        SplittableRandom random = new SplittableRandom(width * 31L + height);
        int[][] base = new int[height][width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                base[y][x] = random.nextInt(4) == 0 ? 0xFFFF_FFFF : premultiplied(random);
            }
        }
        Map<StripKey, int[]> strips = new HashMap<>();
        try (Arena arena = Arena.ofConfined()) {
            PyramidBuilder builder = new PyramidBuilder(pyramid, lowestKept, pyramid.levels() - 1,
                    (key, strip) -> strips.put(key, pixels(strip)), arena);
            for (int y = 0; y < height; y++) {
                builder.row(y, base[y].clone());
            }
        }
        for (int level = lowestKept; level < pyramid.levels(); level++) {
            int perStrip = pyramid.rowsPerStrip(level);
            for (int y = 0; y < pyramid.height(level); y++) {
                int[] strip = strips.get(new StripKey(pyramid.source(), level, y / perStrip));
                assertNotNull(strip, "level " + level + " row " + y + "'s strip");
                for (int x = 0; x < pyramid.width(level); x++) {
                    int expected = mean(base, level, x, y);
                    int actual = strip[(y % perStrip) * pyramid.width(level) + x];
                    if (expected != actual) {
                        assertEquals(Integer.toHexString(expected), Integer.toHexString(actual),
                                "level " + level + " pixel " + x + "," + y);
                    }
                }
            }
        }
        assertEquals(strips.size(), countStrips(pyramid, lowestKept), "strips made, none twice");
    }

    private static int countStrips(Pyramid pyramid, int lowestKept) {
        int count = 0;
        for (int level = lowestKept; level < pyramid.levels(); level++) {
            count += pyramid.strips(level);
        }
        return count;
    }

    /** The rounded mean of each channel over the base pixels of level pixel (x, y), cut at the edges. */
    private static int mean(int[][] base, int level, int x, int y) {
        int span = 1 << level;
        long[] sums = new long[4];
        long count = 0;
        for (int by = y * span; by < Math.min(base.length, (y + 1) * span); by++) {
            for (int bx = x * span; bx < Math.min(base[0].length, (x + 1) * span); bx++) {
                for (int c = 0; c < 4; c++) {
                    sums[c] += base[by][bx] >>> (24 - 8 * c) & 0xFF;
                }
                count++;
            }
        }
        int argb = 0;
        for (int c = 0; c < 4; c++) {
            argb |= (int) ((sums[c] + count / 2) / count) << (24 - 8 * c);
        }
        return argb;
    }

    private static int premultiplied(SplittableRandom random) {
        int alpha = random.nextInt(256);
        return alpha << 24 | random.nextInt(alpha + 1) << 16 | random.nextInt(alpha + 1) << 8 | random.nextInt(alpha + 1);
    }

    private static int[] pixels(Pixmap strip) {
        int[] pixels = new int[strip.width() * strip.height()];
        for (int y = 0; y < strip.height(); y++) {   // the stored premultiplied ints, as RowSource reads them
            MemorySegment.copy(strip.segment(), RowSource.PIXEL, y * strip.stride(), pixels, y * strip.width(), strip.width());
        }
        return pixels;
    }
}
