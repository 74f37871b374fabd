package io.github.pixmapcache.javafx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

class DirtyRegionTest {
    private static final int WIDTH = 10;
    private static final int HEIGHT = 6;

    @Test
    void identicalPixelsAreNotDirty() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment from = pixels(arena);
            MemorySegment to = pixels(arena);
            assertEquals(Rectangle2D.EMPTY, DirtyRegion.copyChanged(from, to, WIDTH, HEIGHT));
        }
    }

    @Test
    void theRegionEnclosesEveryChangedPixelAndTheCopyMakesBothEqual() {
        int[][] changes = {{0, 0}, {9, 5}, {3, 2}, {0, 5}, {9, 0}};
        for (int[] only : changes) {
            assertRegion(new int[][] {only}, new Rectangle2D(only[0], only[1], 1, 1));
        }
        assertRegion(new int[][] {{7, 1}, {2, 3}}, new Rectangle2D(2, 1, 6, 3));
        assertRegion(new int[][] {{4, 4}, {5, 4}, {6, 2}}, new Rectangle2D(4, 2, 3, 3));
    }

    private static void assertRegion(int[][] changed, Rectangle2D expected) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment from = pixels(arena);
            MemorySegment to = pixels(arena);
            for (int[] xy : changed) {
                from.setAtIndex(ValueLayout.JAVA_INT, xy[1] * WIDTH + xy[0], 0xDEADBEEF);
            }
            assertEquals(expected, DirtyRegion.copyChanged(from, to, WIDTH, HEIGHT));
            assertEquals(-1, from.mismatch(to), "the copy leaves both equal");
        }
    }

    private static MemorySegment pixels(Arena arena) {
        MemorySegment pixels = arena.allocate(WIDTH * HEIGHT * 4L, 4);
        for (int i = 0; i < WIDTH * HEIGHT; i++) {
            pixels.setAtIndex(ValueLayout.JAVA_INT, i, 0xFF000000 | i);
        }
        return pixels;
    }
}
