package io.github.pixmapcache.server;

import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.server.encoded.EncodedTier;
import io.github.pixmapcache.server.encoded.HeapEncodedTier;
import io.github.pixmapcache.server.encoded.NativeEncodedTier;
import io.github.pixmapcache.server.http.PlainTextErrorHandler;
import io.github.pixmapcache.server.iiif.DerivativeStore;
import io.github.pixmapcache.server.iiif.IiifHandler;
import io.github.pixmapcache.server.iiif.IiifService;
import io.github.pixmapcache.server.http.TileHandler;
import io.github.pixmapcache.server.metrics.ServerMetrics;
import io.github.pixmapcache.server.tiles.CaffeineTileSource;
import io.github.pixmapcache.server.tiles.EncodedTiles;
import io.github.pixmapcache.server.tiles.FleetTiles;
import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.Metatile;
import io.github.pixmapcache.server.tiles.MetatileLoader;
import io.github.pixmapcache.server.tiles.Picture;
import io.github.pixmapcache.server.tiles.PixmapTileSource;
import io.github.pixmapcache.server.tiles.RenderPool;
import io.github.pixmapcache.server.tiles.TileAddress;
import io.github.pixmapcache.server.tiles.TileEncoder;
import io.github.pixmapcache.server.tiles.TileKey;
import io.github.pixmapcache.server.tiles.TileSource;
import io.github.pixmapcache.server.tiles.UncachedTileSource;
import java.net.URI;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The tile server: Jetty 12 in front of a {@link TileSource}. {@link #start} returns once it listens;
 * {@link #close} stops it gracefully: stop accepting, let requests in flight finish within the
 * configured timeout, then close the cache, the renderers and the meters, in that order.
 */
public final class TileServer implements AutoCloseable {
    /** Request headers beyond this many bytes get 431 (Jetty's default too; named here as a limit we test). */
    static final int MAX_REQUEST_HEADER_BYTES = 8192;
    /** The IIIF service's encoded derivatives get this fraction of the budget, on the heap, beside its decoded pixels. */
    private static final long IIIF_DERIVATIVE_SHARE = 8;
    /** Request threads of the bounded pool ({@code --threads pool}), and the most virtual threads at once. */
    private static final int MAX_REQUEST_THREADS = 200;

    /** The pieces a test may replace: the picture, and the pixmap cache's builder (to count native bytes). */
    public record Parts(Picture picture, UnaryOperator<PixmapCache.Builder<Metatile>> cacheBuilder) {
        public static Parts standard() {
            return new Parts(Mandelbrot.PICTURE, UnaryOperator.identity());
        }
    }

    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final RenderPool renderPool;
    private final TileSource tiles;
    private final IiifService iiif;
    private final Server jetty;
    private final ServerConnector connector;
    private URI uri;

    private TileServer(ServerConfig config, Parts parts) {
        this.config = config;
        this.metrics = new ServerMetrics();
        this.renderPool = new RenderPool(parts.picture(), config.renderThreads(), config.renderQueue());
        this.tiles = tileSource(config, parts);
        tiles.bindTo(metrics.registry());
        boolean decodeOnce = config.cache() != ServerConfig.CacheKind.NONE;
        EncodedTier<String> derivatives = new HeapEncodedTier<>("iiif-derivatives", config.budgetBytes() / IIIF_DERIVATIVE_SHARE);
        derivatives.bindTo(metrics.registry());
        this.iiif = IiifService.create(config.images(), decodeOnce, config.iiifBudgetBytes(),
                decodeOnce ? DerivativeStore.in(derivatives) : DerivativeStore.NONE);
        this.jetty = new Server(requestThreads(config.threads()));
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        http.setSendServerVersion(false);
        // IIIF writes a / inside an identifier as %2F, and IIIF clients send the upscaling ^ unescaped;
        // the IIIF handler decodes and checks each segment itself.
        http.setUriCompliance(UriCompliance.DEFAULT.with("iiif", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.ILLEGAL_PATH_CHARACTERS));
        this.connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(config.bind());
        connector.setPort(config.port());
        jetty.addConnector(connector);
        GracefulHandler graceful = new GracefulHandler();
        graceful.setHandler(new Handler.Sequence(new IiifHandler(iiif),
                new TileHandler(tiles, config.picture().version(), metrics, this::statsJson, this::healthText)));
        jetty.setHandler(graceful);
        jetty.setErrorHandler(new PlainTextErrorHandler());
        jetty.setStopTimeout(config.shutdownTimeout().toMillis());
        jetty.setStopAtShutdown(false);   // TileServerMain owns the signal handling
    }

    /** Starts a server with the config's picture and the standard cache. */
    public static TileServer start(ServerConfig config) {
        return start(config, new Parts(config.picture().picture(), UnaryOperator.identity()));
    }

    /** Starts a server with these parts; it listens when this returns. */
    public static TileServer start(ServerConfig config, Parts parts) {
        TileServer server = new TileServer(config, parts);
        try {
            server.jetty.start();
            String bind = config.bind();
            server.uri = URI.create("http://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":"
                    + server.connector.getLocalPort() + "/");
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("could not start the server on " + config.bind() + ":" + config.port(), e);
        }
        return server;
    }

    /** The metatile tier behind the encoded tier; without a cache, the renderer alone. */
    private TileSource tileSource(ServerConfig config, Parts parts) {
        // pixmap: the tiles' bytes in native memory too; caffeine: all on the heap, the alternative it measures
        EncodedTier<TileKey> tier = config.cache() == ServerConfig.CacheKind.PIXMAP
                ? new NativeEncodedTier<>("tiles", config.tileBudgetBytes())
                : new HeapEncodedTier<>("tiles", config.tileBudgetBytes());
        String version = config.picture().version();
        TileSource metatiles = metatileSource(config, parts, (tile, png) -> tier.putIfAbsent(new TileKey(version, tile), png));
        return config.cache() == ServerConfig.CacheKind.NONE ? metatiles
                : new EncodedTiles(tier, version, metatiles, config.metatileSize(), config.encoding());
    }

    /** @param encoded takes the tiles encoded apart from requests (the fleet's publisher) */
    private TileSource metatileSource(ServerConfig config, Parts parts, BiConsumer<TileAddress, byte[]> encoded) {
        TileEncoder encoder = new TileEncoder(config.pngLevel(), metrics.encodeTime());
        return switch (config.cache()) {
            case PIXMAP -> new PixmapTileSource(
                    parts.cacheBuilder().apply(PixmapCache.<Metatile>builder()
                            .maximumBytes(config.metatileBudgetBytes())
                            .evictionPolicy(config.policy())).build(),
                    new MetatileLoader(renderPool, metrics.renderTime()), encoder, config.metatileSize(),
                    config.fleet() == null ? null : FleetTiles.start(config.fleet(), config.picture().version(),
                            config.metatileSize(), new TileEncoder(config.pngLevel(), FleetTiles.publishEncodeTimer(metrics.registry())), encoded,
                            Math.max(1, config.renderThreads() / 2), FleetTiles.lookupTimer(metrics.registry())));
            case CAFFEINE -> new CaffeineTileSource(config.metatileBudgetBytes(), renderPool, metrics.renderTime(), encoder,
                    config.metatileSize());
            case NONE -> new UncachedTileSource(renderPool, metrics.renderTime(), encoder);
        };
    }

    private static ThreadPool requestThreads(ServerConfig.ThreadMode mode) {
        return switch (mode) {
            case VIRTUAL -> {
                VirtualThreadPool pool = new VirtualThreadPool(MAX_REQUEST_THREADS);
                pool.setName("request");
                yield pool;
            }
            case POOL -> {
                QueuedThreadPool pool = new QueuedThreadPool(MAX_REQUEST_THREADS);
                pool.setName("request");
                yield pool;
            }
        };
    }

    /** Where the server listens, e.g. {@code http://127.0.0.1:8080/}. */
    public URI uri() {
        return uri;
    }

    public ServerConfig config() {
        return config;
    }

    /** The encoded tier in front of the metatiles; null without a cache. */
    EncodedTier<TileKey> encodedTier() {
        return tiles instanceof EncodedTiles encoded ? encoded.encodedTier() : null;
    }

    /** Tiles encoded to PNG so far by requests (the fleet's background encodes for Redis are apart). */
    long encodes() {
        return metrics.encodeTime().count();
    }

    /** {@return the IIIF image service} */
    public IiifService iiif() {
        return iiif;
    }

    /** Blocks rendered so far (metatiles, or tiles without a cache). */
    public int renders() {
        return renderPool.renders();
    }

    String statsJson() {
        String json = StatsJson.of(config.cache().name().toLowerCase(Locale.ROOT), tiles.numbers(), renderPool.renders(),
                renderPool.admitted(), metrics.renderTime(), metrics.encodeTime());
        if (tiles instanceof EncodedTiles encoded) {
            json = json.substring(0, json.length() - 1) + ",\"tiles\":" + StatsJson.of(encoded.encodedNumbers())
                    + ",\"afterRenderSkipped\":" + encoded.afterRenderSkipped() + "}";
        }
        if (iiif.cache() != null) {
            json = json.substring(0, json.length() - 1) + ",\"iiif\":" + StatsJson.iiif(iiif.cache(), iiif.decodes(), iiif.stripLeases()) + "}";
        }
        FleetTiles fleet = fleet();
        return fleet == null ? json : json.substring(0, json.length() - 1) + ",\"fleet\":" + FleetStatsJson.of(fleet) + "}";
    }

    /**
     * {@code ok}, and the Redis tier's state when there is one, with its latest refusal (wrong password,
     * missing ACL rule, bad certificate) if any: a server whose Redis is down or refuses it still serves.
     */
    String healthText() {
        FleetTiles fleet = fleet();
        if (fleet == null) {
            return "ok\n";
        }
        String refusal = fleet.lastRefusal();
        return "ok\nfleet tier: " + fleet.state() + "\n" + (refusal == null ? "" : "fleet tier refused: " + refusal + "\n");
    }

    /** The shared Redis tier, or null. */
    public FleetTiles fleet() {
        TileSource metatiles = tiles instanceof EncodedTiles encoded ? encoded.metatiles() : tiles;
        return metatiles instanceof PixmapTileSource pixmap ? pixmap.fleet() : null;
    }

    /**
     * Stops gracefully: no new connections, requests in flight finish (up to the shutdown timeout),
     * then the cache is closed, so that no native memory outlives the server.
     */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            System.getLogger(TileServer.class.getName()).log(System.Logger.Level.WARNING, "stopping Jetty", e);
        } finally {
            tiles.close();
            iiif.close();
            renderPool.close();
            metrics.close();
        }
    }
}
