package io.github.pixmapcache.server.tiles;

/**
 * A cheap picture for load tests ({@code --picture waves}): colour bands over the global pixel grid
 * with two bits of deterministic noise a channel, so that a tile's PNG is tens of KB like a
 * Mandelbrot tile's, while a 1024x1024 metatile renders in milliseconds rather than up to seconds.
 * It lets a load test fill gigabytes of cache in minutes on two cores; the Mandelbrot set stays the
 * default.
 */
public final class Waves {
    /** The picture. */
    public static final Picture PICTURE = new PerPixelPicture(Waves::argb);

    private Waves() {
    }

    /** The opaque 0xAARRGGBB colour of global pixel ({@code px}, {@code py}) at {@code zoom}. */
    public static int argb(int zoom, long px, long py) {
        long hash = (px * 0x9E37_79B9_7F4A_7C15L) ^ (py * 0xC2B2_AE3D_27D4_EB4FL) ^ (zoom * 0x1656_67B1_9E37_79F9L);
        hash ^= hash >>> 31;
        int noise = (int) (hash >>> 40);
        int red = (int) ((px + 3 * zoom) & 0xFC) | noise & 3;
        int green = (int) ((py >> 1) & 0xFC) | noise >> 2 & 3;
        int blue = (int) (((px + py) >> 2) & 0xFC) | noise >> 4 & 3;
        return 0xFF00_0000 | red << 16 | green << 8 | blue;
    }
}
