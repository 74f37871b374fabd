package io.github.pixmapcache.server.iiif;

/**
 * The geometry of a source's levels and strips. Level {@code k} is the image at scale 1 / 2^k,
 * {@code ceil(width / 2^k)} x {@code ceil(height / 2^k)} pixels; it is cached in strips of whole
 * rows, each at most {@code stripBytes} of BGRA pixels, so that no cache entry is larger than that
 * however large the source.
 *
 * <p>Every level is made from one decode of the file ({@link RowStream}) at the {@link #baseLevel}:
 * level 0 for sources whose reader streams rows (JPEG, PNG), else the finest level whose decoded
 * samples fit {@link #SCRATCH_BYTES}. Each coarser level pixel is the exact mean of the base pixels
 * under it ({@link PyramidBuilder}); levels finer than the base are not available.
 */
record Pyramid(SourceImage source, long stripBytes) {
    /** Levels stop once the image is this small on its longer side: no viewer asks for less. */
    private static final int SMALLEST_SIDE = 32;
    /** The most bytes of pixels a source whose reader does not stream may be decoded into at once. */
    static final long SCRATCH_BYTES = 64L << 20;

    int levels() {
        int k = 0;
        while (k < 30 && Math.max(width(k), height(k)) > SMALLEST_SIDE) {
            k++;
        }
        return k + 1;
    }

    int width(int level) {
        return (int) (((long) source.width() + (1L << level) - 1) >> level);
    }

    int height(int level) {
        return (int) (((long) source.height() + (1L << level) - 1) >> level);
    }

    /** The bytes of the level's pixels, all its strips together. */
    long bytes(int level) {
        return 4L * width(level) * height(level);
    }

    int rowsPerStrip(int level) {
        return (int) Math.max(1, Math.min(height(level), stripBytes / (4L * width(level))));
    }

    int strips(int level) {
        return (height(level) + rowsPerStrip(level) - 1) / rowsPerStrip(level);
    }

    /** The level a decode of the file yields: 0 when the reader streams rows, else the finest that fits the scratch bytes. */
    int baseLevel() {
        if (source.streams()) {
            return 0;
        }
        int k = 0;
        while (k + 1 < levels() && bytes(k) > SCRATCH_BYTES) {
            k++;
        }
        return k;
    }

    /**
     * The coarsest levels that a pass over the whole file caches: from the finest level whose
     * strips, with those of every coarser level, fit in {@code bytes}. Finer levels are cached strip
     * by strip, when a request asks for them.
     */
    int keptFrom(long bytes) {
        int level = levels() - 1;
        long total = bytes(level);
        while (level > baseLevel() && total + bytes(level - 1) <= bytes) {
            level--;
            total += bytes(level);
        }
        return level;
    }

    /**
     * Where level pixel centres lie, in level pixels, relative to {@code source / 2^level}: 0 when
     * the base is level 0 (every pixel the exact mean of its block); a subsampling decoder keeps the
     * first pixel of each 2^base block, so the mean of a level pixel's samples sits up-left of the
     * block's centre. Adding this to a level coordinate corrects for it.
     */
    double offset(int level) {
        int sampling = 1 << baseLevel();
        int box = (1 << level) / sampling;
        double sampleCentre = sampling * (box - 1) / 2.0 + 0.5;
        return 0.5 - sampleCentre / (1L << level);
    }

    /**
     * The level a request that shrinks the source by {@code shrink} (source pixels per output pixel,
     * the smaller of the two axes) is made from: the level of that exact scale when there is one (a
     * viewer's tiles), else the level at least twice as fine, so that the final area average spans
     * two or more level pixels and the pyramid's own averaging blurs little; never finer than the
     * base level.
     */
    int levelFor(double shrink) {
        int level = 0;
        while (level + 1 < levels() && (1L << (level + 1)) <= shrink) {
            level++;
        }
        if (level > 0 && (1L << level) != shrink) {
            level--;
        }
        return Math.max(level, baseLevel());
    }
}
