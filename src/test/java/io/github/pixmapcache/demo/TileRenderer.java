package io.github.pixmapcache.demo;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocator;

/**
 * Renders opaque 256x256 {@link PixelFormat#BGRA_8888_PRE} tiles from a deterministic procedural
 * function of the tile and the pixel: a colour gradient, a checkerboard, or a view of the
 * Mandelbrot set, chosen by the tile's position. {@link #argbAt} gives any single pixel without
 * rendering the tile, so a reader can check the pixels a cache hands back.
 */
final class TileRenderer {
    /** Tiles are square, this many pixels a side. */
    static final int TILE_SIZE = 256;
    /** Every tile is this many bytes: 4 bytes a pixel, rows never padded. */
    static final long TILE_BYTES = (long) TILE_SIZE * TILE_SIZE * PixelFormat.BGRA_8888_PRE.bytesPerPixel();

    private static final int OPAQUE = 0xFF00_0000;
    private static final int BLACK = OPAQUE;
    private static final int CHECKER_CELL = 32;
    private static final int MANDELBROT_ITERATIONS = 24;
    /** At zoom 0 the single tile spans [-2.25, 0.75] x [-1.5, 1.5] of the complex plane. */
    private static final double PLANE_LEFT = -2.25;
    private static final double PLANE_TOP = -1.5;
    private static final double PLANE_SPAN = 3.0;

    private enum Pattern { GRADIENT, CHECKERBOARD, MANDELBROT }

    private static final Pattern[] PATTERNS = Pattern.values();

    /** Renders {@code tile} into a pixmap from {@code allocator}, so a cache can keep it without a copy. */
    Pixmap render(Tile tile, PixmapAllocator allocator) {
        Pixmap pixmap = allocator.allocate(TILE_SIZE, TILE_SIZE, PixelFormat.BGRA_8888_PRE);
        Pattern pattern = patternOf(tile);
        for (int y = 0; y < TILE_SIZE; y++) {
            for (int x = 0; x < TILE_SIZE; x++) {
                pixmap.setArgb(x, y, argbAt(pattern, tile, x, y));
            }
        }
        return pixmap;
    }

    /** The opaque {@code 0xAARRGGBB} colour of pixel (x, y) of {@code tile}. */
    int argbAt(Tile tile, int x, int y) {
        return argbAt(patternOf(tile), tile, x, y);
    }

    private static int argbAt(Pattern pattern, Tile tile, int x, int y) {
        return switch (pattern) {
            case GRADIENT -> gradient(tile, x, y);
            case CHECKERBOARD -> checkerboard(tile, x, y);
            case MANDELBROT -> mandelbrot(tile, x, y);
        };
    }

    private static Pattern patternOf(Tile tile) {
        return PATTERNS[(tile.zoom() + tile.x() + tile.y()) % PATTERNS.length];
    }

    private static int gradient(Tile tile, int x, int y) {
        return rgb(x, y, tile.zoom() * 40 + tile.x() * 16 + tile.y() * 8);
    }

    private static int checkerboard(Tile tile, int x, int y) {
        boolean dark = ((x / CHECKER_CELL + y / CHECKER_CELL) & 1) == 0;
        int tint = (tile.x() * 29 + tile.y() * 53) & 0x7F;
        return dark ? rgb(tint, 32, 64) : rgb(255 - tint, 224, 192);
    }

    /** The tiles of one zoom level together form one picture of the set. */
    private static int mandelbrot(Tile tile, int x, int y) {
        double pixelSpan = PLANE_SPAN / ((double) TILE_SIZE * (1 << tile.zoom()));
        double cr = PLANE_LEFT + ((long) tile.x() * TILE_SIZE + x) * pixelSpan;
        double ci = PLANE_TOP + ((long) tile.y() * TILE_SIZE + y) * pixelSpan;
        if (inMainCardioidOrBulb(cr, ci)) {
            return BLACK;
        }
        double zr = 0;
        double zi = 0;
        int iteration = 0;
        while (iteration < MANDELBROT_ITERATIONS && zr * zr + zi * zi <= 4) {
            double nextZr = zr * zr - zi * zi + cr;
            zi = 2 * zr * zi + ci;
            zr = nextZr;
            iteration++;
        }
        if (iteration == MANDELBROT_ITERATIONS) {
            return BLACK;
        }
        int shade = iteration * 255 / MANDELBROT_ITERATIONS;
        return rgb(shade / 2, shade, 128 + shade / 2);
    }

    /** Most of the set's area, recognised without iterating: the main cardioid and the period-2 bulb. */
    private static boolean inMainCardioidOrBulb(double cr, double ci) {
        double xq = cr - 0.25;
        double q = xq * xq + ci * ci;
        return q * (q + xq) <= 0.25 * ci * ci || (cr + 1) * (cr + 1) + ci * ci <= 0.0625;
    }

    private static int rgb(int red, int green, int blue) {
        return OPAQUE | (red & 0xFF) << 16 | (green & 0xFF) << 8 | blue & 0xFF;
    }
}
