package io.github.pixmapcache.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * One tile of a map pyramid: at zoom level {@code z} the map is a grid of {@code 2^z x 2^z} tiles.
 * Its cache key is the usual {@code "z/x/y"}.
 *
 * @param zoom the zoom level, from 0
 * @param x the column, {@code 0 .. 2^zoom - 1}
 * @param y the row, {@code 0 .. 2^zoom - 1}
 */
record Tile(int zoom, int x, int y) {
    /** The key this tile is cached under. */
    String key() {
        return zoom + "/" + x + "/" + y;
    }

    /**
     * Every tile of zoom levels {@code 0 .. maxZoom}, coarse levels first, each level in row
     * order. In a Zipf workload over this list the coarse tiles are the popular ones, as on a map.
     */
    static List<Tile> pyramid(int maxZoom) {
        List<Tile> tiles = new ArrayList<>();
        for (int zoom = 0; zoom <= maxZoom; zoom++) {
            int side = 1 << zoom;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    tiles.add(new Tile(zoom, x, y));
                }
            }
        }
        return List.copyOf(tiles);
    }
}
