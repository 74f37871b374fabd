package io.github.pixmapcache.imageio;

import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.internal.imageio.PngEncoder;
import io.github.pixmapcache.internal.imageio.Region;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Image files in and out of pixmaps.
 *
 * <p>PNG goes out straight from native memory, row by row, for a whole pixmap or any region of it
 * (a tile of a larger metatile is encoded where it lies, never cut out first).
 */
public final class PixmapIO {
    /**
     * The zlib level {@link #writePng(Pixmap, OutputStream)} uses; bench/RESULTS.md ("PNG encoding")
     * measures it against {@code ImageIO.write}.
     */
    public static final int DEFAULT_PNG_COMPRESSION = 6;

    private PixmapIO() {}

    /**
     * Writes the whole pixmap as PNG; see {@link #writePng(Pixmap, int, int, int, int, OutputStream, int)}.
     */
    public static void writePng(Pixmap pixmap, OutputStream out) throws IOException {
        Objects.requireNonNull(pixmap, "pixmap must not be null");
        writePng(pixmap, 0, 0, pixmap.width(), pixmap.height(), out, DEFAULT_PNG_COMPRESSION);
    }

    /**
     * Writes a region of the pixmap as PNG at the default level; see
     * {@link #writePng(Pixmap, int, int, int, int, OutputStream, int)}.
     */
    public static void writePng(Pixmap pixmap, int x, int y, int width, int height, OutputStream out)
            throws IOException {
        writePng(pixmap, x, y, width, height, out, DEFAULT_PNG_COMPRESSION);
    }

    /**
     * Writes the {@code width} x {@code height} region at ({@code x}, {@code y}) of the pixmap as an
     * 8-bit PNG, read row by row from the pixmap's memory: no copy of the region or the frame is
     * made. {@code GRAY_8} becomes a gray PNG; a 4-byte region becomes RGB when every alpha in it
     * is 255, else straight (un-premultiplied) RGBA, so that decoding and premultiplying again gives
     * back the exact bytes. {@code out} is neither flushed nor closed.
     *
     * @param compressionLevel zlib level from 0 (stored, no filtering) to 9 (smallest, slowest)
     * @throws IllegalArgumentException if the size is not positive or the level is not 0..9
     * @throws IndexOutOfBoundsException if the region reaches outside the pixmap
     * @throws IllegalStateException if the pixmap's memory has been released
     * @throws IOException if {@code out} throws
     */
    public static void writePng(Pixmap pixmap, int x, int y, int width, int height, OutputStream out,
                                int compressionLevel) throws IOException {
        Objects.requireNonNull(out, "out must not be null");
        Region region = new Region(pixmap, x, y, width, height);
        new PngEncoder(compressionLevel).encode(region, out);
    }
}
