package io.github.pixmapcache.server.iiif;

/**
 * The geometry of a source's levels and strips. Level {@code k} is the image at scale 1 / 2^k,
 * {@code ceil(width / 2^k)} x {@code ceil(height / 2^k)} pixels; it is cached in strips of whole
 * rows, each at most {@code stripBytes} of BGRA pixels, so that no cache entry is larger than that
 * however large the source. A level of one strip is decoded in one pass; a level of several is
 * decoded strip by strip with source regions, which only the JPEG and PNG readers do within bounded
 * memory, so other formats serve such levels from the finest level that fits one strip.
 */
record Pyramid(SourceImage source, long stripBytes) {
    /** Levels stop once the image is this small on its longer side: no viewer asks for less. */
    private static final int SMALLEST_SIDE = 32;
    /** The most bytes of decoded samples a level decoded in one pass may take while it is averaged down. */
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

    int rowsPerStrip(int level) {
        return (int) Math.max(1, Math.min(height(level), stripBytes / (4L * width(level))));
    }

    int strips(int level) {
        return (height(level) + rowsPerStrip(level) - 1) / rowsPerStrip(level);
    }

    /**
     * The decoder's source subsampling for this level. Level pixels are means of {@link #box} x box
     * decoded samples: in one pass, as many as {@value #SCRATCH_BYTES} bytes of samples allow (every
     * source pixel for sources up to 16 Mpixels: exact area averages), and at least 4 x 4; in strips,
     * 2 x 2 (a strip's samples are on the heap while it is converted).
     */
    int sampling(int level) {
        int scale = 1 << level;
        if (strips(level) > 1) {
            return Math.max(1, scale / 2);
        }
        int s = 1;
        while (s < scale && 4L * ((source.width() + s - 1) / s) * ((source.height() + s - 1) / s) > SCRATCH_BYTES) {
            s <<= 1;
        }
        return Math.min(s, Math.max(1, scale / 4));
    }

    /** The side of the block of decoded samples averaged into one level pixel. */
    int box(int level) {
        return (1 << level) / sampling(level);
    }

    /**
     * Where level pixel centres lie, in level pixels, relative to {@code source / 2^level}: a
     * subsampled decoder keeps the first pixel of each block, so the mean of a level pixel's samples
     * sits up-left of the block's centre. Adding this to a level coordinate corrects for it.
     */
    double offset(int level) {
        double sampleCentre = sampling(level) * (box(level) - 1) / 2.0 + 0.5;
        return 0.5 - sampleCentre / (1L << level);
    }

    /** Whether this level can be decoded here: in one strip, or in strips by a reader that reads regions. */
    boolean available(int level) {
        return strips(level) == 1 || source.regionReadsAreBounded();
    }

    /**
     * The level a request that shrinks the source by {@code shrink} (source pixels per output pixel,
     * the smaller of the two axes) is made from: the level of that exact scale when there is one (a
     * viewer's tiles), else the level at least twice as fine, so that the final area average spans
     * two or more level pixels and the pyramid's own averaging blurs little; when those are
     * unavailable, the finest level that is.
     */
    int levelFor(double shrink) {
        int level = 0;
        while (level + 1 < levels() && (1L << (level + 1)) <= shrink) {
            level++;
        }
        if (level > 0 && (1L << level) != shrink) {
            level--;
        }
        while (!available(level) && level + 1 < levels()) {
            level++;
        }
        return level;
    }
}
