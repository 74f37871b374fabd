package io.github.pixmapcache.internal.imageio;

import io.github.pixmapcache.internal.pixels.Argb;

/**
 * Premultiplied channel to straight channel by table, the same rounding as {@link Argb#unpremultiply}
 * (so that re-premultiplying a decoded PNG gives back the exact bytes).
 */
final class Unpremultiply {
    /** {@code TABLE[alpha << 8 | channel]}: the straight channel; 0 where alpha is 0. */
    private static final byte[] TABLE = new byte[256 * 256];

    static {
        for (int alpha = 0; alpha < 256; alpha++) {
            for (int channel = 0; channel < 256; channel++) {
                TABLE[alpha << 8 | channel] = (byte) Argb.unpremultiply(alpha << 24 | channel);
            }
        }
    }

    private Unpremultiply() {}

    static byte channel(int alpha, int premultiplied) {
        return TABLE[alpha << 8 | premultiplied];
    }
}
