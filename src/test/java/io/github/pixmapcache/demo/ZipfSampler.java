package io.github.pixmapcache.demo;

import java.util.random.RandomGenerator;

/**
 * Draws ranks {@code 0 .. n-1} from a Zipf distribution: rank {@code k} has probability
 * proportional to {@code 1 / (k + 1)^s}, so rank 0 is the most popular. The cumulative
 * distribution is computed once; each draw is one uniform number and a binary search over it.
 * A sampler is immutable and may be shared by threads that each bring their own random generator.
 */
final class ZipfSampler {
    private final double[] cumulative;

    /**
     * @param n the number of ranks
     * @param exponent the skew {@code s}; 0 is uniform, about 1 is typical of web and map traffic
     * @throws IllegalArgumentException if {@code n} is not positive or {@code exponent} is negative
     *     or not finite
     */
    ZipfSampler(int n, double exponent) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be positive, got " + n);
        }
        if (!(exponent >= 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("exponent must be finite and >= 0, got " + exponent);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cumulative[k] /= sum;
        }
        cumulative[n - 1] = 1.0;  // rounding must not leave a gap above the last rank
    }

    /** The next rank: the smallest {@code k} whose cumulative probability exceeds a uniform draw. */
    int next(RandomGenerator random) {
        double u = random.nextDouble();  // in [0, 1)
        int low = 0;
        int high = cumulative.length - 1;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (cumulative[mid] > u) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }
}
