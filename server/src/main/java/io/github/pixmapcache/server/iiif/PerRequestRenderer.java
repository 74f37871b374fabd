package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.imageio.PixmapIO;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * {@code --cache none}: decodes the source for every request as Cantaloupe's Java2D processor does
 * (ImageIO with the request's region as source region and no subsampling, then a Java2D scale and
 * turn), the baseline of the load test. Nothing is kept between requests.
 */
final class PerRequestRenderer implements ImageRenderer {
    private final AtomicLong decodes = new AtomicLong();

    @Override
    public byte[] render(SourceImage source, ImageRequest.Plan plan) {
        decodes.incrementAndGet();
        BufferedImage region = decodeRegion(source, plan);
        BufferedImage out = new BufferedImage(plan.outputWidth(), plan.outputHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(region, transform(plan, region.getWidth(), region.getHeight()), null);
        } finally {
            g.dispose();
        }
        if (plan.quality() == Quality.GRAY || plan.quality() == Quality.BITONAL) {
            for (int y = 0; y < out.getHeight(); y++) {
                for (int x = 0; x < out.getWidth(); x++) {
                    int argb = out.getRGB(x, y);
                    out.setRGB(x, y, argb & 0xFF00_0000 | plan.quality().apply(argb & 0xFFFFFF));
                }
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixmap.allocate(arena, out.getWidth(), out.getHeight(), PixelFormat.BGRA_8888_PRE);
            PixmapIO.copyFrom(out, pixmap);
            return Encoding.encode(pixmap, plan.format());
        }
    }

    private static BufferedImage decodeRegion(SourceImage source, ImageRequest.Plan plan) {
        try (ImageInputStream in = ImageIO.createImageInputStream(source.file().toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new SourceRefused(source.file(), "not an image format ImageIO reads");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceRegion(new Rectangle(plan.x(), plan.y(), plan.regionWidth(), plan.regionHeight()));
                return reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw e instanceof SourceRefused refused ? refused : new SourceRefused(source.file(), e);
        }
    }

    /** Region pixels to output pixels: scale, mirror, then turn clockwise about the output's corner. */
    private static AffineTransform transform(ImageRequest.Plan plan, int regionWidth, int regionHeight) {
        AffineTransform t = new AffineTransform();
        int w = plan.width();
        int h = plan.height();
        switch (plan.quarterTurns()) {
            case 1 -> {
                t.translate(h, 0);
                t.quadrantRotate(1);
            }
            case 2 -> {
                t.translate(w, h);
                t.quadrantRotate(2);
            }
            case 3 -> {
                t.translate(0, w);
                t.quadrantRotate(3);
            }
            default -> {
            }
        }
        if (plan.mirror()) {
            t.translate(w, 0);
            t.scale(-1, 1);
        }
        t.scale((double) w / regionWidth, (double) h / regionHeight);
        return t;
    }

    @Override
    public long decodes() {
        return decodes.get();
    }

    @Override
    public int[] scaleFactors(SourceImage source) {
        int longer = Math.max(source.width(), source.height());
        int levels = 1;
        while (levels < 30 && (longer >> levels) > 32) {
            levels++;
        }
        int[] factors = new int[levels];
        for (int k = 0; k < levels; k++) {
            factors[k] = 1 << k;
        }
        return factors;
    }

    @Override
    public void close() {
    }
}
