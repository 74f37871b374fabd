package io.github.pixmapcache.demo;

import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * Serves Zipf-distributed tile requests from a {@link PixmapCache} on several threads. Each
 * request is one {@code computeIfAbsent} (rendering the tile on a miss, straight into the cache's
 * memory), a few pixel reads checked against the renderer, and the lease closed.
 */
final class TileWorkload {
    /** Zoom levels 0 to 5: 1365 tiles. */
    static final int MAX_ZOOM = 5;
    /** The skew of tile popularity. */
    static final double ZIPF_EXPONENT = 1.0;
    private static final int PIXELS_CHECKED_PER_REQUEST = 3;

    private final PixmapCache<String> cache;
    private final TileRenderer renderer = new TileRenderer();
    private final List<Tile> tiles = Tile.pyramid(MAX_ZOOM);
    private final List<String> keys = tiles.stream().map(Tile::key).toList();
    private final ZipfSampler popularity = new ZipfSampler(tiles.size(), ZIPF_EXPONENT);
    private final LongAdder loads = new LongAdder();

    TileWorkload(PixmapCache<String> cache) {
        this.cache = cache;
    }

    /**
     * What a run did.
     *
     * @param requests requests served
     * @param loads tiles rendered by the cache's loader
     * @param pixelsChecked pixels read back through leases
     * @param mismatches pixels read back that differ from what the renderer draws there
     * @param elapsedNanos wall-clock time of the run
     */
    record Result(long requests, long loads, long pixelsChecked, long mismatches, long elapsedNanos) {
        double requestsPerSecond() {
            return requests * 1e9 / elapsedNanos;
        }
    }

    /** The number of distinct tiles a request may name. */
    int tileCount() {
        return tiles.size();
    }

    /** The bytes all tiles would take if cached together. */
    long workingSetBytes() {
        return tiles.size() * TileRenderer.TILE_BYTES;
    }

    /**
     * Serves {@code requests} requests on {@code threads} threads; thread {@code t} draws its
     * requests from a generator seeded with {@code seed + t}.
     */
    Result run(int requests, int threads, long seed) throws InterruptedException, ExecutionException {
        List<Callable<Checks>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int share = requests / threads + (t < requests % threads ? 1 : 0);
            SplittableRandom random = new SplittableRandom(seed + t);
            workers.add(() -> serve(share, random));
        }
        long loadsBefore = loads.sum();
        long start = System.nanoTime();
        List<Future<Checks>> done;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            done = pool.invokeAll(workers);
        }
        long elapsed = System.nanoTime() - start;
        Checks total = new Checks(0, 0);
        for (Future<Checks> worker : done) {
            total = total.plus(worker.get());
        }
        return new Result(requests, loads.sum() - loadsBefore, total.pixels, total.mismatches, elapsed);
    }

    /** Pixels read back, and how many of them were wrong. */
    private record Checks(long pixels, long mismatches) {
        Checks plus(Checks other) {
            return new Checks(pixels + other.pixels, mismatches + other.mismatches);
        }
    }

    private Checks serve(int requests, SplittableRandom random) {
        long mismatches = 0;
        for (int i = 0; i < requests; i++) {
            int rank = popularity.next(random);
            Tile tile = tiles.get(rank);
            try (PixmapLease lease = cache.computeIfAbsent(keys.get(rank), (key, allocator) -> {
                loads.increment();
                return renderer.render(tile, allocator);
            })) {
                Pixmap pixmap = lease.pixmap();
                for (int p = 0; p < PIXELS_CHECKED_PER_REQUEST; p++) {
                    int x = random.nextInt(pixmap.width());
                    int y = random.nextInt(pixmap.height());
                    if (pixmap.getArgb(x, y) != renderer.argbAt(tile, x, y)) {
                        mismatches++;
                    }
                }
            }
        }
        return new Checks((long) requests * PIXELS_CHECKED_PER_REQUEST, mismatches);
    }
}
