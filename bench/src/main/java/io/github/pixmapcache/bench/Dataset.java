package io.github.pixmapcache.bench;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.function.ObjIntConsumer;

/**
 * The images a benchmark caches: {@link #entries()} square {@link PixelFormat#BGRA_8888_PRE}
 * pixmaps of one side length, each filled with its own opaque colour, and the names they are
 * cached under.
 *
 * <p>The entry count depends on the size so that every structure fits a 2-core, 24 GiB machine
 * with room for a second copy (the heap peers hold theirs on the heap, inside a 2 GiB -Xmx):
 * 10,000 entries of 64x64 (160 MiB), 2,000 of 256x256 (500 MiB), 128 of 1024x1024 (512 MiB).
 * 10,000 entries of 1024x1024 would be 40 GiB.
 */
public final class Dataset {
    public static final PixelFormat FORMAT = PixelFormat.BGRA_8888_PRE;
    /** The Zipf exponent of the key popularity. */
    public static final double ZIPF_S = 1.0;
    private static final long ZIPF_SEED = 0x5EED_F00DL;

    private final int side;
    private final int entries;

    private Dataset(int side, int entries) {
        this.side = side;
        this.entries = entries;
    }

    /**
     * The data set of {@code side} x {@code side} pixmaps.
     *
     * @throws IllegalArgumentException unless {@code side} is 64, 256 or 1024
     */
    public static Dataset ofSide(int side) {
        return switch (side) {
            case 64 -> new Dataset(side, 10_000);
            case 256 -> new Dataset(side, 2_000);
            case 1024 -> new Dataset(side, 128);
            default -> throw new IllegalArgumentException("no data set of " + side + "x" + side + " pixmaps");
        };
    }

    public int side() {
        return side;
    }

    public int entries() {
        return entries;
    }

    /** Bytes of one entry's pixels (4 per pixel, rows need no padding). */
    public int bytesPerEntry() {
        return side * side * 4;
    }

    /** Bytes of every entry together. */
    public long totalBytes() {
        return (long) entries * bytesPerEntry();
    }

    /** A budget twice the data set, so that nothing is ever evicted. */
    public long roomyBudget() {
        return 2 * totalBytes();
    }

    /** The x and y of the pixel a hit reads: the middle one. */
    public int probe() {
        return side / 2;
    }

    /** The offset of the probed pixel's first byte in the pixels. */
    public int probeOffset() {
        return (probe() * side + probe()) * 4;
    }

    /** The name of entry {@code index}: realistic, distinct, of similar lengths. */
    public String name(int index) {
        return "thumbnails/photo-" + index + ".jpg@" + side + "x" + side;
    }

    /** The names of the entries, in entry order. */
    public String[] names() {
        String[] names = new String[entries];
        for (int i = 0; i < entries; i++) {
            names[i] = name(i);
        }
        return names;
    }

    /** The Zipf-distributed sequence of entry indexes every benchmark reads with. */
    public ZipfKeys zipfKeys() {
        return ZipfKeys.of(entries, ZIPF_S, ZIPF_SEED);
    }

    /** A new pixmap of this size in {@code arena}, painted with entry {@code index}'s colour. */
    public Pixmap pixmap(Arena arena, int index) {
        Pixmap pixmap = Pixmap.allocate(arena, side, side, FORMAT);
        pixmap.fill(colourOf(index));
        return pixmap;
    }

    /**
     * Calls {@code action} with each entry's pixels and index, in a scratch pixmap that is repainted
     * for the next entry: copy what you keep.
     */
    public void forEachPixmap(ObjIntConsumer<Pixmap> action) {
        try (Arena arena = Arena.ofConfined()) {
            Pixmap scratch = Pixmap.allocate(arena, side, side, FORMAT);
            for (int i = 0; i < entries; i++) {
                scratch.fill(colourOf(i));
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
    public void requireAllEntries(String structure, long size) {
        if (size != entries) {
            throw new IllegalStateException(structure + " holds " + size + " entries of " + side + "x" + side
                    + ", not " + entries);
        }
    }

    @Override
    public String toString() {
        return entries + " pixmaps of " + side + "x" + side;
    }

    private static int colourOf(int index) {
        return 0xFF000000 | (index * 0x9E3779B1) & 0x00FFFFFF;
    }
}
