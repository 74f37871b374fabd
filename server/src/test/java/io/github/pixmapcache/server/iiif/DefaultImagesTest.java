package io.github.pixmapcache.server.iiif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The folder served without --images: the fractal rendered once as a large JPEG, found again afterwards. */
class DefaultImagesTest {

    @Test
    void theFractalIsRenderedOnceAndServedAsASource(@TempDir Path cache) throws Exception {
        Path folder = cache.resolve("pixmap-cache").resolve("images");
        long start = System.nanoTime();
        DefaultImages.ensure(folder);
        System.out.printf("default image rendered and written in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        Path file = folder.resolve(DefaultImages.IDENTIFIER + ".jpg");
        FileTime written = Files.getLastModifiedTime(file);
        DefaultImages.ensure(folder);
        assertEquals(written, Files.getLastModifiedTime(file), "a second start keeps the file");
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(1, left.count(), "no partial file left");
        }

        SourceImage source = SourceImage.probe(file);
        assertEquals(DefaultImages.WIDTH, source.width());
        assertEquals(DefaultImages.HEIGHT, source.height());
        assertEquals(java.util.List.of(DefaultImages.IDENTIFIER), new SourceFolder(folder).identifiers());
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(file.toFile());
        long top = ((long) TileAddress.SIZE * TileAddress.tilesPerSide(5) - DefaultImages.HEIGHT) / 2;
        int close = 0;
        int samples = 0;
        for (int y = 3; y < DefaultImages.HEIGHT; y += 97) {
            for (int x = 5; x < DefaultImages.WIDTH; x += 89) {
                samples++;
                int expected = Mandelbrot.argb(5, x, top + y);
                int actual = image.getRGB(x, y);
                if (Math.abs((expected >> 16 & 0xFF) - (actual >> 16 & 0xFF)) < 40
                        && Math.abs((expected >> 8 & 0xFF) - (actual >> 8 & 0xFF)) < 40
                        && Math.abs((expected & 0xFF) - (actual & 0xFF)) < 40) {
                    close++;
                }
            }
        }
        // JPEG smooths the fractal's finest filaments; everywhere else the pixels are the fractal's.
        assertTrue(close >= samples * 0.9, close + " of " + samples + " samples are the fractal's colour");
    }
}
