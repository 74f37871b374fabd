package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.tiles.Mandelbrot;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headless Chromium (Debian's {@code chromium}, which {@code .ci/run} installs) loads the map page:
 * the screenshot shows the fractal's own pixels where Leaflet places the tiles, and the stats panel
 * shows numbers.
 */
class BrowserTest {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 600;
    /**
     * The page opens at zoom 2 centred on (lat 0, lng -22.5): world pixel (448, 512) of 1024, so the
     * window's top-left is world pixel (48, 212).
     */
    private static final int ZOOM = 2;
    private static final int WORLD_LEFT = 448 - WIDTH / 2;
    private static final int WORLD_TOP = 512 - HEIGHT / 2;
    /** How far off the window's centre the map may sit (see the test). */
    private static final int MAX_SHIFT_ACROSS = 4;
    private static final int MAX_SHIFT_DOWN = 50;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theMapShowsTheFractalWhereLeafletPutsIt(@TempDir Path dir) throws Exception {
        Path shot = dir.resolve("map.png");
        chromium(dir, "--screenshot=" + shot, "--window-size=" + WIDTH + "," + HEIGHT);
        BufferedImage image = ImageIO.read(shot.toFile());
        assertEquals(WIDTH, image.getWidth());
        assertEquals(HEIGHT, image.getHeight());
        Files.copy(shot, Path.of("target", "browser-test.png"), StandardCopyOption.REPLACE_EXISTING);   // to look at

        // Left of the stats panel, below the zoom buttons, inside the tile rows Leaflet loaded. Headless
        // Chromium lays the page out in a viewport a little smaller than the window it screenshots, so
        // the map's centre, and with it every tile, may sit up to half the difference off the window's
        // centre: find that offset first (a few pixels across, tens down), then require the fractal's
        // exact pixels everywhere at it.
        List<int[]> points = new ArrayList<>();
        for (int y = 110; y < 500; y += 7) {
            for (int x = 60; x < 490; x += 7) {
                points.add(new int[] {x, y});
            }
        }
        int bestDx = 0;
        int bestDy = 0;
        int bestMatches = -1;
        for (int dy = -MAX_SHIFT_DOWN; dy <= MAX_SHIFT_DOWN; dy++) {
            for (int dx = -MAX_SHIFT_ACROSS; dx <= MAX_SHIFT_ACROSS; dx++) {
                int matches = 0;
                for (int i = 0; i < points.size(); i += 10) {
                    matches += matchesAt(image, points.get(i), dx, dy) ? 1 : 0;
                }
                if (matches > bestMatches) {
                    bestMatches = matches;
                    bestDx = dx;
                    bestDy = dy;
                }
            }
        }
        List<String> mismatches = new ArrayList<>();
        boolean sawInside = false;
        boolean sawOutside = false;
        for (int[] point : points) {
            int expected = expectedAt(point, bestDx, bestDy);
            if (!matchesAt(image, point, bestDx, bestDy)) {
                mismatches.add(String.format("(%d, %d) expected %06x got %06x", point[0], point[1],
                        expected & 0xFFFFFF, image.getRGB(point[0], point[1]) & 0xFFFFFF));
            }
            sawInside |= (expected & 0xFFFFFF) == 0;
            sawOutside |= (expected & 0xFFFFFF) != 0;
        }
        assertTrue(sawInside && sawOutside, "the sampled area holds both the set and its outside");
        int dx = bestDx;
        int dy = bestDy;
        assertTrue(mismatches.size() <= points.size() / 100,
                mismatches.size() + " of " + points.size() + " pixels differ from the fractal (best offset " + dx
                        + ", " + dy + "), e.g. " + mismatches.subList(0, Math.min(5, mismatches.size())));
    }

    private static int expectedAt(int[] point, int dx, int dy) {
        return Mandelbrot.argb(ZOOM, WORLD_LEFT + point[0] + dx, WORLD_TOP + point[1] + dy);
    }

    private static boolean matchesAt(BufferedImage image, int[] point, int dx, int dy) {
        return close(expectedAt(point, dx, dy), image.getRGB(point[0], point[1]));
    }

    @Test
    void theStatsPanelShowsNumbers(@TempDir Path dir) throws Exception {
        String dom = chromium(dir, "--dump-dom");
        assertTrue(dom.contains("pixmap-cache: <span id=\"cache\">pixmap</span>"), dom);
        for (String row : List.of("hit ratio</td><td class=\"v\">[0-9.]+ %", "renders</td><td class=\"v\">[0-9]+",
                "used / maximum</td><td class=\"v\">[0-9.]+ MiB / 256.0 MiB",   // the metatiles' half of the default 512 MiB
                "render p50 / p99</td><td class=\"v\">[0-9.]+ ms")) {
            assertTrue(Pattern.compile(row).matcher(dom).find(), () -> row + " in " + dom);
        }
    }

    /** Runs headless Chromium on the map page; returns its standard output. */
    private static String chromium(Path dir, String... flags) throws IOException, InterruptedException {
        return HeadlessChromium.run(dir, server.uri("/").toString(), 10_000, flags);
    }

    /** Equal within 2 per channel: a browser may round colours on its way to the screen. */
    private static boolean close(int expected, int actual) {
        for (int shift = 0; shift < 24; shift += 8) {
            if (Math.abs((expected >> shift & 0xFF) - (actual >> shift & 0xFF)) > 2) {
                return false;
            }
        }
        return true;
    }
}
