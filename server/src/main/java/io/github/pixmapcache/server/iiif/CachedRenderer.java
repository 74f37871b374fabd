package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.lang.foreign.Arena;

/**
 * Decode once, serve many: a source is read from its file once into the pixmap cache, as strips of
 * its pyramid levels ({@link Pyramid}, {@link StripDecoder}), and every request is cut, scaled and
 * encoded from leased strips. However many requests need a cold source or strip at once, one pass
 * decodes it and the others wait for its pixels.
 */
final class CachedRenderer implements ImageRenderer {
    private final PixmapCache<StripKey> cache;
    private final StripDecoder decoder;

    /** @param stripBytes the largest strip: a bound on every cache entry and on a decode's transient memory */
    CachedRenderer(PixmapCache<StripKey> cache, long stripBytes) {
        this.cache = cache;
        this.decoder = new StripDecoder(cache, stripBytes);
    }

    @Override
    public byte[] render(SourceImage source, ImageRequest.Plan plan) {
        Pyramid pyramid = decoder.pyramid(source);
        double shrink = Math.min((double) plan.regionWidth() / plan.width(), (double) plan.regionHeight() / plan.height());
        int level = pyramid.levelFor(shrink);
        try (Arena arena = Arena.ofConfined(); Strips strips = new Strips(source, pyramid, level)) {
            Pixmap out = Resampler.render(strips, 1.0 / (1L << level), pyramid.offset(level), pyramid.width(level),
                    pyramid.height(level), plan, arena);
            return Encoding.encode(out, plan.format());
        }
    }

    @Override
    public long decodes() {
        return decoder.decodes();
    }

    @Override
    public int[] scaleFactors(SourceImage source) {
        int levels = decoder.pyramid(source).levels();
        int[] factors = new int[levels];
        for (int k = 0; k < levels; k++) {
            factors[k] = 1 << k;
        }
        return factors;
    }

    IiifService.StripLeases stripLeases() {
        return new IiifService.StripLeases(decoder.hits(), decoder.misses());
    }

    PixmapCache<StripKey> cache() {
        return cache;
    }

    @Override
    public void close() {
        cache.close();
    }

    /** The rows of one level, read from one leased strip at a time (confined: the request's thread only). */
    private final class Strips implements RowSource {
        private final SourceImage source;
        private final int level;
        private final int rowsPerStrip;
        private PixmapLease lease;
        private int strip = -1;

        Strips(SourceImage source, Pyramid pyramid, int level) {
            this.source = source;
            this.level = level;
            this.rowsPerStrip = pyramid.rowsPerStrip(level);
        }

        @Override
        public void row(int y, int x, int[] line) {
            int wanted = y / rowsPerStrip;
            if (wanted != strip) {
                close();
                lease = decoder.lease(new StripKey(source, level, wanted));
                strip = wanted;
            }
            Pixmap pixmap = lease.pixmap();
            java.lang.foreign.MemorySegment.copy(pixmap.segment(), PIXEL,
                    (long) (y - wanted * rowsPerStrip) * pixmap.stride() + 4L * x, line, 0, line.length);
        }

        @Override
        public void close() {
            if (lease != null) {
                lease.close();
                lease = null;
                strip = -1;
            }
        }
    }
}
