package io.github.pixmapcache.bench;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.imageio.PixmapIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * The Java heap a decode of an 8000x6000 JPEG needs: {@code PixmapIO.read} into native memory
 * against {@code ImageIO.read}. Prints the bytes the decoding thread allocated
 * ({@code com.sun.management.ThreadMXBean}), and the peak of used heap during the decode above the
 * heap used before it (the heap pools' peaks, reset after a GC just before the decode; an upper
 * bound, since each pool's peak is summed). Run it under a small {@code -Xmx} to see which decode
 * fits at all. Arguments: {@code pixmapio|imageio [file]}; the JPEG is written first (by
 * {@code PixmapIO.writeJpeg}, from native memory) if the file does not exist.
 */
public final class DecodeHeapPeak {
    private static final int WIDTH = 8000;
    private static final int HEIGHT = 6000;

    private DecodeHeapPeak() {}

    public static void main(String[] args) throws IOException {
        String decoder = args.length > 0 ? args[0] : "pixmapio";
        Path file = Path.of(args.length > 1 ? args[1] : "target/photo-8000x6000.jpg");
        if (!Files.exists(file)) {
            writePhoto(file);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Arena arena = Arena.ofConfined()) {
            System.gc();
            long before = heapUsed();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            String result;
            try {
                if (decoder.equals("imageio")) {
                    BufferedImage image = ImageIO.read(file.toFile());
                    result = image.getWidth() + "x" + image.getHeight() + " BufferedImage type " + image.getType();
                } else {
                    Pixmap pixmap = PixmapIO.read(file, (w, h, f) -> Pixmap.allocate(arena, w, h, f));
                    result = pixmap.toString();
                }
            } catch (OutOfMemoryError e) {
                result = "OutOfMemoryError: " + e.getMessage();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
            long peak = heapPeak();
            System.out.printf("%s, -Xmx %d MiB: %s in %d ms; heap allocated by the decode %.1f MiB;"
                            + " heap peak above the %.1f MiB before %.1f MiB%n", decoder,
                    Runtime.getRuntime().maxMemory() >> 20, result, millis, allocated / 1048576.0,
                    before / 1048576.0, Math.max(0, peak - before) / 1048576.0);
        }
    }

    /** An 8000x6000 photograph-like JPEG, drawn in native memory and encoded from there. */
    private static void writePhoto(Path file) throws IOException {
        try (Arena arena = Arena.ofConfined(); OutputStream out = Files.newOutputStream(file)) {
            Pixmap photo = Pixmap.allocate(arena, WIDTH, HEIGHT, PixelFormat.BGRA_8888_PRE);
            MemorySegment pixels = photo.segment();
            SplittableRandom random = new SplittableRandom(1);
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    int r = (x * 255 / WIDTH + random.nextInt(12)) & 0xFF;
                    int g = (y * 255 / HEIGHT + random.nextInt(12)) & 0xFF;
                    int b = ((x + y) / 55 + random.nextInt(12)) & 0xFF;
                    pixels.setAtIndex(ValueLayout.JAVA_INT, (long) y * WIDTH + x, 0xFF000000 | r << 16 | g << 8 | b);
                }
            }
            PixmapIO.writeJpeg(photo, out, 0.9f);
        }
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }

    private static long heapPeak() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
