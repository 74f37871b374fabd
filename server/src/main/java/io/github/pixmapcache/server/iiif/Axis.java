package io.github.pixmapcache.server.iiif;

/**
 * The filter taps of one axis of a resampling: for each output pixel, the first source pixel it
 * reads and the weights of consecutive source pixels, summing to 1. Shrinking averages the area
 * each output pixel covers (a box filter with fractional edges); enlarging interpolates linearly
 * between the two nearest source pixel centres.
 */
final class Axis {
    final int[] first;
    final int[] count;
    /** {@code weights[i * stride + t]} is the weight of source pixel {@code first[i] + t}. */
    final float[] weights;
    final int stride;

    private Axis(int n, int stride) {
        this.first = new int[n];
        this.count = new int[n];
        this.weights = new float[n * stride];
        this.stride = stride;
    }

    /**
     * Taps for {@code n} output pixels spanning source coordinates {@code start .. start + length},
     * reading source pixels {@code 0 .. limit - 1} only.
     */
    static Axis of(double start, double length, int n, int limit) {
        double scale = length / n;
        if (scale >= 1) {
            Axis axis = new Axis(n, (int) Math.ceil(scale) + 2);
            for (int i = 0; i < n; i++) {
                double from = start + i * scale;
                double to = Math.min(start + (i + 1) * scale, limit);
                int j0 = Math.min((int) Math.floor(from), limit - 1);
                int j1 = Math.max(j0 + 1, Math.min((int) Math.ceil(to), limit));
                axis.first[i] = j0;
                axis.count[i] = j1 - j0;
                double total = 0;
                for (int j = j0; j < j1; j++) {
                    double w = Math.max(0, Math.min(j + 1, to) - Math.max(j, from));
                    axis.weights[i * axis.stride + j - j0] = (float) w;
                    total += w;
                }
                for (int t = 0; t < axis.count[i]; t++) {
                    axis.weights[i * axis.stride + t] = total > 0 ? (float) (axis.weights[i * axis.stride + t] / total)
                            : 1f / axis.count[i];
                }
            }
            return axis;
        }
        Axis axis = new Axis(n, 2);
        for (int i = 0; i < n; i++) {
            double centre = start + (i + 0.5) * scale - 0.5;
            double lowest = Math.max(0, Math.floor(start));
            double highest = Math.min(limit - 1, Math.ceil(start + length) - 1);
            centre = Math.max(lowest, Math.min(highest, centre));
            int j0 = (int) Math.floor(centre);
            float t = (float) (centre - j0);
            int j1 = Math.min(j0 + 1, limit - 1);
            axis.first[i] = j0;
            axis.count[i] = j1 == j0 ? 1 : 2;
            axis.weights[i * 2] = j1 == j0 ? 1f : 1 - t;
            axis.weights[i * 2 + 1] = j1 == j0 ? 0f : t;
        }
        return axis;
    }

    /** The lowest source pixel any output pixel reads. */
    int lowest() {
        return first[0];
    }

    /** One past the highest source pixel any output pixel reads. */
    int highest() {
        int max = 0;
        for (int i = 0; i < first.length; i++) {
            max = Math.max(max, first[i] + count[i]);
        }
        return max;
    }
}
