package io.github.pixmapcache.server.tiles;

import java.util.Objects;

/**
 * A tile's key in the encoded tier: its address and the version of the picture it was rendered
 * with, so that bytes of another renderer are never served for it.
 *
 * @param version names the picture and its renderer (the ETag's prefix)
 * @param tile    the tile
 */
public record TileKey(String version, TileAddress tile) {
    /** @throws NullPointerException if either is null */
    public TileKey {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(tile, "tile");
    }
}
