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
 * level below in {@code long}s, so nothing is rounded before the mean.
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
    /** {@code sums[j - base]}: A, R, G, B sums over base pixels of the level-j row being built (unused for the base). */
    private final long[][] sums;
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
        for (int j = 1; j < levels; j++) {
            sums[j] = new long[4 * pyramid.width(base + j)];
        }
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
            long[] next = sums[1];
            for (int x = 0; x < argb.length; x++) {
                int p = argb[x];
                int i = 4 * (x >> 1);
                next[i] += p >>> 24;
                next[i + 1] += p >> 16 & 0xFF;
                next[i + 2] += p >> 8 & 0xFF;
                next[i + 3] += p & 0xFF;
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
        long[] row = sums[level - base];
        int levelWidth = pyramid.width(level);
        if (level >= lowestKept) {
            int span = 1 << (level - base);
            int baseWidth = pyramid.width(base);
            int rows = Math.min(span, pyramid.height(base) - y * span);
            for (int x = 0; x < levelWidth; x++) {
                long count = (long) rows * Math.min(span, baseWidth - x * span);
                int i = 4 * x;
                line[x] = mean(row[i], count) << 24 | mean(row[i + 1], count) << 16 | mean(row[i + 2], count) << 8
                        | mean(row[i + 3], count);
            }
            write(level, y, line);
        }
        if (level - base + 1 < sums.length) {
            long[] next = sums[level - base + 1];
            for (int x = 0; x < levelWidth; x++) {
                int from = 4 * x;
                int to = 4 * (x >> 1);
                next[to] += row[from];
                next[to + 1] += row[from + 1];
                next[to + 2] += row[from + 2];
                next[to + 3] += row[from + 3];
            }
            Arrays.fill(row, 0);
            finishedBelow(level + 1, y);
        } else {
            Arrays.fill(row, 0);
        }
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
