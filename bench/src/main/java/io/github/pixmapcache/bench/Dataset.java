package io.github.pixmapcache.bench;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.function.ObjIntConsumer;

/**
 * The images every benchmark caches: {@link #ENTRIES} pixmaps of {@link #WIDTH} x {@link #HEIGHT}
 * {@link PixelFormat#BGRA_8888_PRE}, each filled with its own opaque colour, and the names they
 * are cached under.
 */
public final class Dataset {
    public static final int ENTRIES = 10_000;
    public static final int WIDTH = 64;
    public static final int HEIGHT = 64;
    public static final PixelFormat FORMAT = PixelFormat.BGRA_8888_PRE;
    public static final int BYTES_PER_ENTRY = WIDTH * HEIGHT * 4;
    /** A budget twice the data set, so that nothing is ever evicted. */
    public static final long ROOMY_BUDGET = 2L * ENTRIES * BYTES_PER_ENTRY;

    /** The pixel a hit reads, and its first byte's offset in the pixels. */
    public static final int PROBE_X = WIDTH / 2;
    public static final int PROBE_Y = HEIGHT / 2;
    public static final int PROBE_OFFSET = (PROBE_Y * WIDTH + PROBE_X) * 4;

    /** The Zipf exponent of the key popularity. */
    public static final double ZIPF_S = 1.0;
    private static final long ZIPF_SEED = 0x5EED_F00DL;

    private Dataset() {}

    /** The names of the entries, in entry order: realistic, distinct, of similar length. */
    public static String[] names() {
        String[] names = new String[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            names[i] = "thumbnails/photo-" + i + ".jpg@64x64";
        }
        return names;
    }

    /** The Zipf-distributed sequence of entry indexes every benchmark reads with. */
    public static ZipfKeys zipfKeys() {
        return ZipfKeys.of(ENTRIES, ZIPF_S, ZIPF_SEED);
    }

    /**
     * Calls {@code action} with each entry's pixels and index, in a scratch pixmap that is repainted
     * for the next entry: copy what you keep.
     */
    public static void forEachPixmap(ObjIntConsumer<Pixmap> action) {
        try (Arena arena = Arena.ofConfined()) {
            Pixmap scratch = Pixmap.allocate(arena, WIDTH, HEIGHT, FORMAT);
            for (int i = 0; i < ENTRIES; i++) {
                scratch.fill(0xFF000000 | (i * 0x9E3779B1) & 0x00FFFFFF);
                action.accept(scratch, i);
            }
        }
    }

    /** A copy of the pixels as bytes, for the on-heap peers: what the pixmap holds in memory. */
    public static byte[] bytesOf(Pixmap pixmap) {
        return pixmap.segment().toArray(ValueLayout.JAVA_BYTE);
    }

    /**
     * Fails the setup unless a structure holds every entry: a benchmark that evicted, or lost
     * entries, would measure something else.
     */
    public static void requireAllEntries(String structure, long size) {
        if (size != ENTRIES) {
            throw new IllegalStateException(structure + " holds " + size + " entries, not " + ENTRIES);
        }
    }
}
