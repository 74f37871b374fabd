package io.github.pixmapcache.imageio;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocator;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/** A {@link PixmapAllocator} over a test's arena that records every request. */
final class ArenaAllocator implements PixmapAllocator {
    private final Arena arena;
    final List<String> requests = new ArrayList<>();

    ArenaAllocator(Arena arena) {
        this.arena = arena;
    }

    @Override
    public Pixmap allocate(int width, int height, PixelFormat format) {
        requests.add(width + "x" + height + " " + format);
        return Pixmap.allocate(arena, width, height, format);
    }
}
