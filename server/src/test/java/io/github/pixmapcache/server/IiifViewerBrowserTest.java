package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
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

    @Test
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
            // rectangle of image pixels the viewer says it draws; the other takes the picture of it.
            String page = server.uri("/view/blocks#xywh=" + X0 + "," + Y0 + "," + WIDTH / ZOOM + "," + HEIGHT / ZOOM).toString();
            String window = "--window-size=" + WIDTH + "," + HEIGHT;
            Path dom = dir.resolve("view.html");
            chromium(dir, page, dom, "--dump-dom", window);
            Matcher drawn = Pattern.compile("<title>blocks #xywh=([-0-9.]+),([-0-9.]+),([-0-9.]+),([-0-9.]+)</title>")
                    .matcher(Files.readString(dom));
            assertTrue(drawn.find(), () -> "no drawn rectangle in the title: " + read(dom));
            double x = Double.parseDouble(drawn.group(1));
            double y = Double.parseDouble(drawn.group(2));
            double w = Double.parseDouble(drawn.group(3));
            double h = Double.parseDouble(drawn.group(4));
            Path shot = dir.resolve("view.png");
            chromium(dir, page, dir.resolve("chromium.out"), "--screenshot=" + shot, window);
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
            assertTrue(matching >= compared * 0.85, matching + " of " + compared
                    + " screen pixels show the image's pixel of " + drawn.group() + "; " + misses);
        }
    }

    private static boolean close(int expected, int actual, int tolerance) {
        for (int shift = 0; shift < 24; shift += 8) {
            if (Math.abs((expected >> shift & 0xFF) - (actual >> shift & 0xFF)) > tolerance) {
                return false;
            }
        }
        return true;
    }

    private static void chromium(Path dir, String url, Path out, String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(findChromium(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile"),
                "--virtual-time-budget=15000"));
        command.addAll(List.of(flags));
        command.add(url);
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(dir.resolve("chromium.err").toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s");
        }
        assertEquals(0, process.exitValue(), () -> "chromium failed: " + read(dir.resolve("chromium.err")));
    }

    private static String findChromium() {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                File candidate = new File(directory, name);
                if (candidate.canExecute()) {
                    return candidate.getPath();
                }
            }
        }
        throw new AssertionError("no chromium on the PATH: apt-get install -y chromium (.ci/run does)");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
