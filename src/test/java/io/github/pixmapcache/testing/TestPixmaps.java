package io.github.pixmapcache.testing;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The source pixmaps the tests draw, each a function of its arguments alone. */
public final class TestPixmaps {
    private TestPixmaps() {}

    /** A BGRA_8888_PRE pixmap of one colour. */
    public static Pixmap solid(Arena arena, int width, int height, int argb) {
        Pixmap pixmap = Pixmap.allocate(arena, width, height, PixelFormat.BGRA_8888_PRE);
        pixmap.fill(argb);
        return pixmap;
    }

    /** A one-row BGRA_8888_PRE pixmap of {@code bytes} bytes (a multiple of 4) and one colour. */
    public static Pixmap solidRow(Arena arena, long bytes, int argb) {
        return solid(arena, Math.toIntExact(bytes / 4), 1, argb);
    }

    /** A one-row BGRA_8888_PRE pixmap whose pixels all differ: opaque, with x in each channel. */
    public static Pixmap gradientRow(Arena arena, int width) {
        Pixmap pixmap = Pixmap.allocate(arena, width, 1, PixelFormat.BGRA_8888_PRE);
        for (int x = 0; x < pixmap.width(); x++) {
            pixmap.setArgb(x, 0, 0xFF000000 | x * 0x030507);
        }
        return pixmap;
    }

    /** An RGBA_8888 pixmap whose byte {@code i} is {@code seed * 31 + i * 7}. */
    public static Pixmap patterned(Arena arena, int width, int height, int seed) {
        Pixmap pixmap = Pixmap.allocate(arena, width, height, PixelFormat.RGBA_8888);
        MemorySegment pixels = pixmap.segment();
        for (long i = 0; i < pixels.byteSize(); i++) {
            pixels.set(ValueLayout.JAVA_BYTE, i, (byte) (seed * 31 + i * 7));
        }
        return pixmap;
    }
}
