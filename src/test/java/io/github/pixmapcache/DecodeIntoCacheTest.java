package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.imageio.PixmapIO;
import io.github.pixmapcache.imageio.ReadOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PixmapIO#decoding} inside {@link PixmapCache#computeIfAbsent}: a file decoded once for 16
 * threads, straight into the cache's memory; a file that fails caches nothing and leaks nothing,
 * and every waiter gets the failure.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)  // a guard against hangs only
class DecodeIntoCacheTest {
    private static final int THREADS = 16;

    private final TestAllocator allocator = new TestAllocator();
    private final PixmapCache<Path> cache = allocator.<Path>builder().maximumBytes(64L << 20).build();
    private final AtomicInteger decodes = new AtomicInteger();

    @TempDir
    Path directory;

    @AfterEach
    void closeAndCheckNothingLeaked() {
        cache.close();
        assertEquals(0, allocator.liveBytes(), "native bytes leaked");
    }

    @Test
    void sixteenThreadsMissingTogetherDecodeTheFileOnce() throws Exception {
        Path file = directory.resolve("photo.png");
        try (Arena arena = Arena.ofShared()) {  // the callers compare against it from their threads
            Pixmap original = Pixmap.allocate(arena, 640, 480, PixelFormat.BGRA_8888_PRE);
            original.fill(0x80336699);
            original.setArgb(639, 479, 0xFF00FF00);
            try (OutputStream out = Files.newOutputStream(file)) {
                PixmapIO.writePng(original, out);
            }
            List<Future<Boolean>> results = callTogether(() -> {
                try (PixmapLease lease = cache.computeIfAbsent(file, countedDecoding())) {
                    return lease.pixmap().contentEquals(original);
                }
            });
            for (Future<Boolean> result : results) {
                assertTrue(result.get(), "every caller sees the decoded pixels");
            }
        }
        assertEquals(1, decodes.get(), "decodes of one file for " + THREADS + " concurrent misses");
        assertEquals(1, cache.size());
        assertEquals(640 * 480 * 4, cache.usedBytes());
        assertEquals(1, cache.stats().insertions());
    }

    /** Bad files of each kind: the caller and every waiter get the IOException, nothing is cached or kept. */
    @Test
    void failedDecodesCacheNothingLeakNothingAndReachEveryWaiter() throws Exception {
        Path bomb = write("bomb.png", pngHeaderOnly(100_000, 100_000));       // refused before allocating
        Path rowsMissing = write("rows-missing.png", pngHeaderOnly(2000, 1500)); // fails after allocating 12 MB
        Path text = write("notes.png", "not an image".getBytes());
        for (Path file : List.of(bomb, rowsMissing, text)) {
            decodes.set(0);
            long liveBefore = allocator.liveBytes();

            List<Future<Boolean>> results = callTogether(() -> {
                try (PixmapLease lease = cache.computeIfAbsent(file, countedDecoding())) {
                    return lease != null;
                }
            });

            for (Future<Boolean> result : results) {
                Throwable thrown = assertThrows(Exception.class, result::get).getCause();
                assertInstanceOf(UncheckedIOException.class, thrown, file.toString());
                assertTrue(thrown.getCause().getMessage().contains(file.toString()), thrown.getCause().getMessage());
            }
            assertTrue(decodes.get() >= 1 && decodes.get() <= THREADS, decodes.get() + " decodes");
            assertEquals(0, cache.size(), file + ": nothing cached");
            assertEquals(liveBefore, allocator.liveBytes(), file + ": the failed loads' memory is freed");
            try (PixmapLease miss = cache.find(file)) {
                assertEquals(null, miss);
            }
        }
        assertEquals(0, cache.stats().insertions());
    }

    @Test
    void thumbnailsAreDecodedSubsampledIntoTheCache() throws IOException {
        Path file = directory.resolve("large.jpg");
        try (Arena arena = Arena.ofConfined(); OutputStream out = Files.newOutputStream(file)) {
            Pixmap photo = Pixmap.allocate(arena, 1600, 1200, PixelFormat.RGBA_8888);
            photo.fill(0xFF808080);
            PixmapIO.writeJpeg(photo, out, 0.9f);
        }
        try (PixmapLease lease = cache.computeIfAbsent(file,
                PixmapIO.decoding(p -> p, ReadOptions.defaults().withSubsampling(8)))) {
            assertNotNull(lease);
            assertEquals(200, lease.pixmap().width());
            assertEquals(150, lease.pixmap().height());
            assertEquals(200 * 150 * 4, cache.usedBytes());
        }
    }

    // ------------------------------------------------------------------ helpers

    private PixmapLoader<Path> countedDecoding() {
        return PixmapIO.decoding(path -> {
            decodes.incrementAndGet();
            return path;
        });
    }

    /** Runs {@code task} on {@link #THREADS} threads released at once. */
    private static <T> List<Future<T>> callTogether(java.util.concurrent.Callable<T> task) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> results = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS), "callers finished");
        return results;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(directory.resolve(name), bytes);
    }

    /** A PNG signature and a valid IHDR for {@code width} x {@code height} RGBA, then the end: no pixel data. */
    private static byte[] pngHeaderOnly(int width, int height) {
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(8 + 25 + 12);
        file.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        byte[] ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0).array();
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr);
        file.putInt(13).put(ihdr).putInt((int) crc.getValue());
        byte[] iend = "IEND".getBytes();
        crc.reset();
        crc.update(iend);
        file.putInt(0).put(iend).putInt((int) crc.getValue());
        return Arrays.copyOf(file.array(), file.position());
    }
}
