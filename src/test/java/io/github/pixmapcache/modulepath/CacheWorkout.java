package io.github.pixmapcache.modulepath;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

/**
 * A short program that uses the library as an application does, through its public API only, for
 * the tests that start it in a new JVM with the library as a named module ({@code ModulePathRun}):
 * inserts that evict, finds, loads that render into cache memory, and a run of {@code seconds}
 * (default 2) so that a periodic event of one second fires at least once.
 */
public final class CacheWorkout {
    private static final int SIDE = 64;
    private static final int SLOTS = 8;  // the budget in pixmaps; 32 inserted keys keep evicting

    private CacheWorkout() {}

    public static void main(String[] args) {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 2;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String summary;
        try (PixmapCache<String> cache = PixmapCache.<String>builder()
                        .maximumBytes((long) SIDE * SIDE * 4 * SLOTS).build();
                Arena arena = Arena.ofConfined()) {
            Pixmap source = Pixmap.allocate(arena, SIDE, SIDE, PixelFormat.BGRA_8888_PRE);
            long checksum = 0;
            // at least 64 rounds, so that the cache evicts even when a loaded machine spends the seconds elsewhere
            for (int i = 0; i < 64 || System.nanoTime() < end; i++) {
                source.fill(0xFF000000 | i);
                cache.insert("tile-" + (i % 32), source);
                try (PixmapLease lease = cache.computeIfAbsent("load-" + (i % 16), (key, pixels) -> {
                    Pixmap rendered = pixels.allocate(SIDE, SIDE, PixelFormat.BGRA_8888_PRE);
                    rendered.fill(0xFF000000 | key.hashCode());
                    return rendered;
                })) {
                    checksum += lease.pixmap().getArgb(0, 0);
                }
            }
            summary = cache.stats() + ", checksum " + checksum;
        }
        System.out.println("cache closed: " + summary);
    }
}
