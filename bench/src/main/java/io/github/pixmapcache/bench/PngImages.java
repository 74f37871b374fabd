package io.github.pixmapcache.bench;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * The pixels the PNG benchmarks encode, drawn with Java2D from a fixed seed into a 2048x2048
 * {@code BGRA_8888_PRE} metatile (a premultiplied int ARGB image has the same bytes on little-endian):
 * <ul>
 *   <li>{@code map}: an opaque map-like metatile: land-use polygons, antialiased roads with casings,
 *       labels;</li>
 *   <li>{@code overlay}: a translucent overlay (routes and markers on transparency), every alpha
 *       value at the antialiased edges;</li>
 *   <li>{@code photo}: smooth opaque gradients with sensor-like noise, where filters matter most.</li>
 * </ul>
 */
public enum PngImages {
    map, overlay, photo;

    static final int METATILE = 2048;

    /** A metatile of this content in memory from {@code arena}. */
    public Pixmap draw(Arena arena) {
        BufferedImage image = new BufferedImage(METATILE, METATILE, BufferedImage.TYPE_INT_ARGB_PRE);
        SplittableRandom random = new SplittableRandom(42);
        switch (this) {
            case map -> drawMap(image, random);
            case overlay -> drawOverlay(image, random);
            case photo -> drawPhoto(image, random);
        }
        Pixmap pixmap = Pixmap.allocate(arena, METATILE, METATILE, PixelFormat.BGRA_8888_PRE);
        int[] argb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        MemorySegment.copy(argb, 0, pixmap.segment(), ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN), 0,
                argb.length);
        return pixmap;
    }

    private static void drawMap(BufferedImage image, SplittableRandom random) {
        Graphics2D g = antialiased(image);
        g.setColor(new Color(0xF2EFE9));
        g.fillRect(0, 0, METATILE, METATILE);
        Color[] landUse = {new Color(0xC8FACC), new Color(0xADD19E), new Color(0xAAD3DF), new Color(0xE0DFDF)};
        for (int i = 0; i < 120; i++) {
            g.setColor(landUse[random.nextInt(landUse.length)]);
            g.fill(polygon(random, 40 + random.nextInt(260)));
        }
        for (int i = 0; i < 60; i++) {
            Path2D road = road(random);
            int width = 3 + random.nextInt(10);
            g.setStroke(new BasicStroke(width + 2, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(new Color(0xBBBBBB));
            g.draw(road);
            g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(i % 5 == 0 ? new Color(0xF7FABF) : Color.WHITE);
            g.draw(road);
        }
        g.setColor(new Color(0x333333));
        for (int i = 0; i < 200; i++) {
            g.drawString("Street " + random.nextInt(1000), random.nextInt(METATILE), random.nextInt(METATILE));
        }
        g.dispose();
    }

    private static void drawOverlay(BufferedImage image, SplittableRandom random) {
        Graphics2D g = antialiased(image);
        for (int i = 0; i < 40; i++) {
            g.setStroke(new BasicStroke(2 + random.nextInt(8), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.setColor(new Color(random.nextInt(1 << 24) | 0x80000000 + (random.nextInt(0x7F) << 24), true));
            g.draw(road(random));
        }
        for (int i = 0; i < 300; i++) {
            g.setColor(new Color(random.nextInt(1 << 24) | 0xC0000000, true));
            g.fillOval(random.nextInt(METATILE), random.nextInt(METATILE), 12, 12);
        }
        g.dispose();
    }

    private static void drawPhoto(BufferedImage image, SplittableRandom random) {
        for (int y = 0; y < METATILE; y++) {
            for (int x = 0; x < METATILE; x++) {
                double sky = 0.5 + 0.5 * Math.sin(x / 300.0) * Math.cos(y / 210.0);
                int r = clamp(60 + 150 * sky + noise(random));
                int gr = clamp(90 + 120 * sky + noise(random));
                int b = clamp(140 + 100 * (1 - sky) + noise(random));
                image.setRGB(x, y, 0xFF000000 | r << 16 | gr << 8 | b);
            }
        }
    }

    private static Graphics2D antialiased(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    private static Path2D polygon(SplittableRandom random, int size) {
        Path2D path = new Path2D.Double();
        double cx = random.nextInt(METATILE);
        double cy = random.nextInt(METATILE);
        path.moveTo(cx, cy);
        for (int corner = 0; corner < 6; corner++) {
            path.lineTo(cx + random.nextInt(size) - size / 2.0, cy + random.nextInt(size) - size / 2.0);
        }
        path.closePath();
        return path;
    }

    private static Path2D road(SplittableRandom random) {
        Path2D path = new Path2D.Double();
        double x = random.nextInt(METATILE);
        double y = random.nextInt(METATILE);
        path.moveTo(x, y);
        for (int bend = 0; bend < 8; bend++) {
            x += random.nextInt(400) - 200;
            y += random.nextInt(400) - 200;
            path.lineTo(x, y);
        }
        return path;
    }

    private static double noise(SplittableRandom random) {
        return (random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5) * 6;
    }

    private static int clamp(double channel) {
        return (int) Math.max(0, Math.min(255, Math.round(channel)));
    }
}
