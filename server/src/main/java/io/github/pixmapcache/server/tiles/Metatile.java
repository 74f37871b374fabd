package io.github.pixmapcache.server.tiles;

/**
 * A block of up to {@code size x size} tiles rendered and cached as one pixmap, as mod_tile and
 * MapProxy do: one render, one cache entry, and far fewer seams. At zooms with fewer than
 * {@code size} tiles a side the metatile is the whole world.
 *
 * @param z       zoom
 * @param column  metatile column: tile x divided by {@code size}
 * @param row     metatile row: tile y divided by {@code size}
 * @param size    tiles per side of a full metatile
 */
public record Metatile(int z, int column, int row, int size) {

    /** The metatile that holds {@code tile}. */
    public static Metatile of(TileAddress tile, int size) {
        return new Metatile(tile.z(), tile.x() / size, tile.y() / size, size);
    }

    /** Tiles along each side: {@code size}, or fewer when the whole zoom level is smaller. */
    public int tilesPerSide() {
        return Math.min(size, TileAddress.tilesPerSide(z));
    }

    /** Pixels along each side. */
    public int pixelsPerSide() {
        return tilesPerSide() * TileAddress.SIZE;
    }

    /** Global pixel column (at this zoom) of the metatile's left edge. */
    public long originX() {
        return (long) column * size * TileAddress.SIZE;
    }

    /** Global pixel row (at this zoom) of the metatile's top edge. */
    public long originY() {
        return (long) row * size * TileAddress.SIZE;
    }

    /** The pixel column inside this metatile where {@code tile} starts. */
    public int offsetX(TileAddress tile) {
        return (int) ((long) tile.x() * TileAddress.SIZE - originX());
    }

    /** The pixel row inside this metatile where {@code tile} starts. */
    public int offsetY(TileAddress tile) {
        return (int) ((long) tile.y() * TileAddress.SIZE - originY());
    }

    @Override
    public String toString() {
        return "metatile " + z + "/" + column + "/" + row + " (" + size + "x" + size + ")";
    }
}
