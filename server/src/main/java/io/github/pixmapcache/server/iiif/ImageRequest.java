package io.github.pixmapcache.server.iiif;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The four parameters of an image request, {@code {region}/{size}/{rotation}/{quality}.{format}},
 * parsed on their own (syntax errors are 400 before the source is looked at), then
 * {@linkplain #resolve resolved} against the image's size into a {@link Plan}.
 * Numbers are plain decimals as the Image API writes them: no sign, no exponent, no NaN.
 */
record ImageRequest(String region, Size size, double rotation, boolean mirror, Quality quality, Format format) {

    private static final String DECIMAL = "(\\d+(?:\\.\\d+)?|\\.\\d+)";
    private static final Pattern PIXELS = Pattern.compile("(\\d+),(\\d+),(\\d+),(\\d+)");
    private static final Pattern PERCENT = Pattern.compile("pct:" + DECIMAL + "," + DECIMAL + "," + DECIMAL + "," + DECIMAL);
    private static final Pattern SIZE = Pattern.compile("(\\^)?(?:(max)|pct:" + DECIMAL + "|(!)?(\\d+)?,(\\d+)?)");
    private static final Pattern ROTATION = Pattern.compile("(!)?" + DECIMAL);

    /** The size parameter: {@code max}, {@code pct:n}, {@code w,}, {@code ,h}, {@code w,h} or {@code !w,h}, each with an optional {@code ^}. */
    record Size(boolean upscale, boolean max, double percent, boolean fit, int width, int height) {
    }

    /**
     * What to make: a region of the source in its pixels, the output's size before rotation, a
     * clockwise turn in quarters applied after an optional mirroring, the quality and the format.
     */
    record Plan(int x, int y, int regionWidth, int regionHeight, int width, int height, int quarterTurns,
                boolean mirror, Quality quality, Format format) {
        /** The output's width after rotation. */
        int outputWidth() {
            return quarterTurns % 2 == 0 ? width : height;
        }

        /** The output's height after rotation. */
        int outputHeight() {
            return quarterTurns % 2 == 0 ? height : width;
        }
    }

    /** Parses the four path segments, already percent-decoded. */
    static ImageRequest parse(String region, String size, String rotation, String qualityAndFormat) {
        checkRegionSyntax(region);
        int dot = qualityAndFormat.lastIndexOf('.');
        if (dot < 0) {
            throw IiifFailure.badRequest("no format: the last segment is {quality}.{format}, not " + qualityAndFormat);
        }
        Quality quality = Quality.parse(qualityAndFormat.substring(0, dot));
        Format format = Format.parse(qualityAndFormat.substring(dot + 1));
        Matcher r = ROTATION.matcher(rotation);
        if (!r.matches()) {
            throw IiifFailure.badRequest("rotation is n or !n, degrees 0 to 360: " + rotation);
        }
        double degrees = Double.parseDouble(r.group(2));
        if (degrees > 360) {
            throw IiifFailure.badRequest("rotation above 360 degrees: " + rotation);
        }
        return new ImageRequest(region, parseSize(size), degrees, r.group(1) != null, quality, format);
    }

    private static void checkRegionSyntax(String region) {
        if (!region.equals("full") && !region.equals("square") && !PIXELS.matcher(region).matches()
                && !PERCENT.matcher(region).matches()) {
            throw IiifFailure.badRequest("region is full, square, x,y,w,h or pct:x,y,w,h: " + region);
        }
    }

    private static Size parseSize(String size) {
        Matcher m = SIZE.matcher(size);
        if (!m.matches() || (m.group(2) == null && m.group(3) == null && m.group(5) == null && m.group(6) == null)) {
            throw IiifFailure.badRequest("size is max, pct:n, w,, ,h, w,h or !w,h, each optionally after ^: " + size);
        }
        boolean up = m.group(1) != null;
        if (m.group(2) != null) {
            return new Size(up, true, 0, false, 0, 0);
        }
        if (m.group(3) != null) {
            double percent = Double.parseDouble(m.group(3));
            if (!(percent > 0)) {
                throw IiifFailure.badRequest("pct:n needs n above 0: " + size);
            }
            return new Size(up, false, percent, false, 0, 0);
        }
        boolean fit = m.group(4) != null;
        int width = m.group(5) == null ? 0 : positive(m.group(5), size);
        int height = m.group(6) == null ? 0 : positive(m.group(6), size);
        if (fit && (width == 0 || height == 0)) {
            throw IiifFailure.badRequest("!w,h needs both w and h: " + size);
        }
        return new Size(up, false, 0, fit, width, height);
    }

    private static int positive(String digits, String parameter) {
        String significant = withoutLeadingZeros(digits);
        if (significant.length() > 9 || Integer.parseInt(significant) == 0) {
            throw IiifFailure.badRequest("a size must be from 1 to 999999999 pixels: " + parameter);
        }
        return Integer.parseInt(significant);
    }

    /**
     * This request for an image of {@code imageWidth} x {@code imageHeight}: 400 for a region outside
     * it, an upscale without {@code ^}, a size beyond {@code limits}; 501 for a rotation that is not a
     * multiple of 90 degrees.
     */
    Plan resolve(int imageWidth, int imageHeight, Limits limits) {
        if (rotation % 90 != 0) {
            throw new IiifFailure(501, "only rotations by multiples of 90 degrees are served: " + rotation);
        }
        int[] box = regionBox(imageWidth, imageHeight);
        int rw = box[2];
        int rh = box[3];
        long[] wh = outputSize(rw, rh, limits);
        if (!size.upscale && (wh[0] > rw || wh[1] > rh)) {
            throw IiifFailure.badRequest("size " + wh[0] + "x" + wh[1] + " is larger than the region " + rw + "x" + rh
                    + ": upscaling needs ^");
        }
        if (!limits.allows(wh[0], wh[1])) {
            throw IiifFailure.badRequest("size " + wh[0] + "x" + wh[1] + " is beyond this server's limits (maxWidth "
                    + limits.maxWidth() + ", maxHeight " + limits.maxHeight() + ", maxArea " + limits.maxArea() + ")");
        }
        return new Plan(box[0], box[1], rw, rh, (int) wh[0], (int) wh[1], (int) (rotation / 90) % 4, mirror, quality, format);
    }

    /** {x, y, w, h} of the region, cropped to the image; 400 when nothing of it lies inside. */
    private int[] regionBox(int imageWidth, int imageHeight) {
        if (region.equals("full")) {
            return new int[] {0, 0, imageWidth, imageHeight};
        }
        if (region.equals("square")) {
            int side = Math.min(imageWidth, imageHeight);
            return new int[] {(imageWidth - side) / 2, (imageHeight - side) / 2, side, side};
        }
        long x;
        long y;
        long w;
        long h;
        Matcher pixels = PIXELS.matcher(region);
        if (pixels.matches()) {
            x = digits(pixels.group(1));
            y = digits(pixels.group(2));
            w = digits(pixels.group(3));
            h = digits(pixels.group(4));
        } else {
            Matcher pct = PERCENT.matcher(region);
            pct.matches();
            double px = Double.parseDouble(pct.group(1));
            double py = Double.parseDouble(pct.group(2));
            double pw = Double.parseDouble(pct.group(3));
            double ph = Double.parseDouble(pct.group(4));
            if (px >= 100 || py >= 100) {
                throw IiifFailure.badRequest("region starts outside the image: " + region);
            }
            x = Math.round(px * imageWidth / 100);
            y = Math.round(py * imageHeight / 100);
            w = Math.round(Math.min(pw, 100) * imageWidth / 100);
            h = Math.round(Math.min(ph, 100) * imageHeight / 100);
            if (pw > 0 && ph > 0) {   // a sliver narrower than a pixel still has one
                w = Math.max(w, 1);
                h = Math.max(h, 1);
            }
        }
        if (w <= 0 || h <= 0) {
            throw IiifFailure.badRequest("region has no width or height: " + region);
        }
        if (x >= imageWidth || y >= imageHeight) {
            throw IiifFailure.badRequest("region lies outside the " + imageWidth + "x" + imageHeight + " image: " + region);
        }
        return new int[] {(int) x, (int) y, (int) Math.min(w, imageWidth - x), (int) Math.min(h, imageHeight - y)};
    }

    /** Digits as a long, saturated: any value beyond the image is cropped or refused the same way. */
    private static long digits(String digits) {
        String significant = withoutLeadingZeros(digits);
        return significant.length() > 12 ? Long.MAX_VALUE / 4 : Long.parseLong(significant);
    }

    /** The digits without their leading zeros ("0" for zero), so that padding never reads as a huge number. */
    private static String withoutLeadingZeros(String digits) {
        int first = 0;
        while (first < digits.length() - 1 && digits.charAt(first) == '0') {
            first++;
        }
        return digits.substring(first);
    }

    /** {width, height} of the output before rotation. */
    private long[] outputSize(int rw, int rh, Limits limits) {
        if (size.max) {
            double largest = limits.largestScale(rw, rh);
            double scale = size.upscale ? largest : Math.min(1, largest);
            if (scale >= 1 && !size.upscale) {
                return new long[] {rw, rh};
            }
            return new long[] {Math.max(1, (long) Math.floor(rw * scale)), Math.max(1, (long) Math.floor(rh * scale))};
        }
        if (size.percent > 0) {
            return new long[] {Math.max(1, Math.round(rw * size.percent / 100)), Math.max(1, Math.round(rh * size.percent / 100))};
        }
        if (size.fit) {
            double scale = Math.min((double) size.width / rw, (double) size.height / rh);
            long w = Math.max(1, Math.min(size.width, Math.round(rw * scale)));
            long h = Math.max(1, Math.min(size.height, Math.round(rh * scale)));
            return new long[] {w, h};
        }
        if (size.width > 0 && size.height > 0) {
            return new long[] {size.width, size.height};
        }
        if (size.width > 0) {
            return new long[] {size.width, Math.max(1, Math.round((double) rh * size.width / rw))};
        }
        return new long[] {Math.max(1, Math.round((double) rw * size.height / rh)), size.height};
    }
}
