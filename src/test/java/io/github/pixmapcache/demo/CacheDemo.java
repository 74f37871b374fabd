package io.github.pixmapcache.demo;

import io.github.pixmapcache.CacheStats;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;

/**
 * The pixmap-cache demo: serves a Zipf-distributed stream of procedurally rendered map tiles from
 * a cache whose byte budget is smaller than the working set, prints what the cache did and what
 * it cost the Java heap, then shows a use after close being refused.
 *
 * <p>Run it with {@code ./mvnw -q test-compile exec:exec}, or with options:
 * {@code ./mvnw -q test-compile exec:exec -Dexec.args="--enable-native-access=ALL-UNNAMED
 * -classpath %classpath io.github.pixmapcache.demo.CacheDemo --threads 2"}; the options are in
 * {@link DemoOptions#USAGE}.
 */
public final class CacheDemo {
    /** The tile the use-after-close part leases; it shows a gradient, so its pixels vary. */
    private static final Tile PROBE = new Tile(0, 0, 0);
    private static final int PROBE_X = 128;
    private static final int PROBE_Y = 64;

    private CacheDemo() {}

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        if (List.of(args).contains("--help")) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        PixmapCache.Builder<String> builder = PixmapCache.<String>builder().maximumBytes(options.budgetBytes());
        try (PixmapCache<String> cache = builder.build()) {
            TileWorkload workload = new TileWorkload(cache);
            printSetup(options, workload);
            long heapBefore = heapUsedAfterGc();
            TileWorkload.Result result = workload.run(options.requests(), options.threads(), options.seed());
            printResults(result, cache.stats(), options, heapBefore, heapUsedAfterGc());
            showUseAfterClose(cache);
        }
    }

    private static void printSetup(DemoOptions options, TileWorkload workload) {
        print("pixmap-cache demo: %dx%d BGRA_8888_PRE map tiles, zoom 0-%d (%,d tiles), Zipf s=%.1f, seed %d",
                TileRenderer.TILE_SIZE, TileRenderer.TILE_SIZE, TileWorkload.MAX_ZOOM, workload.tileCount(),
                TileWorkload.ZIPF_EXPONENT, options.seed());
        print("  %,d requests on %d thread%s; working set %s = %.1fx the %s budget",
                options.requests(), options.threads(), options.threads() == 1 ? "" : "s",
                bytes(workload.workingSetBytes()),
                (double) workload.workingSetBytes() / options.budgetBytes(), bytes(options.budgetBytes()));
        print("");
    }

    private static void printResults(TileWorkload.Result result, CacheStats stats, DemoOptions options,
            long heapBefore, long heapAfter) {
        print("Results");
        print("  requests        %,13d  in %.2f s = %,.0f requests/s", result.requests(),
                result.elapsedNanos() / 1e9, result.requestsPerSecond());
        print("  hits            %,13d", stats.hits());
        print("  misses          %,13d  (callers that waited on another thread's load count too)",
                stats.misses());
        print("  hit rate        %13.1f %%", stats.hitRate() * 100);
        print("  loads           %,13d  tiles rendered straight into cache memory", result.loads());
        print("  evictions       %,13d", stats.evictions());
        print("  entries         %,13d", stats.entries());
        print("  native bytes    %13s  cached pixels, off-heap (budget %s)",
                bytes(stats.usedBytes()), bytes(options.budgetBytes()));
        print("  heap used       %13s  after GC (%s before the run): the GC holds no pixels",
                bytes(heapAfter), bytes(heapBefore));
        print("  rendered        %13s  of pixels over the run, none of them on the heap",
                bytes(result.loads() * TileRenderer.TILE_BYTES));
        print("  pixels checked  %,13d  read back through leases, %,d wrong", result.pixelsChecked(),
                result.mismatches());
        print("");
    }

    /**
     * Keeps a leased pixmap and a ByteBuffer over its pixels past the lease's close, and shows
     * that reading through either is refused, as is the cache itself once closed.
     */
    private static void showUseAfterClose(PixmapCache<String> cache) {
        print("Use after close");
        TileRenderer renderer = new TileRenderer();
        PixmapLease lease = cache.computeIfAbsent(PROBE.key(),
                (key, allocator) -> renderer.render(PROBE, allocator));
        Pixmap pixmap = lease.pixmap();
        // Opaque BGRA bytes read as a little-endian int are 0xAARRGGBB, the same as getArgb.
        ByteBuffer pixels = pixmap.segment().asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int offset = (int) (PROBE_Y * pixmap.stride()) + PROBE_X * pixmap.format().bytesPerPixel();
        String pixelRead = "pixmap.getArgb(%d, %d)".formatted(PROBE_X, PROBE_Y);
        String bufferRead = "byteBuffer.getInt(%d)".formatted(offset);
        print("  lease on \"%s\" open: %s = 0x%08X, %s = 0x%08X", PROBE.key(),
                pixelRead, pixmap.getArgb(PROBE_X, PROBE_Y), bufferRead, pixels.getInt(offset));
        lease.close();
        print("  lease closed, its pixmap and buffer kept:");
        attempt(pixelRead, () -> pixmap.getArgb(PROBE_X, PROBE_Y));
        attempt(bufferRead, () -> pixels.getInt(offset));
        attempt("lease.pixmap()", lease::pixmap);
        cache.close();
        print("  cache closed:");
        attempt("cache.find(\"" + PROBE.key() + "\")", () -> cache.find(PROBE.key()));
    }

    private static void attempt(String access, Runnable read) {
        try {
            read.run();
            print("    %-24s -> succeeded: NOT refused", access);
        } catch (IllegalStateException refused) {
            print("    %-24s -> IllegalStateException: %s", access, refused.getMessage());
        }
    }

    private static long heapUsedAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        runtime.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** Bytes in MiB, or in GiB from 1 GiB up. */
    private static String bytes(long bytes) {
        return bytes < 1L << 30
                ? String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20))
                : String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1 << 30));
    }

    private static void print(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
