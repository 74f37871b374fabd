package io.github.pixmapcache.server.tiles;

import java.lang.foreign.MemorySegment;

/** What the server draws: any deterministic function from global pixels at a zoom to colours. */
@FunctionalInterface
public interface Picture {
    /**
     * Renders rows {@code rowFrom} (inclusive) to {@code rowTo} (exclusive) of a {@code width}-pixel-wide
     * block whose top-left pixel is global pixel ({@code originX}, {@code originY}) at {@code zoom}, into
     * {@code target} as opaque BGRA_8888 pixels, {@code stride} bytes a row. Called from several threads
     * at once for disjoint rows.
     */
    void render(MemorySegment target, long stride, int zoom, long originX, long originY,
                int width, int rowFrom, int rowTo);
}
