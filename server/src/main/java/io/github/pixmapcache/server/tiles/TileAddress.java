package io.github.pixmapcache.server.tiles;

/**
 * One 256x256 tile of the XYZ scheme (Web Mercator tile ranges): zoom {@code z} in 0..{@value #MAX_ZOOM},
 * and {@code x}, {@code y} in {@code 0 .. 2^z - 1}, (0, 0) at the top left.
 */
public record TileAddress(int z, int x, int y) {
    /** The deepest zoom served, as most tile servers (and Leaflet's defaults) allow. */
    public static final int MAX_ZOOM = 22;
    /** Tiles are this many pixels a side. */
    public static final int SIZE = 256;

    public TileAddress {
        if (z < 0 || z > MAX_ZOOM) {
            throw new IllegalArgumentException("zoom must be in 0.." + MAX_ZOOM + ": " + z);
        }
        long side = tilesPerSide(z);
        if (x < 0 || x >= side) {
            throw new IllegalArgumentException("x must be in 0.." + (side - 1) + " at zoom " + z + ": " + x);
        }
        if (y < 0 || y >= side) {
            throw new IllegalArgumentException("y must be in 0.." + (side - 1) + " at zoom " + z + ": " + y);
        }
    }

    /** Tiles along each side of the world at {@code zoom}. */
    public static int tilesPerSide(int zoom) {
        return 1 << zoom;
    }

    @Override
    public String toString() {
        return z + "/" + x + "/" + y;
    }
}
