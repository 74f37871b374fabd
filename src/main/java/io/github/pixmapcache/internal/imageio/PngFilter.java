package io.github.pixmapcache.internal.imageio;

/**
 * Chooses a PNG filter per row (PNG spec 9.2) as libpng does by default: the filter whose output,
 * read as signed bytes, has the smallest sum of absolute values. Rows are laid out as
 * {@code [filter type][samples...]}, so the chosen buffer goes to the compressor as it is.
 */
final class PngFilter {
    static final int NONE = 0;
    static final int SUB = 1;
    static final int UP = 2;
    static final int AVERAGE = 3;
    static final int PAETH = 4;

    private final int bytesPerPixel;
    private final byte[] sub;
    private final byte[] up;
    private final byte[] average;
    private final byte[] paeth;

    /** For rows of {@code rowBytes} sample bytes, filtered {@code bytesPerPixel} apart. */
    PngFilter(int rowBytes, int bytesPerPixel) {
        this.bytesPerPixel = bytesPerPixel;
        this.sub = row(rowBytes, SUB);
        this.up = row(rowBytes, UP);
        this.average = row(rowBytes, AVERAGE);
        this.paeth = row(rowBytes, PAETH);
    }

    /** A row buffer: its first byte is the filter type, then {@code rowBytes} samples. */
    static byte[] row(int rowBytes, int filterType) {
        byte[] row = new byte[1 + rowBytes];
        row[0] = (byte) filterType;
        return row;
    }

    /**
     * The filtered row to compress: {@code current} itself (filter None), or one of this filter's
     * buffers. {@code previous} holds the row above, all zero for the first row; index 0 of both is
     * the filter type byte and is never read as a sample.
     */
    byte[] apply(byte[] current, byte[] previous) {
        current[0] = NONE;
        int bpp = bytesPerPixel;
        int n = current.length;
        long costNone = 0, costSub = 0, costUp = 0, costAverage = 0, costPaeth = 0;
        // The first pixel has no left neighbour: a = c = 0, so Sub is None and Paeth is Up.
        for (int i = 1; i <= bpp; i++) {
            int x = current[i] & 0xFF;
            int b = previous[i] & 0xFF;
            byte vUp = (byte) (x - b);
            byte vAverage = (byte) (x - (b >>> 1));
            sub[i] = current[i];
            up[i] = vUp;
            average[i] = vAverage;
            paeth[i] = vUp;
            costNone += Math.abs(current[i]);
            costUp += Math.abs(vUp);
            costAverage += Math.abs(vAverage);
        }
        costSub = costNone;
        costPaeth = costUp;
        for (int i = bpp + 1; i < n; i++) {
            int x = current[i] & 0xFF;
            int a = current[i - bpp] & 0xFF;
            int b = previous[i] & 0xFF;
            int c = previous[i - bpp] & 0xFF;
            byte vSub = (byte) (x - a);
            byte vUp = (byte) (x - b);
            byte vAverage = (byte) (x - ((a + b) >>> 1));
            byte vPaeth = (byte) (x - paethPredictor(a, b, c));
            sub[i] = vSub;
            up[i] = vUp;
            average[i] = vAverage;
            paeth[i] = vPaeth;
            costNone += Math.abs(current[i]);
            costSub += Math.abs(vSub);
            costUp += Math.abs(vUp);
            costAverage += Math.abs(vAverage);
            costPaeth += Math.abs(vPaeth);
        }
        byte[] best = current;
        long least = costNone;
        if (costSub < least) {
            best = sub;
            least = costSub;
        }
        if (costUp < least) {
            best = up;
            least = costUp;
        }
        if (costAverage < least) {
            best = average;
            least = costAverage;
        }
        if (costPaeth < least) {
            best = paeth;
        }
        return best;
    }

    /** The Paeth predictor (PNG spec 9.4): whichever of left, up, upper-left is nearest a + b - c. */
    static int paethPredictor(int a, int b, int c) {
        int pa = Math.abs(b - c);
        int pb = Math.abs(a - c);
        int pc = Math.abs(a + b - 2 * c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
