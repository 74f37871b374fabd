package io.github.pixmapcache.imageio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pixmapcache.Pixmap;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes {@link PixmapIO#read} with every kind of file ImageIO reads here (the seed corpus in
 * {@code ImageReadFuzzTestInputs}: PNG, JPEG, GIF, BMP, TIFF, WBMP, real and hand-made), from a
 * file and from a stream. On every input: only an {@link IOException} naming the source and the
 * problem (an {@code OutOfMemoryError} or any unchecked exception is a finding), heap and CPU time
 * within bounds linear in the declared pixels, and no native byte live afterwards.
 *
 * <p>The pixel limit is lowered to 2^22 so that an input costs milliseconds, not seconds, and the
 * fuzzer explores instead of decoding the largest image it may declare; the code paths are those
 * of the default limit.
 */
class ImageReadFuzzTest {
    private static final ReadOptions OPTIONS = ReadOptions.defaults().withMaximumPixels(1 << 22);
    /**
     * Heap one decode may allocate, whatever the file: a band of 2^22 pixels in the reader's type
     * (at most 8 bytes a pixel), a TIFF row of strips or tiles ({@code TiffLimits}: 64 MiB decoded,
     * twice that compressed), and the stream's copy of the input, with room for the readers' own.
     */
    private static final long HEAP_BOUND = (32L << 20) + 3 * (64L << 20) + (16L << 20);
    /** CPU a decode may take: a fixed part for the readers' setup plus a part per declared pixel. */
    private static final long CPU_FIXED_NANOS = 2_000_000_000L;
    private static final long CPU_NANOS_PER_PIXEL = 500;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final Path FILE = temporaryFile();

    @FuzzTest(maxDuration = "10m")
    void readFromPathAndStream(byte[] input) throws IOException {
        Files.write(FILE, input);
        check(input, FILE.toString(), arena -> PixmapIO.read(FILE, new ArenaAllocator(arena), OPTIONS));
        check(input, "the input stream ",
                arena -> PixmapIO.read(new ByteArrayInputStream(input), new ArenaAllocator(arena), OPTIONS));
    }

    private static void check(byte[] input, String source, Decode decode) {
        long heapBefore = THREADS.getCurrentThreadAllocatedBytes();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        long pixels = 0;
        Arena arena = Arena.ofConfined();
        try (arena) {
            Pixmap pixmap = decode.read(arena);
            pixels = (long) pixmap.width() * pixmap.height();
            assertTrue(pixels <= OPTIONS.maximumPixels(), pixmap.width() + "x" + pixmap.height());
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            assertTrue(message.startsWith(source) && message.indexOf(": ", source.length()) >= 0
                            && message.length() > message.indexOf(": ", source.length()) + 10,
                    "an IOException must name the source and the problem: " + e);
        }
        assertTrue(!arena.scope().isAlive(), "the pixmap's arena is closed");
        long heap = THREADS.getCurrentThreadAllocatedBytes() - heapBefore;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuBefore;
        assertTrue(heap <= HEAP_BOUND + 4L * input.length,
                source + ": " + heap + " bytes of heap for a " + input.length + "-byte input");
        long cpuBound = CPU_FIXED_NANOS + CPU_NANOS_PER_PIXEL * OPTIONS.maximumPixels();
        assertTrue(cpu <= cpuBound, source + ": " + cpu / 1_000_000 + " ms of CPU for " + pixels + " pixels");
    }

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("fuzz-image-", ".bin");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface Decode {
        Pixmap read(Arena arena) throws IOException;
    }
}
