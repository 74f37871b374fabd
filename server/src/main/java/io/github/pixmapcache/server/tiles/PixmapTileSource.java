package io.github.pixmapcache.server.tiles;

import io.github.pixmapcache.CacheStats;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import io.github.pixmapcache.PixmapLoader;
import io.github.pixmapcache.server.metrics.PixmapCacheMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The metatile tier in pixmap-cache's native memory, behind {@link EncodedTiles}: asked only for
 * tiles the encoded tier lacks. A miss renders the whole metatile once, in cache memory,
 * however many requests for its tiles arrive meanwhile ({@code computeIfAbsent}'s single flight);
 * each tile is then encoded from its region of the leased metatile, never copied out. With a
 * {@link FleetTiles} tier, a metatile missing here is first looked for in Redis (see there).
 */
public final class PixmapTileSource implements TileSource {
    private final PixmapCache<Metatile> cache;
    private final PixmapCacheMetrics<Metatile> metrics;
    private final PixmapLoader<Metatile> loader;
    private final TileEncoder encoder;
    private final int metatileSize;
    /** The shared Redis tier behind this cache, or null. */
    private final FleetTiles fleet;

    public PixmapTileSource(PixmapCache<Metatile> cache, MetatileLoader loader, TileEncoder encoder, int metatileSize) {
        this(cache, loader, encoder, metatileSize, null);
    }

    /** @param fleet the shared tier consulted on a miss, or null for none */
    public PixmapTileSource(PixmapCache<Metatile> cache, MetatileLoader loader, TileEncoder encoder, int metatileSize,
                            FleetTiles fleet) {
        this.fleet = fleet;
        this.cache = cache;
        this.metrics = new PixmapCacheMetrics<>(cache, "metatiles", Tags.empty());
        this.loader = metrics.recording(loader);
        this.encoder = encoder;
        this.metatileSize = metatileSize;
    }

    @Override
    public byte[] png(TileAddress tile, Runnable rendered) {
        Metatile metatile = Metatile.of(tile, metatileSize);
        boolean[] renderedHere = new boolean[1]; // set by the load, which runs on this thread if at all
        PixmapLoader<Metatile> loading = (key, allocator) -> {
            Pixmap pixmap = loader.load(key, allocator);
            renderedHere[0] = true;
            return pixmap;
        };
        byte[] png = fleet != null ? pngThroughFleet(tile, metatile, loading) : pngFromCache(tile, metatile, loading);
        if (renderedHere[0]) {
            rendered.run();
        }
        return png;
    }

    private byte[] pngFromCache(TileAddress tile, Metatile metatile, PixmapLoader<Metatile> loading) {
        try (PixmapLease lease = cache.computeIfAbsent(metatile, loading)) {
            return cut(lease.pixmap(), metatile, tile);
        }
    }

    @Override
    public byte[] pngIfCached(TileAddress tile) {
        return cutIfCached(Metatile.of(tile, metatileSize), tile);
    }

    /**
     * Here, else the fleet's stored tile, else render here (and publish to the fleet). Here is a
     * lease-free read, so that a miss asks Redis before it commits to a render; without a fleet,
     * {@code computeIfAbsent} alone serves hits and misses, each counted once.
     */
    private byte[] pngThroughFleet(TileAddress tile, Metatile metatile, PixmapLoader<Metatile> loading) {
        byte[] cached = cutIfCached(metatile, tile);
        if (cached != null) {
            return cached;
        }
        byte[] stored = fleet.stored(tile);
        if (stored != null) {
            return stored;
        }
        FleetTiles.Load load = fleet.load(metatile, loading);
        try (PixmapLease lease = cache.computeIfAbsent(metatile, load)) {
            return cut(lease.pixmap(), metatile, tile);
        } finally {
            load.finish(cache::find);
        }
    }

    /** The tile cut and encoded from its cached metatile, or null on a miss: a lease-free read, nothing to close. */
    private byte[] cutIfCached(Metatile metatile, TileAddress tile) {
        return cache.read(metatile, pixmap -> cut(pixmap, metatile, tile));
    }

    /** Every tile this tier makes: its 256x256 region of the metatile, encoded in place. */
    private byte[] cut(Pixmap pixmap, Metatile metatile, TileAddress tile) {
        return encoder.encode(pixmap, metatile.offsetX(tile), metatile.offsetY(tile));
    }

    /** The shared Redis tier, or null. */
    public FleetTiles fleet() {
        return fleet;
    }

    @Override
    public CacheNumbers numbers() {
        CacheStats stats = cache.stats();
        return new CacheNumbers(stats.hits(), stats.misses(), stats.evictions(), stats.entries(), stats.usedBytes(),
                cache.maximumBytes(), stats.leasedDetachedBytes(), stats.allocationFailures());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        metrics.bindTo(registry);
        if (fleet != null) {
            fleet.bindTo(registry);
        }
    }

    @Override
    public void close() {
        if (fleet != null) {
            fleet.close(); // first: its publisher leases metatiles from the cache
        }
        cache.close();
    }
}
