package io.github.pixmapcache.server.tiles;

import java.lang.foreign.MemorySegment;

/**
 * The picture: the Mandelbrot set over the Web Mercator world square, with smooth (continuous
 * escape-time) colouring. Zoom 0's single tile spans [-2.5, 1.5] x [-2, 2] of the complex plane.
 * The iteration limit grows with zoom, so that deep tiles keep their detail and cost more: what
 * makes caching worth it. Pure and deterministic, so that a test can compare any pixel a server
 * sends against {@link #argb}.
 */
public final class Mandelbrot {
    /** Iterations at zoom 0; each zoom level adds {@link #ITERATIONS_PER_ZOOM}. */
    private static final int BASE_ITERATIONS = 64;
    private static final int ITERATIONS_PER_ZOOM = 24;
    private static final double PLANE_LEFT = -2.5;
    private static final double PLANE_TOP = 2.0;
    private static final double PLANE_SPAN = 4.0;
    /** Escape radius squared: large, so that the smooth colouring's log-log term is accurate. */
    private static final double BAILOUT = 1 << 16;
    private static final double LOG2 = Math.log(2);
    /** Colour cycles per iteration of the smooth count: one palette period every 48 iterations. */
    private static final double CYCLES_PER_ITERATION = 1.0 / 48;
    private static final int INSIDE = 0xFF00_0000;
    /** The picture the server draws by default. */
    public static final Picture PICTURE = new PerPixelPicture(Mandelbrot::argb);

    private Mandelbrot() {
    }

    /** The iteration limit at {@code zoom}. */
    public static int maxIterations(int zoom) {
        return BASE_ITERATIONS + ITERATIONS_PER_ZOOM * zoom;
    }

    /** {@link Picture#render} for this picture. */
    public static void render(MemorySegment target, long stride, int zoom, long originX, long originY,
                              int width, int rowFrom, int rowTo) {
        PICTURE.render(target, stride, zoom, originX, originY, width, rowFrom, rowTo);
    }

    /** The opaque 0xAARRGGBB colour of global pixel ({@code px}, {@code py}) at {@code zoom}. */
    public static int argb(int zoom, long px, long py) {
        double pixelSpan = PLANE_SPAN / ((double) TileAddress.SIZE * TileAddress.tilesPerSide(zoom));
        double cr = PLANE_LEFT + (px + 0.5) * pixelSpan;
        double ci = PLANE_TOP - (py + 0.5) * pixelSpan;
        if (inMainCardioidOrBulb(cr, ci)) {
            return INSIDE;
        }
        int limit = maxIterations(zoom);
        double zr = 0;
        double zi = 0;
        double zr2 = 0;
        double zi2 = 0;
        int iteration = 0;
        while (iteration < limit && zr2 + zi2 <= BAILOUT) {
            zi = 2 * zr * zi + ci;
            zr = zr2 - zi2 + cr;
            zr2 = zr * zr;
            zi2 = zi * zi;
            iteration++;
        }
        if (iteration == limit) {
            return INSIDE;
        }
        double smooth = iteration + 1 - Math.log(Math.log(zr2 + zi2) / 2 / LOG2) / LOG2;
        return palette(smooth * CYCLES_PER_ITERATION);
    }

    /** Most of the set's area without iterating: the main cardioid and the period-2 bulb. */
    private static boolean inMainCardioidOrBulb(double cr, double ci) {
        double xq = cr - 0.25;
        double q = xq * xq + ci * ci;
        return q * (q + xq) <= 0.25 * ci * ci || (cr + 1) * (cr + 1) + ci * ci <= 0.0625;
    }

    /** A cosine palette (deep blue, white, gold), periodic in {@code t}. */
    private static int palette(double t) {
        int red = channel(t, 0.00);
        int green = channel(t, 0.10);
        int blue = channel(t, 0.20);
        return 0xFF00_0000 | red << 16 | green << 8 | blue;
    }

    private static int channel(double t, double phase) {
        double value = 0.5 + 0.5 * Math.cos(2 * Math.PI * (t + phase + 0.5));
        return (int) Math.round(255 * value);
    }
}
