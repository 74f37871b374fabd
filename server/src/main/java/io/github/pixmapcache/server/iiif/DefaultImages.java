package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.imageio.PixmapIO;
import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.IntStream;

/**
 * The folder served without {@code --images}: one large JPEG of the fractal, rendered once into a
 * cache directory the first time the IIIF service is used, and found there on every later start.
 */
final class DefaultImages {
    /** The identifier of the rendered image. */
    static final String IDENTIFIER = "mandelbrot";
    /** 8192 x 6144 pixels: the fractal's whole plane at zoom 5, less its empty top and bottom bands. */
    static final int WIDTH = 8192;
    static final int HEIGHT = 6144;
    private static final int ZOOM = 5;

    private DefaultImages() {
    }

    /** {@return {@code $XDG_CACHE_HOME/pixmap-cache/images}, else {@code ~/.cache/pixmap-cache/images}} */
    static Path folder() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("pixmap-cache").resolve("images");
    }

    /** Makes {@code folder} with the fractal's JPEG in it, unless it is there already; returns {@code folder}. */
    static Path ensure(Path folder) {
        Path file = folder.resolve(IDENTIFIER + ".jpg");
        if (Files.isRegularFile(file)) {
            return folder;
        }
        try {
            Files.createDirectories(folder);
            Path partial = Files.createTempFile(folder, IDENTIFIER, ".partial");
            try (Arena arena = Arena.ofShared(); OutputStream out = Files.newOutputStream(partial)) {
                Pixmap pixmap = Pixmap.allocate(arena, WIDTH, HEIGHT, PixelFormat.BGRA_8888_PRE);
                int band = 64;
                long top = ((long) TileAddress.SIZE * TileAddress.tilesPerSide(ZOOM) - HEIGHT) / 2;
                IntStream.range(0, HEIGHT / band).parallel().forEach(b -> Mandelbrot.PICTURE.render(pixmap.segment(),
                        pixmap.stride(), ZOOM, 0, top, WIDTH, b * band, (b + 1) * band));
                PixmapIO.writeJpeg(pixmap, out, Encoding.JPEG_QUALITY);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return folder;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the default image into " + folder, e);
        }
    }
}
