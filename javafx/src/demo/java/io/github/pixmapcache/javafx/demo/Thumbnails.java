package io.github.pixmapcache.javafx.demo;

/**
 * Generated thumbnails, different for every index: a colour gradient, a disc, the index as a row of
 * bars, and translucent rounded corners. Pixels are premultiplied {@code 0xAARRGGBB} (JavaFX
 * {@code IntArgbPre}; as little-endian bytes, {@code BGRA_8888_PRE}).
 */
final class Thumbnails {
    private static final int CORNER = 12;

    private final int width;
    private final int height;

    Thumbnails(int width, int height) {
        this.width = width;
        this.height = height;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** Renders row {@code y} of thumbnail {@code index} into {@code row} (at least {@code width} ints). */
    void renderRow(int index, int y, int[] row) {
        int hue = (index * 47) % 360;
        int discX = width / 4 + (index * 13) % (width / 2);
        int discY = height / 4 + (index * 7) % (height / 2);
        int radius = Math.min(width, height) / 5;
        for (int x = 0; x < width; x++) {
            int rgb = hsv(hue + x * 60 / width, 0.55 + 0.4 * y / height, 0.5 + 0.45 * x / width);
            int dx = x - discX;
            int dy = y - discY;
            if (dx * dx + dy * dy < radius * radius) {
                rgb = 0xF0F0F0;
            }
            if (y > height - 14 && y < height - 4 && isBar(index, x)) {
                rgb = 0x101010;
            }
            row[x] = premultiply(cornerAlpha(x, y), rgb);
        }
    }

    /** The index in binary, one bar per bit, right to left. */
    private boolean isBar(int index, int x) {
        int bit = (width - 8 - x) / 6;
        return bit >= 0 && bit < 16 && (width - 8 - x) % 6 < 4 && (index >> bit & 1) == 1;
    }

    /** 255 inside, falling off over two pixels at the rounded corners, 0 outside them. */
    private int cornerAlpha(int x, int y) {
        int cx = x < CORNER ? CORNER - x : x >= width - CORNER ? x - (width - CORNER - 1) : 0;
        int cy = y < CORNER ? CORNER - y : y >= height - CORNER ? y - (height - CORNER - 1) : 0;
        if (cx == 0 || cy == 0) {
            return 255;
        }
        double outside = Math.sqrt(cx * cx + cy * cy) - CORNER;
        return (int) Math.round(255 * Math.clamp(0.5 - outside / 2, 0, 1));
    }

    private static int premultiply(int alpha, int rgb) {
        int red = (rgb >> 16 & 0xFF) * alpha / 255;
        int green = (rgb >> 8 & 0xFF) * alpha / 255;
        int blue = (rgb & 0xFF) * alpha / 255;
        return alpha << 24 | red << 16 | green << 8 | blue;
    }

    private static int hsv(int hue, double saturation, double value) {
        double h = (hue % 360) / 60.0;
        double c = value * saturation;
        double x = c * (1 - Math.abs(h % 2 - 1));
        double r;
        double g;
        double b;
        switch ((int) h) {
            case 0 -> { r = c; g = x; b = 0; }
            case 1 -> { r = x; g = c; b = 0; }
            case 2 -> { r = 0; g = c; b = x; }
            case 3 -> { r = 0; g = x; b = c; }
            case 4 -> { r = x; g = 0; b = c; }
            default -> { r = c; g = 0; b = x; }
        }
        double m = value - c;
        return (int) ((r + m) * 255) << 16 | (int) ((g + m) * 255) << 8 | (int) ((b + m) * 255);
    }
}
