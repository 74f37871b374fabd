package io.github.pixmapcache.internal.pixels;

/**
 * Conversions between straight {@code 0xAARRGGBB} and the stored pixel of each format, read as a
 * little-endian int (so B,G,R,A bytes read as {@code 0xAARRGGBB}).
 */
public final class Argb {
    private Argb() {}

    /** Straight to premultiplied, rounding each channel to nearest: c * a / 255. */
    public static int premultiply(int argb) {
        int a = argb >>> 24;
        if (a == 0xFF) {
            return argb;
        }
        return a << 24
                | mulDiv255((argb >>> 16) & 0xFF, a) << 16
                | mulDiv255((argb >>> 8) & 0xFF, a) << 8
                | mulDiv255(argb & 0xFF, a);
    }

    /**
     * Premultiplied to straight, rounding to nearest and clamping channels above alpha; a fully
     * transparent pixel becomes 0. {@code premultiply(unpremultiply(p)) == p} for every valid p.
     */
    public static int unpremultiply(int premultiplied) {
        int a = premultiplied >>> 24;
        if (a == 0xFF) {
            return premultiplied;
        }
        if (a == 0) {
            return 0;
        }
        return a << 24
                | divByAlpha((premultiplied >>> 16) & 0xFF, a) << 16
                | divByAlpha((premultiplied >>> 8) & 0xFF, a) << 8
                | divByAlpha(premultiplied & 0xFF, a);
    }

    /** Exchanges the red and blue channels: ARGB to the little-endian int of R,G,B,A bytes and back. */
    public static int swapRedBlue(int pixel) {
        return pixel & 0xFF00FF00 | (pixel >>> 16) & 0xFF | (pixel & 0xFF) << 16;
    }

    /** Luminance as Qt's {@code qGray}: (11 r + 16 g + 5 b) / 32; alpha is ignored. */
    public static int gray(int argb) {
        return (((argb >>> 16) & 0xFF) * 11 + ((argb >>> 8) & 0xFF) * 16 + (argb & 0xFF) * 5) >>> 5;
    }

    /** An opaque gray pixel. */
    public static int fromGray(int gray) {
        return 0xFF000000 | gray * 0x010101;
    }

    private static int mulDiv255(int channel, int alpha) {
        return (channel * alpha + 127) / 255;  // exact rounding: c * a / 255 is never k + 1/2
    }

    private static int divByAlpha(int channel, int alpha) {
        return Math.min(0xFF, (channel * 0xFF + alpha / 2) / alpha);
    }
}
