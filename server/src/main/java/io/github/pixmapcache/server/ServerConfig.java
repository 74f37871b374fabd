package io.github.pixmapcache.server;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.imageio.PixmapIO;
import io.github.pixmapcache.server.fleet.FleetConfig;
import io.github.pixmapcache.server.tiles.EncodedTiles;
import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.Picture;
import io.github.pixmapcache.server.tiles.Waves;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the tile server can be told, in one place. {@link ConfigParser} fills it from flags and
 * environment variables; a new setting is a component here and an {@link ConfigParser.Option} there.
 *
 * @param port             TCP port; 0 picks a free one (tests)
 * @param bind             address to listen on; loopback unless told otherwise
 * @param budgetBytes      the byte budget of decoded pixels, metatiles and IIIF strips together
 * @param policy           the pixmap cache's eviction policy
 * @param metatileSize     tiles per side of a metatile (rendered and cached as one pixmap)
 * @param renderThreads    threads that render metatiles
 * @param renderQueue      metatile renders admitted at once (running or waiting); more get 503
 * @param pngLevel         zlib level of the tiles' PNG, 0..9, or {@link PixmapIO#DEFAULT_PNG_COMPRESSION}: the encoder's own choice
 * @param cache            which cache holds the metatiles
 * @param threads          what runs Jetty's request handlers
 * @param shutdownTimeout  how long a stop waits for requests in flight
 * @param fleet            the shared Redis tier behind the pixmap cache, or null for none (the default)
 * @param tileBudgetBytes  budget of the encoded tier, the tiles' PNG bytes in front of the metatiles (0 keeps none)
 * @param picture          what the server draws
 * @param images           the folder the IIIF service serves, or null for the default folder (a rendered fractal)
 * @param iiifBudgetBytes  the part of {@code budgetBytes} that IIIF's decoded strips get; the metatiles get the rest
 * @param encoding         when the tiles of a rendered metatile are encoded: each on its first request, or all after the render
 */
public record ServerConfig(
        int port,
        String bind,
        long budgetBytes,
        EvictionPolicy policy,
        int metatileSize,
        int renderThreads,
        int renderQueue,
        int pngLevel,
        CacheKind cache,
        ThreadMode threads,
        Duration shutdownTimeout,
        FleetConfig fleet,
        long tileBudgetBytes,
        PictureKind picture,
        Path images,
        long iiifBudgetBytes,
        EncodedTiles.Encoding encoding) {

    /** Which cache holds rendered metatiles: the point of the load test is to compare them. */
    public enum CacheKind {
        /** pixmap-cache: metatiles in native memory, tiles encoded straight from it. */
        PIXMAP,
        /** Caffeine holding each metatile as an on-heap {@code int[]}: what a user would build instead. */
        CAFFEINE,
        /** No cache: every request renders its own tile. */
        NONE
    }

    /** What the server draws; the version names it in ETags and in every tier's keys. */
    public enum PictureKind {
        /** The Mandelbrot set, deeper zooms costing more: the default. */
        MANDELBROT(Mandelbrot.PICTURE, "mandelbrot-1"),
        /** Cheap colour bands with noise: renders in milliseconds, for load tests that must fill gigabytes. */
        WAVES(Waves.PICTURE, "waves-1");

        private final Picture picture;
        private final String version;

        PictureKind(Picture picture, String version) {
            this.picture = picture;
            this.version = version;
        }

        /** The renderer. */
        public Picture picture() {
            return picture;
        }

        /** Names the picture and its renderer: change it when the pixels of a tile change. */
        public String version() {
            return version;
        }
    }

    /** What runs Jetty's request handlers. */
    public enum ThreadMode {
        /** A virtual thread per request. */
        VIRTUAL,
        /** Jetty's bounded {@code QueuedThreadPool}. */
        POOL
    }

    /** The largest metatile side: 16x16 tiles of 256x256 BGRA pixels are 64 MiB. */
    public static final int MAX_METATILE_SIZE = 16;

    public ServerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(threads, "threads");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(picture, "picture");
        Objects.requireNonNull(encoding, "encoding");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535: " + port);
        }
        if (budgetBytes <= 0) {
            throw new IllegalArgumentException("budget must be positive: " + budgetBytes);
        }
        if (tileBudgetBytes < 0) {
            throw new IllegalArgumentException("tile budget must not be negative: " + tileBudgetBytes);
        }
        if (iiifBudgetBytes < 0 || iiifBudgetBytes > budgetBytes) {
            throw new IllegalArgumentException("the IIIF budget must be in 0.." + budgetBytes + " (the budget): " + iiifBudgetBytes);
        }
        if (metatileSize < 1 || metatileSize > MAX_METATILE_SIZE || Integer.bitCount(metatileSize) != 1) {
            throw new IllegalArgumentException(
                    "metatile size must be a power of two in 1.." + MAX_METATILE_SIZE + ": " + metatileSize);
        }
        if (renderThreads < 1) {
            throw new IllegalArgumentException("render threads must be at least 1: " + renderThreads);
        }
        if (renderQueue < 1) {
            throw new IllegalArgumentException("render queue must be at least 1: " + renderQueue);
        }
        if ((pngLevel < 0 || pngLevel > 9) && pngLevel != PixmapIO.DEFAULT_PNG_COMPRESSION) {
            throw new IllegalArgumentException("PNG level must be in 0..9 or automatic: " + pngLevel);
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdown timeout must not be negative: " + shutdownTimeout);
        }
        if (fleet != null && cache != CacheKind.PIXMAP) {
            throw new IllegalArgumentException("the Redis tier sits behind the pixmap cache, not behind cache "
                    + cache.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** The default tile budget, picture and images folder. */
    public ServerConfig(int port, String bind, long budgetBytes, EvictionPolicy policy, int metatileSize,
                        int renderThreads, int renderQueue, int pngLevel, CacheKind cache, ThreadMode threads,
                        Duration shutdownTimeout, FleetConfig fleet) {
        this(port, bind, budgetBytes, policy, metatileSize, renderThreads, renderQueue, pngLevel, cache, threads,
                shutdownTimeout, fleet, DEFAULT_TILE_BUDGET, PictureKind.MANDELBROT, null, budgetBytes / 2,
                EncodedTiles.Encoding.ON_REQUEST);
    }

    /** Without the fleet tier. */
    public ServerConfig(int port, String bind, long budgetBytes, EvictionPolicy policy, int metatileSize,
                        int renderThreads, int renderQueue, int pngLevel, CacheKind cache, ThreadMode threads,
                        Duration shutdownTimeout) {
        this(port, bind, budgetBytes, policy, metatileSize, renderThreads, renderQueue, pngLevel, cache, threads,
                shutdownTimeout, null);
    }

    /** {@return the part of the budget the metatiles get: what IIIF's strips leave} */
    public long metatileBudgetBytes() {
        return budgetBytes - iiifBudgetBytes;
    }

    /** The encoded tier's default budget: about 2,000 Mandelbrot tiles of 64 KB. */
    public static final long DEFAULT_TILE_BUDGET = 128L << 20;

    /** The defaults: loopback port 8080, 512 MiB of metatiles and IIIF strips (half each) and 128 MiB of tiles, 8x8 metatiles, a render thread per core, the PNG encoder's automatic level. */
    public static ServerConfig defaults() {
        int cores = Runtime.getRuntime().availableProcessors();
        return new ServerConfig(8080, "127.0.0.1", 512L << 20, EvictionPolicy.WINDOW_TINY_LFU, 8,
                cores, 4 * cores, PixmapIO.DEFAULT_PNG_COMPRESSION, CacheKind.PIXMAP, ThreadMode.VIRTUAL, Duration.ofSeconds(10));
    }
}
