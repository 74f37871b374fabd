package io.github.pixmapcache.bench;

import java.util.SplittableRandom;

/**
 * A fixed sequence of item indexes drawn from a Zipf distribution, precomputed so that drawing the
 * next one in a benchmark costs one array read (the approach of Caffeine's GetPutBenchmark). Item
 * {@code i} of {@code n} is drawn with probability proportional to {@code 1 / rank(i)^s}; ranks are
 * shuffled over the items so that the popular items are not simply the first ones.
 */
public final class ZipfKeys {
    /** Length of the sequence; a power of two so that a cursor wraps with a mask. */
    public static final int LENGTH = 1 << 20;
    private static final int MASK = LENGTH - 1;

    private final int[] indexes;

    private ZipfKeys(int[] indexes) {
        this.indexes = indexes;
    }

    /**
     * A sequence over {@code items} items with exponent {@code s}, the same for the same seed.
     *
     * @throws IllegalArgumentException if {@code items} is not positive or {@code s} is negative
     */
    public static ZipfKeys of(int items, double s, long seed) {
        if (items <= 0 || s < 0) {
            throw new IllegalArgumentException("items " + items + " and s " + s + " must be positive");
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] cumulative = cumulativeWeights(items, s);
        int[] itemOfRank = shuffledIdentity(items, random);
        double total = cumulative[items - 1];
        int[] indexes = new int[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            indexes[i] = itemOfRank[rankOf(cumulative, random.nextDouble(total))];
        }
        return new ZipfKeys(indexes);
    }

    /** The item at {@code position}, which may be any int: positions wrap around the sequence. */
    public int at(int position) {
        return indexes[position & MASK];
    }

    private static double[] cumulativeWeights(int items, double s) {
        double[] cumulative = new double[items];
        double sum = 0;
        for (int rank = 0; rank < items; rank++) {
            sum += 1 / Math.pow(rank + 1, s);
            cumulative[rank] = sum;
        }
        return cumulative;
    }

    /** The first rank whose cumulative weight exceeds {@code u}. */
    private static int rankOf(double[] cumulative, double u) {
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulative[middle] > u) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    private static int[] shuffledIdentity(int items, SplittableRandom random) {
        int[] permutation = new int[items];
        for (int i = 0; i < items; i++) {
            permutation[i] = i;
        }
        for (int i = items - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = swap;
        }
        return permutation;
    }
}
