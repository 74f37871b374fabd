package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * Makes the output of a {@link ImageRequest.Plan} from rows of a level: a separable resampling
 * ({@link Axis}: area averaging down, linear up), then the quality, the mirroring and the turn,
 * written into an output pixmap in native memory. Only a few rows live on the heap at a time.
 */
final class Resampler {
    private Resampler() {
    }

    /**
     * @param rows      the level's rows
     * @param levelScale level pixels per source pixel (1 / 2^level)
     * @param levelOffset added to every level coordinate ({@link Pyramid#offset})
     * @param levelWidth the level's width
     * @param levelHeight the level's height
     */
    static Pixmap render(RowSource rows, double levelScale, double levelOffset, int levelWidth, int levelHeight, ImageRequest.Plan plan,
                         Arena arena) {
        Axis horizontal = Axis.of(plan.x() * levelScale + levelOffset, plan.regionWidth() * levelScale, plan.width(), levelWidth);
        Axis vertical = Axis.of(plan.y() * levelScale + levelOffset, plan.regionHeight() * levelScale, plan.height(), levelHeight);
        Pixmap out = Pixmap.allocate(arena, plan.outputWidth(), plan.outputHeight(), PixelFormat.BGRA_8888_PRE);
        int left = horizontal.lowest();
        int[] line = new int[horizontal.highest() - left];
        Map<Integer, float[]> filtered = new HashMap<>();
        float[] sum = new float[4 * plan.width()];
        MemorySegment target = out.segment();
        for (int oy = 0; oy < plan.height(); oy++) {
            java.util.Arrays.fill(sum, 0);
            int top = vertical.first[oy];
            filtered.keySet().removeIf(y -> y < top);
            for (int t = 0; t < vertical.count[oy]; t++) {
                int y = top + t;
                float w = vertical.weights[oy * vertical.stride + t];
                float[] row = filtered.computeIfAbsent(y, key -> filterRow(rows, key, left, line, horizontal));
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += w * row[i];
                }
            }
            for (int ox = 0; ox < plan.width(); ox++) {
                int pixel = plan.quality() == Quality.DEFAULT || plan.quality() == Quality.COLOR
                        ? pack(sum, ox) : qualityOf(pack(sum, ox), plan.quality());
                target.set(RowSource.PIXEL, offset(out, plan, ox, oy), pixel);
            }
        }
        return out;
    }

    /** One source row filtered horizontally: A, R, G, B floats (premultiplied) per output column. */
    private static float[] filterRow(RowSource rows, int y, int left, int[] line, Axis horizontal) {
        rows.row(y, left, line);
        int n = horizontal.first.length;
        float[] out = new float[4 * n];
        for (int i = 0; i < n; i++) {
            float a = 0;
            float r = 0;
            float g = 0;
            float b = 0;
            int base = horizontal.first[i] - left;
            for (int t = 0; t < horizontal.count[i]; t++) {
                float w = horizontal.weights[i * horizontal.stride + t];
                int p = line[base + t];
                a += w * (p >>> 24);
                r += w * (p >> 16 & 0xFF);
                g += w * (p >> 8 & 0xFF);
                b += w * (p & 0xFF);
            }
            out[4 * i] = a;
            out[4 * i + 1] = r;
            out[4 * i + 2] = g;
            out[4 * i + 3] = b;
        }
        return out;
    }

    private static int pack(float[] sum, int x) {
        int a = clamp(sum[4 * x]);
        return a << 24 | Math.min(a, clamp(sum[4 * x + 1])) << 16 | Math.min(a, clamp(sum[4 * x + 2])) << 8
                | Math.min(a, clamp(sum[4 * x + 3]));
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    /** A premultiplied pixel in gray or bitonal: the quality applied to its straight colour, premultiplied again. */
    private static int qualityOf(int premultiplied, Quality quality) {
        int a = premultiplied >>> 24;
        if (a == 0) {
            return 0;
        }
        int straight = a == 255 ? premultiplied : unpremultiply(premultiplied, a);
        return premultiply(a << 24 | quality.apply(straight & 0xFFFFFF));
    }

    private static int premultiply(int argb) {
        int a = argb >>> 24;
        int r = ((argb >> 16) & 0xFF) * a / 255;
        int g = ((argb >> 8) & 0xFF) * a / 255;
        int b = (argb & 0xFF) * a / 255;
        return a << 24 | r << 16 | g << 8 | b;
    }

    private static int unpremultiply(int p, int a) {
        int r = Math.min(255, ((p >> 16 & 0xFF) * 255 + a / 2) / a);
        int g = Math.min(255, ((p >> 8 & 0xFF) * 255 + a / 2) / a);
        int b = Math.min(255, ((p & 0xFF) * 255 + a / 2) / a);
        return r << 16 | g << 8 | b;
    }

    /** Where output pixel (x, y) of the unturned image lands: mirrored first, then turned clockwise. */
    private static long offset(Pixmap out, ImageRequest.Plan plan, int x, int y) {
        int w = plan.width();
        int h = plan.height();
        int mx = plan.mirror() ? w - 1 - x : x;
        int tx;
        int ty;
        switch (plan.quarterTurns()) {
            case 1 -> {
                tx = h - 1 - y;
                ty = mx;
            }
            case 2 -> {
                tx = w - 1 - mx;
                ty = h - 1 - y;
            }
            case 3 -> {
                tx = y;
                ty = w - 1 - mx;
            }
            default -> {
                tx = mx;
                ty = y;
            }
        }
        return ty * out.stride() + 4L * tx;
    }
}
