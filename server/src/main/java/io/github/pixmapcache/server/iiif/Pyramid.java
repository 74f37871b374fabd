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

    /** Whether this level can be decoded here: in one strip, or in strips by a reader that reads regions. */
    boolean available(int level) {
        return strips(level) == 1 || source.regionReadsAreBounded();
    }

    /**
     * The coarsest available level that still has at least one level pixel per output pixel, for a
     * request that shrinks the source by {@code shrink} (source pixels per output pixel, the smaller
     * of the two axes); when finer levels are unavailable, the finest that is.
     */
    int levelFor(double shrink) {
        int level = 0;
        while (level + 1 < levels() && (1L << (level + 1)) <= shrink) {
            level++;
        }
        while (!available(level) && level + 1 < levels()) {
            level++;
        }
        return level;
    }
}
