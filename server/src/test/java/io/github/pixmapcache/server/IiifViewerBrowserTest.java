package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deep-zoom viewer in headless Chromium: OpenSeadragon, served from the jar, opened on a detail of
 * an image of random 8x8 blocks and then zoomed further in with the mouse wheel, shows the image's own
 * pixels where they belong. One live page, driven over the DevTools protocol, gives both the
 * rectangle of image pixels the viewer draws and the picture of it, taken while nothing moves or loads;
 * a misplaced tile, a tile of another region or the whole image shrunk to fit would show other blocks.
 */
class IiifViewerBrowserTest {
    private static final int WIDTH = 800;
    private static final int HEIGHT = 600;
    private static final int BLOCK = 8;
    /** The detail asked for: 200x150 image pixels, 4x zoom in an 800x600 page. */
    private static final int X0 = 1500;
    private static final int Y0 = 1100;
    private static final int ZOOM = 4;
    /** Wheel turns towards the page's centre after the deep link; each zooms in by OpenSeadragon's 1.2. */
    private static final int WHEEL_TURNS = 3;
    /** How long the viewer may take to open, load and draw a view, even on a loaded 2-core machine. */
    private static final long SETTLE_NANOS = 90_000_000_000L;
    /**
     * The viewer's state: the rectangle of image pixels drawn into the page's container, its size, and
     * whether all is drawn (every tile the view needs loaded and drawn, no animation under way).
     */
    private static final String STATE = """
            (() => {
              const v = window.viewer;
              if (!v || !v.world || v.world.getItemCount() === 0) return null;
              const shown = v.viewport.getBounds(true), size = v.viewport.getContainerSize();
              const r = v.viewport.viewportToImageRectangle(shown);
              return JSON.stringify({drawn: v.world.getItemAt(0).getFullyLoaded() && !v.world.needsDraw()
                  && shown.equals(v.viewport.getBounds(false)), x: r.x, y: r.y, w: r.width, h: r.height,
                  width: size.x, height: size.y});
            })()""";

    /** A picture of the page and the rectangle of image pixels it shows. */
    private record View(double x, double y, double w, double h, BufferedImage screen) {
        @Override
        public String toString() {
            return String.format("image rectangle %.2f,%.2f,%.2f,%.2f", x, y, w, h);
        }
    }

    @Test
    void zoomedInTheViewerShowsTheImagesOwnPixelsWhereTheyBelong(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path file = IiifFixtures.write(blocks(3000, 2000), images.resolve("blocks.png"));
        BufferedImage source = ImageIO.read(file.toFile());   // the image's own pixels, read back by Java2D
        try (TestServer server = TestServer.start("--images", images.toString());
             HeadlessChromium.DevToolsPage page = HeadlessChromium.open(Files.createDirectories(dir.resolve("chromium")),
                     WIDTH, HEIGHT)) {
            String listing = new String(server.get("/images").body(), StandardCharsets.UTF_8);
            assertTrue(listing.contains("href=\"/view/blocks\""), listing);
            assertTrue(new String(server.get("/").body(), StandardCharsets.UTF_8).contains("href=\"/images\""),
                    "the map page links to the images");

            page.navigate(server.uri("/view/blocks#xywh=" + X0 + "," + Y0 + "," + WIDTH / ZOOM + "," + HEIGHT / ZOOM).toString());
            View opened = settled(page);
            ImageIO.write(opened.screen(), "png", Path.of("target", "iiif-viewer-opened.png").toFile());   // to look at
            assertTrue(WIDTH / opened.w() >= 2, () -> "the deep link zoomed in only to " + WIDTH / opened.w() + ": " + opened);
            double cx = X0 + WIDTH / (2.0 * ZOOM);
            double cy = Y0 + HEIGHT / (2.0 * ZOOM);
            assertTrue(opened.x() <= cx && cx <= opened.x() + opened.w() && opened.y() <= cy && cy <= opened.y() + opened.h(),
                    () -> "the viewer shows " + opened + ", away from the detail asked for");
            assertShowsTheImage(opened, source);

            for (int turn = 0; turn < WHEEL_TURNS; turn++) {
                page.mouse(Map.of("type", "mouseWheel", "x", WIDTH / 2, "y", HEIGHT / 2, "deltaX", 0, "deltaY", -120));
            }
            View zoomed = settled(page);
            ImageIO.write(zoomed.screen(), "png", Path.of("target", "iiif-viewer-zoomed.png").toFile());
            assertTrue(zoomed.w() < opened.w() / 1.5, () -> "the wheel did not zoom in: " + opened + ", then " + zoomed);
            assertShowsTheImage(zoomed, source);
        }
    }

    /**
     * Waits until the viewer has drawn all of one view, photographs it, and returns the picture with
     * the rectangle, which must be the same just before and just after the picture: a view still loading,
     * animating or resizing is never paired with the rectangle of another.
     */
    private static View settled(HeadlessChromium.DevToolsPage page) throws Exception {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        Object previous = null;
        while (System.nanoTime() < deadline) {
            Object state = page.evaluate(STATE);
            if (state != null && state.equals(previous) && isDrawn(state)) {   // drawn, and still so a moment later
                BufferedImage screen = page.screenshot();
                if (state.equals(page.evaluate(STATE))) {
                    Map<?, ?> view = (Map<?, ?>) new JSON().fromJSON((String) state);
                    assertEquals(List.of((long) WIDTH, (long) HEIGHT), List.of(number(view, "width").longValue(),
                            number(view, "height").longValue()), "the viewer's container is the whole page");
                    assertEquals(List.of(WIDTH, HEIGHT), List.of(screen.getWidth(), screen.getHeight()), "the screenshot's size");
                    return new View(number(view, "x").doubleValue(), number(view, "y").doubleValue(),
                            number(view, "w").doubleValue(), number(view, "h").doubleValue(), screen);
                }
            }
            previous = state;
            Thread.sleep(200);
        }
        throw new AssertionError("the viewer did not finish drawing one view in " + SETTLE_NANOS / 1_000_000_000 + " s; last: " + previous);
    }

    private static boolean isDrawn(Object state) {
        return Boolean.TRUE.equals(((Map<?, ?>) new JSON().fromJSON((String) state)).get("drawn"));
    }

    private static Number number(Map<?, ?> view, String field) {
        return (Number) view.get(field);
    }

    /**
     * The picture shows the source's pixels of the view's rectangle, and not those of the rectangle one
     * block across: the comparison tells a placement off by a block from a right one.
     */
    private static void assertShowsTheImage(View view, BufferedImage source) {
        double shown = matching(view, 0, source);
        assertTrue(shown >= 0.85, () -> String.format("%.1f %% of the sampled screen pixels show the image's pixel of %s; %s",
                100 * shown, view, misses(view, source)));
        double shifted = matching(view, BLOCK, source);
        assertTrue(shifted < 0.2, () -> String.format("%.1f %% of the screen also matches %s shifted by a block", 100 * shifted, view));
    }

    /**
     * The fraction of sampled screen pixels that show the source's pixel at their place in the view's
     * rectangle moved {@code shift} image pixels to the right, within 40 per channel (tiles are JPEG).
     * Points near a block's edge, where JPEG and smoothing blend neighbours, are left out; the buttons
     * and the navigator (the corners) cover a few per cent.
     */
    private static double matching(View view, int shift, BufferedImage source) {
        int compared = 0;
        int matching = 0;
        for (int sy = 4; sy < HEIGHT - 4; sy += 6) {
            for (int sx = 4; sx < WIDTH - 4; sx += 6) {
                double ix = view.x() + shift + (sx + 0.5) * view.w() / WIDTH;
                double iy = view.y() + (sy + 0.5) * view.h() / HEIGHT;
                if (inBlockInterior(ix, iy, source)) {
                    compared++;
                    matching += close(source.getRGB((int) ix, (int) iy), view.screen().getRGB(sx, sy)) ? 1 : 0;
                }
            }
        }
        assertTrue(compared > 2000, "compared " + compared);
        return (double) matching / compared;
    }

    private static List<String> misses(View view, BufferedImage source) {
        List<String> misses = new ArrayList<>();
        for (int sy = 4; sy < HEIGHT - 4 && misses.size() < 5; sy += 6) {
            for (int sx = 4; sx < WIDTH - 4 && misses.size() < 5; sx += 6) {
                double ix = view.x() + (sx + 0.5) * view.w() / WIDTH;
                double iy = view.y() + (sy + 0.5) * view.h() / HEIGHT;
                if (inBlockInterior(ix, iy, source) && !close(source.getRGB((int) ix, (int) iy), view.screen().getRGB(sx, sy))) {
                    misses.add(String.format("(%d,%d): expected %06x, got %06x", sx, sy,
                            source.getRGB((int) ix, (int) iy) & 0xFFFFFF, view.screen().getRGB(sx, sy) & 0xFFFFFF));
                }
            }
        }
        return misses;
    }

    private static boolean inBlockInterior(double ix, double iy, BufferedImage source) {
        double fx = ix % BLOCK;
        double fy = iy % BLOCK;
        return ix >= 0 && iy >= 0 && ix < source.getWidth() && iy < source.getHeight()
                && fx >= 2 && fx <= BLOCK - 2 && fy >= 2 && fy <= BLOCK - 2;
    }

    /** An image of random 8x8 blocks: any two places a block or more apart differ. */
    private static BufferedImage blocks(int width, int height) {
        BufferedImage blocks = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(26);
        for (int by = 0; by < height / BLOCK; by++) {
            for (int bx = 0; bx < width / BLOCK; bx++) {
                int rgb = random.nextInt(1 << 24);
                for (int y = 0; y < BLOCK; y++) {
                    for (int x = 0; x < BLOCK; x++) {
                        blocks.setRGB(bx * BLOCK + x, by * BLOCK + y, rgb);
                    }
                }
            }
        }
        return blocks;
    }

    private static boolean close(int expected, int actual) {
        for (int shift = 0; shift < 24; shift += 8) {
            if (Math.abs((expected >> shift & 0xFF) - (actual >> shift & 0xFF)) > 40) {
                return false;
            }
        }
        return true;
    }
}
