package io.github.pixmapcache.internal.imageio;

/**
 * Chooses a PNG filter per row (PNG spec 9.2). A row of drawn graphics, where at least
 * {@link #REPEATS_FOR_NONE_PERCENT}% of the pixels repeat their left or upper neighbour, is left
 * unfiltered (None): deflate then finds the repeated runs and shapes of the raw pixels. Any other
 * row (photographic) gets the filter whose output, read as signed bytes, has the smallest sum of
 * absolute values, libpng's default heuristic.
 *
 * <p>Measured on the benchmark's content (bench/RESULTS.md, "PNG encoding"): the minimum-sum rule
 * alone makes map tiles 30% larger than no filtering, and no filtering makes photographs 40%
 * larger than the minimum-sum rule; the repeat count picks the better side on each. Rows are laid
 * out as {@code [filter type][samples...]}, so the chosen buffer goes to the compressor as it is.
 */
final class PngFilter {
    static final int NONE = 0;
    static final int SUB = 1;
    static final int UP = 2;
    static final int AVERAGE = 3;
    static final int PAETH = 4;

    /** Share of repeated pixels from which a row counts as drawn graphics (10 to 50 measured the same). */
    static final int REPEATS_FOR_NONE_PERCENT = 30;
    /** Rows of the other kind in a row after which {@link #photographic()} changes. */
    static final int KIND_SWITCH_ROWS = 8;

    private final int bytesPerPixel;
    /** The chosen filter's output when it is not None. */
    private final byte[] filtered;
    private long rows;
    private boolean photographic;
    /** Rows in a row whose kind differs from {@link #photographic}. */
    private int streak;

    /** For rows of {@code rowBytes} sample bytes, filtered {@code bytesPerPixel} apart. */
    PngFilter(int rowBytes, int bytesPerPixel) {
        this.bytesPerPixel = bytesPerPixel;
        this.filtered = row(rowBytes, NONE);
    }

    /** A row buffer: its first byte is the filter type, then {@code rowBytes} samples. */
    static byte[] row(int rowBytes, int filterType) {
        byte[] row = new byte[1 + rowBytes];
        row[0] = (byte) filterType;
        return row;
    }

    /**
     * The filtered row to compress: {@code current} itself (filter None), or this filter's buffer.
     * {@code previous} holds the row above, all zero for the first row; index 0 of both is the
     * filter type byte and is never read as a sample.
     */
    byte[] apply(byte[] current, byte[] previous) {
        current[0] = NONE;
        boolean drawn = isDrawn(current, previous);
        observe(drawn);
        int filter = drawn ? NONE : leastCost(current, previous);
        if (filter == NONE) {
            return current;
        }
        write(filter, current, previous);
        return filtered;
    }

    /**
     * Whether the rows lately are photographic rather than drawn. The answer follows the first row,
     * then changes only after {@link #KIND_SWITCH_ROWS} rows in a row of the other kind, so that
     * compressor settings that follow it do not change (and end a deflate block) for a lone row.
     */
    boolean photographic() {
        return photographic;
    }

    private void observe(boolean drawn) {
        if (rows++ == 0) {
            photographic = !drawn;
        } else if (drawn == photographic) {
            if (++streak >= KIND_SWITCH_ROWS) {
                photographic = !drawn;
                streak = 0;
            }
        } else {
            streak = 0;
        }
    }

    /** Whether the row is graphics: enough pixels equal to their left or upper neighbour. */
    private boolean isDrawn(byte[] current, byte[] previous) {
        int bpp = bytesPerPixel;
        int pixels = (current.length - 1) / bpp;
        int needed = (pixels * REPEATS_FOR_NONE_PERCENT + 99) / 100;
        int repeats = 0;
        for (int i = 1, pixel = 0; pixel < pixels; i += bpp, pixel++) {
            if (repeats >= needed) {
                return true;
            }
            if (repeats + (pixels - pixel) < needed) {
                return false;
            }
            if (equalPixels(current, i, previous, i) || pixel > 0 && equalPixels(current, i, current, i - bpp)) {
                repeats++;
            }
        }
        return repeats >= needed;
    }

    private boolean equalPixels(byte[] a, int at, byte[] b, int bt) {
        for (int k = 0; k < bytesPerPixel; k++) {
            if (a[at + k] != b[bt + k]) {
                return false;
            }
        }
        return true;
    }

    /** The filter with the least sum of |signed output byte|, computed without writing any output. */
    private int leastCost(byte[] current, byte[] previous) {
        int bpp = bytesPerPixel;
        int n = current.length;
        long none = 0, sub = 0, up = 0, average = 0, paeth = 0;
        // The first pixel has no left neighbour: a = c = 0, so Sub is None and Paeth is Up.
        for (int i = 1; i <= bpp; i++) {
            int x = current[i] & 0xFF;
            int b = previous[i] & 0xFF;
            none += Math.abs(current[i]);
            up += Math.abs((byte) (x - b));
            average += Math.abs((byte) (x - (b >>> 1)));
        }
        sub = none;
        paeth = up;
        for (int i = bpp + 1; i < n; i++) {
            int x = current[i] & 0xFF;
            int a = current[i - bpp] & 0xFF;
            int b = previous[i] & 0xFF;
            int c = previous[i - bpp] & 0xFF;
            none += Math.abs(current[i]);
            sub += Math.abs((byte) (x - a));
            up += Math.abs((byte) (x - b));
            average += Math.abs((byte) (x - ((a + b) >>> 1)));
            paeth += Math.abs((byte) (x - paethPredictor(a, b, c)));
        }
        int best = NONE;
        long least = none;
        if (sub < least) {
            best = SUB;
            least = sub;
        }
        if (up < least) {
            best = UP;
            least = up;
        }
        if (average < least) {
            best = AVERAGE;
            least = average;
        }
        return paeth < least ? PAETH : best;
    }

    /** Writes {@code current} filtered by {@code filter} (not None) into {@link #filtered}. */
    private void write(int filter, byte[] current, byte[] previous) {
        byte[] out = filtered;
        int bpp = bytesPerPixel;
        int n = current.length;
        out[0] = (byte) filter;
        switch (filter) {
            case SUB -> {
                System.arraycopy(current, 1, out, 1, bpp);
                for (int i = bpp + 1; i < n; i++) {
                    out[i] = (byte) (current[i] - current[i - bpp]);
                }
            }
            case UP -> {
                for (int i = 1; i < n; i++) {
                    out[i] = (byte) (current[i] - previous[i]);
                }
            }
            case AVERAGE -> {
                for (int i = 1; i <= bpp; i++) {
                    out[i] = (byte) (current[i] - ((previous[i] & 0xFF) >>> 1));
                }
                for (int i = bpp + 1; i < n; i++) {
                    out[i] = (byte) (current[i] - (((current[i - bpp] & 0xFF) + (previous[i] & 0xFF)) >>> 1));
                }
            }
            default -> {  // PAETH
                for (int i = 1; i <= bpp; i++) {
                    out[i] = (byte) (current[i] - previous[i]);
                }
                for (int i = bpp + 1; i < n; i++) {
                    out[i] = (byte) (current[i] - paethPredictor(current[i - bpp] & 0xFF, previous[i] & 0xFF,
                            previous[i - bpp] & 0xFF));
                }
            }
        }
    }

    /**
     * The Paeth predictor (PNG spec 9.4): whichever of left, up, upper-left is nearest a + b - c,
     * ties going to a, then b. Branch-free: on photographs the choice is a coin toss that a branch
     * mispredicts, and this method was most of the encoder's own time.
     */
    static int paethPredictor(int a, int b, int c) {
        int pa = Math.abs(b - c);
        int pb = Math.abs(a - c);
        int pc = Math.abs(a + b - 2 * c);
        int bOrC = b ^ ((b ^ c) & ((pc - pb) >> 31));       // c if pc < pb, else b
        return a ^ ((a ^ bOrC) & (((pb - pa) | (pc - pa)) >> 31));  // bOrC if pa > pb or pa > pc, else a
    }
}
