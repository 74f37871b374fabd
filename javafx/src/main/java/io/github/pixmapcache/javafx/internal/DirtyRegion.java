package io.github.pixmapcache.javafx.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import javafx.geometry.Rectangle2D;

/** Copies new pixels over old ones and tells JavaFX which rectangle changed, so it uploads only that. */
public final class DirtyRegion {
    private static final long PIXEL_BYTES = 4;

    private DirtyRegion() {
    }

    /**
     * Copies the rows of {@code from} that differ from {@code to} into {@code to}, both
     * {@code width x height} pixels of 4 bytes without row padding.
     *
     * @return the smallest rectangle enclosing every changed pixel; {@link Rectangle2D#EMPTY} if none
     */
    public static Rectangle2D copyChanged(MemorySegment from, MemorySegment to, int width, int height) {
        long stride = width * PIXEL_BYTES;
        int top = -1;
        int bottom = -1;
        int left = width;
        int right = -1;
        for (int y = 0; y < height; y++) {
            long row = y * stride;
            long firstByte = MemorySegment.mismatch(from, row, row + stride, to, row, row + stride);
            if (firstByte < 0) {
                continue;
            }
            int first = (int) (firstByte / PIXEL_BYTES);
            if (top < 0) {
                top = y;
            }
            bottom = y;
            left = Math.min(left, first);
            right = Math.max(right, lastDifference(from, to, row, first, width));
        }
        if (top < 0) {
            return Rectangle2D.EMPTY;
        }
        MemorySegment.copy(from, top * stride, to, top * stride, (bottom - top + 1) * stride);
        return new Rectangle2D(left, top, right - left + 1, bottom - top + 1);
    }

    /** The last pixel of the row at {@code row} that differs; pixel {@code first} is known to. */
    private static int lastDifference(MemorySegment from, MemorySegment to, long row, int first, int width) {
        int x = width - 1;
        while (x > first && from.get(ValueLayout.JAVA_INT, row + x * PIXEL_BYTES)
                == to.get(ValueLayout.JAVA_INT, row + x * PIXEL_BYTES)) {
            x--;
        }
        return x;
    }
}
