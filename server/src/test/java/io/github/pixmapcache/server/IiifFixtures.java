package io.github.pixmapcache.server;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Source images for the IIIF tests, and the independent Java2D reference each response is checked against. */
final class IiifFixtures {
    private IiifFixtures() {
    }

    /**
     * An opaque picture with structure at every scale: smooth gradients (so area averages are
     * predictable) under large coloured blocks (so misplaced pixels show), {@code width} x {@code height}.
     */
    static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (255 * x / width) << 16 | (255 * y / height) << 8 | 128);
            }
        }
        Graphics2D g = image.createGraphics();
        int block = Math.max(8, Math.min(width, height) / 8);
        Color[] colours = {Color.RED, Color.BLUE, Color.WHITE, Color.BLACK, Color.YELLOW};
        for (int by = 0; by * block < height; by += 2) {
            for (int bx = (by / 2) % 2; bx * block < width; bx += 2) {
                g.setColor(colours[(bx + by) % colours.length]);
                g.fillRect(bx * block, by * block, block, block);
            }
        }
        g.dispose();
        return image;
    }

    static Path write(BufferedImage image, Path file) {
        try {
            String name = file.getFileName().toString();
            if (!ImageIO.write(image, name.substring(name.lastIndexOf('.') + 1), file.toFile())) {
                throw new IllegalStateException("no writer for " + file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new AssertionError("not an image: " + new String(bytes, 0, Math.min(bytes.length, 200)));
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The region {@code x,y,w,h} of {@code source} scaled to {@code width} x {@code height} by Java2D's area averaging. */
    static BufferedImage reference(BufferedImage source, int x, int y, int w, int h, int width, int height) {
        BufferedImage region = source.getSubimage(x, y, w, h);
        if (width == w && height == h) {
            return copy(region);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        if (width <= w && height <= h) {
            g.drawImage(region.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        } else {   // enlarging: linear interpolation between pixel centres
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(copy(region), AffineTransform.getScaleInstance((double) width / w, (double) height / h), null);
        }
        g.dispose();
        return out;
    }

    static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    /** {@code image} mirrored (if asked), then turned clockwise by {@code quarters} quarter turns, by Java2D. */
    static BufferedImage turn(BufferedImage image, int quarters, boolean mirror) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = quarters % 2 == 1;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        AffineTransform t = new AffineTransform();
        t.quadrantRotate(quarters, (swap ? h : w) / 2.0, (swap ? w : h) / 2.0);
        t.translate(((swap ? h : w) - w) / 2.0, ((swap ? w : h) - h) / 2.0);
        if (mirror) {
            t.translate(w, 0);
            t.scale(-1, 1);
        }
        Graphics2D g = out.createGraphics();
        g.drawImage(image, t, null);
        g.dispose();
        return out;
    }

    /** Fails unless the images have the same size and their channels differ by at most {@code maxMean} on average and {@code maxAny} anywhere. */
    static void assertClose(BufferedImage expected, BufferedImage actual, double maxMean, int maxAny, String what) {
        if (expected.getWidth() != actual.getWidth() || expected.getHeight() != actual.getHeight()) {
            throw new AssertionError(what + ": size " + actual.getWidth() + "x" + actual.getHeight() + ", expected "
                    + expected.getWidth() + "x" + expected.getHeight());
        }
        long total = 0;
        int worst = 0;
        int worstX = 0;
        int worstY = 0;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int e = expected.getRGB(x, y);
                int a = actual.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    int d = Math.abs((e >> shift & 0xFF) - (a >> shift & 0xFF));
                    total += d;
                    if (d > worst) {
                        worst = d;
                        worstX = x;
                        worstY = y;
                    }
                }
            }
        }
        double mean = (double) total / (3.0 * expected.getWidth() * expected.getHeight());
        if (mean > maxMean || worst > maxAny) {
            throw new AssertionError(String.format("%s: mean channel difference %.2f (at most %.2f), worst %d at (%d, %d)"
                    + " (at most %d): expected %06x, got %06x", what, mean, maxMean, worst, worstX, worstY, maxAny,
                    expected.getRGB(worstX, worstY) & 0xFFFFFF, actual.getRGB(worstX, worstY) & 0xFFFFFF));
        }
    }

    /** Rec. 601 luma, as the Image API's gray quality is commonly computed. */
    static int luma(int rgb) {
        return (299 * (rgb >> 16 & 0xFF) + 587 * (rgb >> 8 & 0xFF) + 114 * (rgb & 0xFF) + 500) / 1000;
    }
}
