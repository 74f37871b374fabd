package io.github.pixmapcache.internal.policy;

/**
 * How often each key was seen lately, approximately: a count-min sketch of 4-bit counters, as in
 * TinyLFU (Einziger, Friedman and Manes). Each key owns one counter in each of four rows of a
 * table; its estimate is the smallest of the four, so a collision can only overstate it. After a
 * sample of {@value #SAMPLE_PER_KEY} increments per cached key every counter is halved, so old popularity fades.
 *
 * <p>Not thread-safe: used under the cache lock only.
 */
final class FrequencySketch {
    static final int MAXIMUM_FREQUENCY = 15;
    private static final int MINIMUM_KEYS = 1024;
    /** Increments per cached key between agings: TinyLFU's 10 forgot too soon on the loop and LIRS traces. */
    private static final int SAMPLE_PER_KEY = 15;
    private static final long RESET_MASK = 0x7777_7777_7777_7777L;
    private static final long[] SEEDS = {
        0x9E37_79B9_7F4A_7C15L, 0xC2B2_AE3D_27D4_EB4FL, 0x1656_67B1_9E37_79F9L, 0x85EB_CA77_C2B2_AE63L
    };

    /** Sixteen 4-bit counters per word; the four counters of a key lie in four different words. */
    private long[] table;
    private int tableMask;
    private int sampleSize;
    private int additions;
    /**
     * A hash whose four counters were all at the maximum at its last increment, while
     * {@code saturated}: only a halving (or a new table) can lower them, so its next increments change
     * nothing and may skip the four mixes. A hot key's reads drain through here dozens of times a
     * microsecond.
     */
    private int saturatedHash;
    private boolean saturated;

    FrequencySketch() {
        ensureCapacity(1);
    }

    /**
     * Makes room for about {@code keys} keys: the sample that ages the counters grows to
     * {@value #SAMPLE_PER_KEY} increments per key, and the table to a word per key; growing the table forgets
     * every count (Window-TinyLFU's constants were tuned with that reset), so it starts with room
     * for {@value #MINIMUM_KEYS} keys.
     */
    void ensureCapacity(long keys) {
        ensureCapacity(keys, false);
    }

    /**
     * As {@link #ensureCapacity(long)}, but growing the table keeps every estimate (keys that shared
     * a counter share it on until the halvings blur it): for an order whose priorities are built on
     * the counts of entries long cached.
     */
    void ensureCapacityKeepingCounts(long keys) {
        ensureCapacity(keys, true);
    }

    private void ensureCapacity(long keys, boolean keepCounts) {
        sampleSize = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(sampleSize, SAMPLE_PER_KEY * keys));
        int words = (int) Math.min(1 << 26, Math.max(MINIMUM_KEYS, Long.highestOneBit(Math.max(1, keys) - 1) << 1));
        if (table != null && table.length >= words) {
            return;
        }
        long[] larger;
        try {
            larger = new long[words];
        } catch (OutOfMemoryError e) {
            if (table == null) {
                throw e;
            }
            return;  // keeps counting in the smaller table: estimates get coarser, the insert still succeeds
        }
        if (keepCounts && table != null) {
            // A key's word in the larger table is its old word, or that plus the old length: copying
            // the old table into every part of the new one keeps each key's estimate as it was.
            for (int part = 0; part < words; part += table.length) {
                System.arraycopy(table, 0, larger, part, table.length);
            }
        }
        table = larger;
        tableMask = words - 1;
        saturated = false;  // a key's counters may now lie elsewhere
        if (!keepCounts) {
            additions = 0;
        }
    }

    /** The estimated count of {@code hash}, 0 to {@value #MAXIMUM_FREQUENCY}. */
    int frequency(int hash) {
        int frequency = MAXIMUM_FREQUENCY;
        for (int row = 0; row < SEEDS.length; row++) {
            long mixed = mix(hash, row);
            int shift = nibbleOf(mixed);
            frequency = Math.min(frequency, (int) ((table[wordOf(mixed)] >>> shift) & 0xF));
        }
        return frequency;
    }

    /** Counts one more occurrence of {@code hash}; ages every counter once a sample is complete. */
    void increment(int hash) {
        if (saturated && hash == saturatedHash) {
            return;  // exactly what the loop below would do: every counter is at the maximum
        }
        boolean added = false;
        for (int row = 0; row < SEEDS.length; row++) {
            long mixed = mix(hash, row);
            int word = wordOf(mixed);
            int shift = nibbleOf(mixed);
            if (((table[word] >>> shift) & 0xF) < MAXIMUM_FREQUENCY) {
                table[word] += 1L << shift;
                added = true;
            }
        }
        if (!added) {
            saturatedHash = hash;
            saturated = true;
        } else if (++additions >= sampleSize) {
            halveAll();
        }
    }

    private void halveAll() {
        saturated = false;
        for (int i = 0; i < table.length; i++) {
            table[i] = (table[i] >>> 1) & RESET_MASK;
        }
        additions /= 2;
    }

    private static long mix(int hash, int row) {
        long mixed = (hash + SEEDS[row]) * SEEDS[(row + 1) & 3];
        return mixed ^ (mixed >>> 29);
    }

    private int wordOf(long mixed) {
        return (int) (mixed >>> 32) & tableMask;
    }

    private static int nibbleOf(long mixed) {
        return ((int) mixed & 0xF) << 2;
    }
}
