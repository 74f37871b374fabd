package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deep-zoom viewer in headless Chromium: OpenSeadragon, served from the jar, opened zoomed in on
 * a detail of an image of random 8x8 blocks, shows the image's own pixels where they belong. A
 * misplaced tile, a tile of another region or the whole image shrunk to fit would show other blocks.
 */
class IiifViewerBrowserTest {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 600;
    private static final int BLOCK = 8;
    /** The detail shown: 200x150 image pixels, 4x zoom in an 800x600 window. */
    private static final int X0 = 1500;
    private static final int Y0 = 1100;
    private static final int ZOOM = 4;
    /** Page time for OpenSeadragon to open, fit and load its tiles. */
    private static final int VIRTUAL_TIME_MILLIS = 15_000;
    /** Pairs of runs taken before the test fails. */
    private static final int ATTEMPTS = 3;

    @Test
    @Disabled("flaky on a quiet machine: the --dump-dom run and the --screenshot run settle on different views"
            + " in some JVM runs (every pair then fails alike), so the test cannot yet tell a misplaced tile from"
            + " two layouts; one Chromium run that yields both the picture and the drawn rectangle is the fix")
    void zoomedInTheViewerShowsTheImagesOwnPixelsWhereTheyBelong(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        BufferedImage blocks = new BufferedImage(3000, 2000, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(26);
        for (int by = 0; by < 2000 / BLOCK; by++) {
            for (int bx = 0; bx < 3000 / BLOCK; bx++) {
                int rgb = random.nextInt(1 << 24);
                for (int y = 0; y < BLOCK; y++) {
                    for (int x = 0; x < BLOCK; x++) {
                        blocks.setRGB(bx * BLOCK + x, by * BLOCK + y, rgb);
                    }
                }
            }
        }
        IiifFixtures.write(blocks, images.resolve("blocks.png"));
        try (TestServer server = TestServer.start("--images", images.toString())) {
            String listing = new String(server.get("/images").body(), StandardCharsets.UTF_8);
            assertTrue(listing.contains("href=\"/view/blocks\""), listing);
            assertTrue(new String(server.get("/").body(), StandardCharsets.UTF_8).contains("href=\"/images\""),
                    "the map page links to the images");

            // Two runs of the same page in the same virtual time: one dumps the DOM, whose title names the
            // rectangle of image pixels the viewer says it draws; the other takes the picture of it. The
            // two runs now and then settle on different views (about one pair in three on a quiet
            // machine), so a pair is taken again, at most ATTEMPTS times: a viewer that draws pixels away
            // from where it says fails every pair.
            String page = server.uri("/view/blocks#xywh=" + X0 + "," + Y0 + "," + WIDTH / ZOOM + "," + HEIGHT / ZOOM).toString();
            String failure = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                failure = shownWhereItSays(dir.resolve("attempt-" + attempt), page, blocks);
                if (failure == null) {
                    return;
                }
            }
            throw new AssertionError(failure);
        }
    }

    /** Null if the viewer's screenshot shows the image's pixels of the rectangle its title names, else why not. */
    private static String shownWhereItSays(Path dir, String page, BufferedImage blocks) throws Exception {
        Files.createDirectories(dir);
        String window = "--window-size=" + WIDTH + "," + HEIGHT;
        String dom = HeadlessChromium.run(dir, page, VIRTUAL_TIME_MILLIS, "--dump-dom", window);
        Matcher drawn = Pattern.compile("<title>blocks #xywh=([-0-9.]+),([-0-9.]+),([-0-9.]+),([-0-9.]+)</title>")
                .matcher(dom);
        assertTrue(drawn.find(), () -> "no drawn rectangle in the title: " + dom);
        double x = Double.parseDouble(drawn.group(1));
        double y = Double.parseDouble(drawn.group(2));
        double w = Double.parseDouble(drawn.group(3));
        double h = Double.parseDouble(drawn.group(4));
        Path shot = dir.resolve("view.png");
        HeadlessChromium.run(dir, page, VIRTUAL_TIME_MILLIS, "--screenshot=" + shot, window);
        BufferedImage screen = ImageIO.read(shot.toFile());
        assertEquals(WIDTH, screen.getWidth());

        double zoom = WIDTH / w;
        assertTrue(zoom >= 2, "the viewer zoomed in only to " + zoom);
        assertTrue(x <= X0 + WIDTH / (2.0 * ZOOM) && X0 + WIDTH / (2.0 * ZOOM) <= x + w
                && y <= Y0 + HEIGHT / (2.0 * ZOOM) && Y0 + HEIGHT / (2.0 * ZOOM) <= y + h,
                "the viewer shows " + drawn.group() + ", away from the detail asked for");
        int compared = 0;
        int matching = 0;
        List<String> misses = new ArrayList<>();
        for (int sy = 4; sy < HEIGHT - 4; sy += 6) {
            for (int sx = 4; sx < WIDTH - 4; sx += 6) {
                double ix = x + (sx + 0.5) * w / WIDTH;
                double iy = y + (sy + 0.5) * h / HEIGHT;
                double fx = ix % BLOCK;
                double fy = iy % BLOCK;
                if (ix < 0 || iy < 0 || fx < 2 || fx > BLOCK - 2 || fy < 2 || fy > BLOCK - 2) {
                    continue;   // near a block's edge, where JPEG tiles and smoothing blend neighbours
                }
                compared++;
                if (close(blocks.getRGB((int) ix, (int) iy), screen.getRGB(sx, sy), 40)) {
                    matching++;
                } else if (misses.size() < 5) {
                    misses.add(String.format("(%d,%d): expected %06x, got %06x", sx, sy,
                            blocks.getRGB((int) ix, (int) iy) & 0xFFFFFF, screen.getRGB(sx, sy) & 0xFFFFFF));
                }
            }
        }
        assertTrue(compared > 2000, "compared " + compared);
        // The buttons and the navigator (the corners) cover a few per cent; anything misplaced covers far more.
        return matching >= compared * 0.85 ? null : matching + " of " + compared
                + " screen pixels show the image's pixel of " + drawn.group() + "; " + misses;
    }

    private static boolean close(int expected, int actual, int tolerance) {
        for (int shift = 0; shift < 24; shift += 8) {
            if (Math.abs((expected >> shift & 0xFF) - (actual >> shift & 0xFF)) > tolerance) {
                return false;
            }
        }
        return true;
    }
}
