package io.github.pixmapcache.bench;

import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.imageio.PixmapIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * The CPU time of one PNG encode, {@link PixmapIO#writePng} against {@code ImageIO.write} (with the
 * conversion of {@link PngEncodeBenchmark#toBufferedImage}): the thread's own CPU time, so that
 * other processes on a shared machine count far less than in wall-clock throughput. Alternates the
 * two encoders operation by operation after a warm-up, and prints the median and the 90th
 * percentile of each, and the output sizes. Arguments: {@code [level] [operations]}.
 */
public final class PngCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PngCpuTime() {}

    public static void main(String[] args) throws IOException {
        int level = args.length > 0 ? Integer.parseInt(args[0]) : PixmapIO.DEFAULT_PNG_COMPRESSION;
        int operations = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        System.out.println("| content | side | ImageIO.write CPU µs (median / p90) | writePng level " + level
                + " CPU µs (median / p90) | speed-up (medians) | ImageIO bytes | writePng bytes |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (PngImages content : PngImages.values()) {
            try (Arena arena = Arena.ofConfined()) {
                Pixmap metatile = content.draw(arena);
                for (int side : new int[] {256, 2048}) {
                    int x = side == PngImages.METATILE ? 0 : 768;
                    int y = side == PngImages.METATILE ? 0 : 1024;
                    int runs = side == 256 ? operations : Math.max(5, operations / 40);
                    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
                    long[] imageIo = new long[runs];
                    long[] ours = new long[runs];
                    int imageIoBytes = 0;
                    int ourBytes = 0;
                    for (int run = -runs / 2; run < runs; run++) {  // the first half-round warms up
                        out.reset();
                        long start = THREADS.getCurrentThreadCpuTime();
                        ImageIO.write(PngEncodeBenchmark.toBufferedImage(metatile, x, y, side), "png", out);
                        long middle = THREADS.getCurrentThreadCpuTime();
                        imageIoBytes = out.size();
                        out.reset();
                        long again = THREADS.getCurrentThreadCpuTime();
                        PixmapIO.writePng(metatile, x, y, side, side, out, level);
                        long end = THREADS.getCurrentThreadCpuTime();
                        ourBytes = out.size();
                        if (run >= 0) {
                            imageIo[run] = middle - start;
                            ours[run] = end - again;
                        }
                    }
                    Arrays.sort(imageIo);
                    Arrays.sort(ours);
                    System.out.printf("| %s | %d | %s | %s | %.2fx | %d | %d |%n", content, side, quantiles(imageIo),
                            quantiles(ours), (double) imageIo[runs / 2] / ours[runs / 2], imageIoBytes, ourBytes);
                }
            }
        }
    }

    private static String quantiles(long[] sorted) {
        return String.format("%.0f / %.0f", sorted[sorted.length / 2] / 1e3, sorted[sorted.length * 9 / 10] / 1e3);
    }
}
