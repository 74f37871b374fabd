package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Builds strips of levels {@code base .. highest} from one pass's base rows, top to bottom. Every
 * pixel of a level above the base is the rounded mean of the base pixels under it (a 2^k block,
 * cut at the image's right and bottom edges): each level sums pairs of rows and columns of the
 * level below, so nothing is rounded before the mean (level {@code base + 1} in 16-bit lanes, two
 * to an int, which hold its sums of at most 4 samples exactly; the others in {@code long}s). A
 * whole block's mean is a shift; only the blocks cut at an edge divide.
 *
 * <p>Levels {@code lowestKept ..} have a strip being filled in the pass's arena (at most
 * {@code stripBytes} each); a strip whose every row this pass made goes to the {@link Strips}
 * sink, which copies it. A pass over a part of the image starts at a row that begins a row of
 * {@code highest}, so that every level's row pairs line up.
 */
final class PyramidBuilder implements RowStream.Rows {
    /** Where finished strips go; the pixmap is valid during the call only. */
    interface Strips {
        void accept(StripKey key, Pixmap strip);
    }

    private final Pyramid pyramid;
    private final int base;
    private final int lowestKept;
    private final Strips sink;
    private final Arena arena;
    /** Two 16-bit lanes of an int: red and blue, or alpha and green, of a pixel ({@code >>> 8} first for the latter). */
    private static final int LANES = 0x00FF_00FF;

    /**
     * {@code sums[j]}: A, R, G, B sums over base pixels of the level-{@code base + j} row being built, for
     * {@code j >= 2}; {@code sums.length} is the number of levels built.
     */
    private final long[][] sums;
    /** Level {@code base + 1}'s sums, of at most 4 base samples each, packed two to an int (R|B and A|G) so that a base row adds in half the work. */
    private final int[] redBlue;
    private final int[] alphaGreen;
    /** The strip being filled per kept level, its first row, and the first row this pass wrote into it. */
    private final Pixmap[] strips;
    private final int[] stripTop;
    private final int[] firstWritten;
    private final int[] line;

    PyramidBuilder(Pyramid pyramid, int lowestKept, int highest, Strips sink, Arena arena) {
        this.pyramid = pyramid;
        this.base = pyramid.baseLevel();
        this.lowestKept = lowestKept;
        this.sink = sink;
        this.arena = arena;
        int levels = highest - base + 1;
        this.sums = new long[levels][];
        for (int j = 2; j < levels; j++) {
            sums[j] = new long[4 * pyramid.width(base + j)];
        }
        this.redBlue = new int[levels > 1 ? pyramid.width(base + 1) : 0];
        this.alphaGreen = new int[redBlue.length];
        this.strips = new Pixmap[levels];
        this.stripTop = new int[levels];
        this.firstWritten = new int[levels];
        Arrays.fill(firstWritten, -1);
        this.line = new int[pyramid.width(base + 1 < pyramid.levels() ? base + 1 : base)];
    }

    @Override
    public void row(int y, int[] argb) {
        if (base >= lowestKept) {
            write(base, y, argb);
        }
        if (sums.length > 1) {
            int pairs = argb.length >> 1;
            for (int x = 0; x < pairs; x++) {
                int left = argb[2 * x];
                int right = argb[2 * x + 1];
                redBlue[x] += (left & LANES) + (right & LANES);
                alphaGreen[x] += (left >>> 8 & LANES) + (right >>> 8 & LANES);
            }
            if ((argb.length & 1) != 0) {
                int last = argb[argb.length - 1];
                redBlue[pairs] += last & LANES;
                alphaGreen[pairs] += last >>> 8 & LANES;
            }
            finishedBelow(base + 1, y);
        }
    }

    /** Row {@code childRow} of level {@code level - 1} has been added into level {@code level}'s sums. */
    private void finishedBelow(int level, int childRow) {
        if ((childRow & 1) == 0 && childRow != pyramid.height(level - 1) - 1) {
            return;   // the row's second child is still to come
        }
        int y = childRow >> 1;
        int j = level - base;
        int levelWidth = pyramid.width(level);
        // Pixels 0 .. whole - 1 of this row mean a whole 2^j x 2^j block: a shift instead of a division.
        int span = 1 << j;
        int rows = Math.min(span, pyramid.height(base) - y * span);
        int whole = rows == span ? pyramid.width(base) >> j : 0;
        boolean more = j + 1 < sums.length;
        long[] next = more ? sums[j + 1] : null;
        if (j == 1) {
            if (level >= lowestKept) {
                for (int x = 0; x < levelWidth; x++) {
                    int count = x < whole ? 0 : rows * Math.min(2, pyramid.width(base) - 2 * x);
                    line[x] = mean(alphaGreen[x] >>> 16, count) << 24 | mean(redBlue[x] >>> 16, count) << 16
                            | mean(alphaGreen[x] & 0xFFFF, count) << 8 | mean(redBlue[x] & 0xFFFF, count);
                }
                write(level, y, line);
            }
            if (more) {
                for (int x = 0; x < levelWidth; x++) {
                    int to = 4 * (x >> 1);
                    next[to] += alphaGreen[x] >>> 16;
                    next[to + 1] += redBlue[x] >>> 16;
                    next[to + 2] += alphaGreen[x] & 0xFFFF;
                    next[to + 3] += redBlue[x] & 0xFFFF;
                }
            }
            Arrays.fill(redBlue, 0);
            Arrays.fill(alphaGreen, 0);
        } else {
            long[] row = sums[j];
            if (level >= lowestKept) {
                int shift = 2 * j;
                long half = 1L << (shift - 1);
                for (int x = 0; x < whole; x++) {
                    int i = 4 * x;
                    line[x] = (int) ((row[i] + half) >>> shift) << 24 | (int) ((row[i + 1] + half) >>> shift) << 16
                            | (int) ((row[i + 2] + half) >>> shift) << 8 | (int) ((row[i + 3] + half) >>> shift);
                }
                int baseWidth = pyramid.width(base);
                for (int x = whole; x < levelWidth; x++) {
                    long count = (long) rows * Math.min(span, baseWidth - x * span);
                    int i = 4 * x;
                    line[x] = mean(row[i], count) << 24 | mean(row[i + 1], count) << 16 | mean(row[i + 2], count) << 8
                            | mean(row[i + 3], count);
                }
                write(level, y, line);
            }
            if (more) {
                for (int x = 0; x < levelWidth; x++) {
                    int from = 4 * x;
                    int to = 4 * (x >> 1);
                    next[to] += row[from];
                    next[to + 1] += row[from + 1];
                    next[to + 2] += row[from + 2];
                    next[to + 3] += row[from + 3];
                }
            }
            Arrays.fill(row, 0);
        }
        if (more) {
            finishedBelow(level + 1, y);
        }
    }

    /** The rounded mean of a level-1 sum over {@code count} pixels; 0 stands for a whole block of 4. */
    private static int mean(int sum, int count) {
        return count == 0 ? sum + 2 >>> 2 : (sum + count / 2) / count;
    }

    private static int mean(long sum, long count) {
        return (int) ((sum + count / 2) / count);
    }

    /** Writes row {@code y} of a kept level into its strip, and hands the strip on once it is whole. */
    private void write(int level, int y, int[] pixels) {
        int j = level - base;
        int perStrip = pyramid.rowsPerStrip(level);
        int top = y / perStrip * perStrip;
        if (firstWritten[j] < 0 || stripTop[j] != top) {
            int rows = Math.min(perStrip, pyramid.height(level) - top);
            if (strips[j] == null || strips[j].height() != rows) {
                strips[j] = Pixmap.allocate(arena, pyramid.width(level), rows, PixelFormat.BGRA_8888_PRE);
            }
            stripTop[j] = top;
            firstWritten[j] = y;
        }
        Pixmap strip = strips[j];
        MemorySegment.copy(pixels, 0, strip.segment(), RowSource.PIXEL, (y - top) * strip.stride(), strip.width());
        if (y == top + strip.height() - 1 && firstWritten[j] == top) {
            sink.accept(new StripKey(pyramid.source(), level, top / perStrip), strip);
        }
    }
}
