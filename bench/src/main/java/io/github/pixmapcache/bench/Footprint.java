package io.github.pixmapcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.ref.Reference;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a cached entry costs beyond its pixels: caches {@value #ENTRIES} 1x1 pixmaps (4 bytes of
 * pixels each) and prints, as {@code key=value} lines, the growth of the heap (used bytes after
 * full collections) and of the process's resident memory, per entry. Keys are made before the
 * first measurement: they are the caller's, not the cache's.
 *
 * <pre>java -Xms3g -Xmx3g -XX:+AlwaysPreTouch -cp benchmarks.jar io.github.pixmapcache.bench.Footprint named|anonymous|caffeine</pre>
 *
 * <p>With the heap fixed and pre-touched, the resident memory grows only by native memory: the
 * pixel blocks with the C allocator's headers and alignment, and our key table.
 * {@code anonymous} counts the {@code PixmapCache.Key} objects the cache hands out (the caller
 * must keep them), not the array the harness keeps them in.
 */
public final class Footprint {
    static final int ENTRIES = 1_000_000;
    static final int PIXEL_BYTES = 4;

    private Footprint() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Footprint named|anonymous|caffeine");
        }
        String mode = args[0];
        String[] names = new String[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            names[i] = "icons/" + i;
        }
        PixmapCache.Key[] keys = new PixmapCache.Key[ENTRIES];
        try (Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixmap.allocate(arena, 1, 1, PixelFormat.BGRA_8888_PRE);
            pixmap.fill(0xFF112233);
            long heapBefore = heapUsedAfterGc();
            long residentBefore = residentBytes();
            Object structure = switch (mode) {
                case "named" -> fillNamed(names, pixmap);
                case "anonymous" -> fillAnonymous(keys, pixmap);
                case "caffeine" -> fillCaffeine(names, pixmap);
                default -> throw new IllegalArgumentException("no mode " + mode + ": named, anonymous or caffeine");
            };
            long heapAfter = heapUsedAfterGc();
            long residentAfter = residentBytes();
            long heapPerEntry = (heapAfter - heapBefore) / ENTRIES;
            long nativePerEntry = (residentAfter - residentBefore) / ENTRIES;
            boolean onHeap = mode.equals("caffeine");
            System.out.println("mode=" + mode);
            System.out.println("entries=" + ENTRIES);
            System.out.println("pixelBytesPerEntry=" + PIXEL_BYTES);
            System.out.println("heapBytesPerEntry=" + heapPerEntry);
            System.out.println("residentBytesPerEntry=" + nativePerEntry);
            System.out.println("heapBytesPerEntryBeyondPixels=" + (heapPerEntry - (onHeap ? PIXEL_BYTES : 0)));
            System.out.println("nativeBytesPerEntryBeyondPixels=" + (onHeap ? 0 : nativePerEntry - PIXEL_BYTES));
            // Nothing measured may be collected before the second measurement.
            Reference.reachabilityFence(structure);
            Reference.reachabilityFence(names);
            Reference.reachabilityFence(keys);
        }
    }

    private static PixmapCache<String> fillNamed(String[] names, Pixmap pixmap) {
        PixmapCache<String> cache = Peers.ours(1L << 30);
        for (String name : names) {
            cache.insert(name, pixmap);
        }
        requireAll(cache.size());
        return cache;
    }

    private static PixmapCache<String> fillAnonymous(PixmapCache.Key[] keys, Pixmap pixmap) {
        PixmapCache<String> cache = Peers.ours(1L << 30);
        for (int i = 0; i < keys.length; i++) {
            keys[i] = cache.insert(pixmap);
        }
        requireAll(cache.size());
        return cache;
    }

    private static Cache<String, byte[]> fillCaffeine(String[] names, Pixmap pixmap) {
        Cache<String, byte[]> cache = Peers.caffeine(1L << 30);
        for (String name : names) {
            cache.put(name, Dataset.bytesOf(pixmap));
        }
        cache.cleanUp();
        requireAll(cache.estimatedSize());
        return cache;
    }

    private static void requireAll(long size) {
        if (size != ENTRIES) {
            throw new IllegalStateException("the structure holds " + size + " entries, not " + ENTRIES);
        }
    }

    private static long heapUsedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** VmRSS of this process, from /proc/self/status (Linux). */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
