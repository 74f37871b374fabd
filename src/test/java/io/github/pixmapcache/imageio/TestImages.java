package io.github.pixmapcache.imageio;

import io.github.pixmapcache.Pixmap;
import java.util.SplittableRandom;

/** Pixmaps with content that exercises every filter and alpha value, from a seed. */
final class TestImages {
    private TestImages() {}

    /**
     * Smooth gradients (where Up, Average and Paeth win), noise (where None wins), flat runs, and,
     * unless {@code opaque}, every alpha value from 0 to 255 along the rows.
     */
    static void paint(Pixmap pixmap, long seed, boolean opaque) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int y = 0; y < pixmap.height(); y++) {
            for (int x = 0; x < pixmap.width(); x++) {
                int alpha = opaque ? 0xFF : (x + 3 * y) & 0xFF;
                int rgb = switch ((y / 7 + x / 11) % 3) {
                    case 0 -> random.nextInt(1 << 24);                    // noise
                    case 1 -> (x & 0xFF) << 16 | (y & 0xFF) << 8 | (x + y) & 0xFF;  // gradient
                    default -> 0x336699;                                 // flat
                };
                pixmap.setArgb(x, y, alpha << 24 | rgb);
            }
        }
    }
}
