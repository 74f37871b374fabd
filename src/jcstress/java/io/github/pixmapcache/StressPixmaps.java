package io.github.pixmapcache;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.github.pixmapcache.testing.TestAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The pixmaps of the jcstress tests and the verdict on what a lease reads. Each source pixmap is
 * 64 GRAY_8 pixels, every byte its id times 0x11, so that one read of all the bytes tells a whole
 * pixmap from a torn one and from freed memory ({@link TestAllocator#POISON}).
 */
final class StressPixmaps {
    /** Outcome codes, the values of the jcstress result fields. */
    static final int MISS = 0;
    static final int OLD = 1;
    static final int NEW = 2;
    static final int OTHER = 3;
    static final int FREED = 4;
    static final int TORN = 5;
    static final int CLOSED = 6;

    /** Bytes of every source pixmap: the budget of a cache that holds exactly one. */
    static final int BYTES = 64;

    private static final Pixmap[] SOURCES = {null, filled(OLD), filled(NEW), filled(OTHER)};

    private StressPixmaps() {}

    /** The source pixmap whose bytes all equal {@code id * 0x11}; id is OLD, NEW or OTHER. */
    static Pixmap source(int id) {
        return SOURCES[id];
    }

    /**
     * What the lease reads, as an outcome code, and closes it: MISS for null, the id of the source
     * whose bytes it holds, FREED if any byte is poison, TORN for any other mix.
     */
    static int readAndClose(PixmapLease lease) {
        if (lease == null) {
            return MISS;
        }
        try (lease) {
            MemorySegment pixels = lease.pixmap().segment();
            byte first = pixels.get(JAVA_BYTE, 0);
            boolean uniform = true;
            for (long i = 0; i < BYTES; i++) {
                byte b = pixels.get(JAVA_BYTE, i);
                if (b == TestAllocator.POISON) {
                    return FREED;
                }
                uniform &= b == first;
            }
            return uniform ? idOf(first) : TORN;
        }
    }

    /**
     * As {@link #readAndClose}, but through {@code getArgb} alone, so that the lease never makes an
     * arena or a view: the lease's own check is all that stands between the read and freed memory.
     */
    static int readPixelsAndClose(PixmapLease lease) {
        if (lease == null) {
            return MISS;
        }
        try (lease) {
            return readPixels(lease.pixmap());
        }
    }

    /** What {@code pixmap}'s pixels are, read through {@code getArgb} only (no view): an id, {@link #FREED} or {@link #TORN}. */
    static int readPixels(Pixmap pixmap) {
        int first = pixmap.getArgb(0, 0);
        boolean uniform = true;
        for (int x = 0; x < BYTES; x++) {
            int argb = pixmap.getArgb(x, 0);
            if ((byte) argb == TestAllocator.POISON) {
                return FREED;
            }
            uniform &= argb == first;
        }
        return uniform ? idOf((byte) first) : TORN;
    }

    /** Whether {@code e} is the documented refusal of a closed cache, not some other state error. */
    static boolean isCacheClosed(IllegalStateException e) {
        return e.getMessage() != null && e.getMessage().startsWith("the cache is closed");
    }

    private static int idOf(byte value) {
        for (int id = OLD; id <= OTHER; id++) {
            if (value == (byte) (id * 0x11)) {
                return id;
            }
        }
        return TORN;
    }

    private static Pixmap filled(int id) {
        Pixmap pixmap = Pixmap.allocate(Arena.global(), BYTES, 1, PixelFormat.GRAY_8);
        pixmap.segment().fill((byte) (id * 0x11));
        return pixmap;
    }
}
