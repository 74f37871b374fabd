package io.github.pixmapcache.javafx.demo;

import java.util.Locale;

/**
 * The gallery's settings, from {@code --name value} arguments.
 *
 * @param mode {@code cache}: {@code PixmapImage}s over an off-heap {@code PixmapCache}; {@code heap}:
 *        plain {@code WritableImage}s in an on-heap LRU map with the same byte budget
 * @param images how many distinct thumbnails the gallery scrolls through
 * @param thumbWidth a thumbnail's width in pixels
 * @param thumbHeight a thumbnail's height in pixels
 * @param budgetMiB the byte budget of the cache, or of the LRU map, in MiB
 * @param rowsPerSecond how fast the gallery scrolls by itself (0: only by the mouse wheel)
 * @param seconds stop after this long and print the measurements (0: run until the window closes)
 * @param release in cache mode, when a thumbnail scrolled out of view gives its pixels back
 * @param headless run on the Headless glass platform with the software renderer (no display needed)
 */
record GalleryOptions(Mode mode, int images, int thumbWidth, int thumbHeight, int budgetMiB,
        double rowsPerSecond, double seconds, Release release, boolean headless) {

    enum Mode { CACHE, HEAP }

    enum Release {
        /** When the garbage collector finds the image unreachable (the pin's cleaner). */
        GC,
        /** Explicitly, two frames after its cell dropped it: JavaFX's render tree has let go by then. */
        FRAMES
    }

    static final String USAGE = """
            javafx/gallery [--mode cache|heap] [--images 5000] [--thumb 160x120] [--budget-mib 48]
                           [--rows-per-second 20] [--seconds 0] [--release frames|gc] [--headless]""";

    long budgetBytes() {
        return budgetMiB * (1L << 20);
    }

    long setBytes() {
        return (long) images * thumbWidth * thumbHeight * 4;
    }

    static GalleryOptions parse(String... args) {
        Mode mode = Mode.CACHE;
        int images = 5000;
        int width = 160;
        int height = 120;
        int budget = 48;
        double rows = 20;
        double seconds = 0;
        Release release = Release.FRAMES;
        boolean headless = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--headless")) {
                headless = true;
                continue;
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            switch (name) {
                case "--mode" -> mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
                case "--images" -> images = positive(name, Integer.parseInt(value));
                case "--thumb" -> {
                    String[] size = value.split("x", 2);
                    width = positive(name, Integer.parseInt(size[0]));
                    height = positive(name, Integer.parseInt(size[1]));
                }
                case "--budget-mib" -> budget = positive(name, Integer.parseInt(value));
                case "--rows-per-second" -> rows = Double.parseDouble(value);
                case "--seconds" -> seconds = Double.parseDouble(value);
                case "--release" -> release = Release.valueOf(value.toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        return new GalleryOptions(mode, images, width, height, budget, rows, seconds, release, headless);
    }

    private static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
