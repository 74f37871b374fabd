package io.github.pixmapcache.server.tiles;

import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocator;
import io.github.pixmapcache.PixmapLease;
import io.github.pixmapcache.PixmapLoader;
import io.github.pixmapcache.server.fleet.FleetConfig;
import io.github.pixmapcache.server.fleet.FleetSingleFlight;
import io.github.pixmapcache.server.fleet.RedisTier;
import io.github.pixmapcache.server.fleet.TierKeys;
import io.github.pixmapcache.server.fleet.TierMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The shared Redis tier on this server's cache-miss path ({@code --redis}, {@code --redis-cluster}):
 * for a metatile missing from the pixmap cache,
 * <ol>
 *   <li>the requested tile's PNG is read from Redis and <em>served as it is</em>: it never enters the
 *       pixmap cache. Measured (docs/fleet.md): a Redis hit costs ~0.1 ms, while decoding a
 *       metatile's 64 PNGs into the cache costs ~5-12 ms a tile, and every later hit of the cache
 *       encodes its PNG again (~5-10 ms);</li>
 *   <li>else the fleet's single flight ({@link FleetSingleFlight}) decides: another server is rendering
 *       it (wait, then serve its tile from Redis), or this server renders it, holding the fleet lock.
 *       Requests of this server for the same metatile share one decision ({@code planning});</li>
 *   <li>a metatile this server rendered is encoded tile by tile in the background, from a lease of the
 *       cached metatile, and its tiles stored in one pipelined write; then the lock is released. Each
 *       tile's bytes are also offered to this server's encoded tier, so that it never encodes them again.</li>
 * </ol>
 * Redis down or slow only ever makes step 1 and 2 answer "render here" (at once once the breaker is
 * open), and step 3 is skipped then, so that a dead Redis costs neither latency nor CPU.
 *
 * <p>Races we accept. A metatile evicted before the publisher leases it, a publisher queue that is
 * full, or a render that fails: the lock is released at once and no tiles are stored, so a waiting
 * server renders the metatile too. A fleet lock taken for a metatile whose load then never runs here
 * (another load of it completed in between) stays in {@code planned} until its TTL has long passed
 * and the next load of that metatile takes it; its compare-and-delete then frees nothing. Meanwhile
 * other servers wait up to the lock TTL before they render it themselves. Each costs a render, never
 * a wrong tile.
 */
public final class FleetTiles implements AutoCloseable {

    /** Metatiles waiting for their background encode and write; past it, a render is not published. */
    private static final int PUBLISH_QUEUE = 32;

    private final RedisTier tier;
    private final FleetSingleFlight flight;
    private final TileEncoder encoder;
    /** Takes each tile the publisher encoded: this server's encoded tier. */
    private final BiConsumer<TileAddress, byte[]> encoded;
    private final int metatileSize;
    private final ThreadPoolExecutor publisher;
    private final Timer lookupTime;
    /** One fleet decision per metatile at a time on this server; the other requests wait for it. */
    private final ConcurrentHashMap<Metatile, CompletableFuture<FleetSingleFlight.Plan>> planning = new ConcurrentHashMap<>();
    /** Fleet locks this server took for a render; taken out by the load that renders. */
    private final ConcurrentHashMap<Metatile, FleetSingleFlight.Render> planned = new ConcurrentHashMap<>();

    private FleetTiles(RedisTier tier, TileEncoder encoder, BiConsumer<TileAddress, byte[]> encoded, int metatileSize,
                       int publishThreads, Timer lookupTime) {
        this.tier = tier;
        this.encoded = encoded;
        this.lookupTime = lookupTime;
        this.flight = new FleetSingleFlight(tier);
        this.encoder = encoder;
        this.metatileSize = metatileSize;
        AtomicInteger ids = new AtomicInteger();
        this.publisher = new ThreadPoolExecutor(publishThreads, publishThreads, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(PUBLISH_QUEUE), task -> {
                    Thread thread = new Thread(task, "fleet-publish-" + ids.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Connects to Redis (or keeps trying in the background, see {@link RedisTier#start}).
     *
     * @param renderVersion names the renderer: tiles stored under another version are never served
     * @param encoder       encodes the tiles of rendered metatiles for Redis, timed by its own timer
     * @param encoded       takes each tile so encoded (this server's encoded tier), before it is stored in Redis
     * @param lookupTime    times each request's lookup of its tile in Redis
     */
    public static FleetTiles start(FleetConfig config, String renderVersion, int metatileSize, TileEncoder encoder,
                                   BiConsumer<TileAddress, byte[]> encoded, int publishThreads, Timer lookupTime) {
        return new FleetTiles(RedisTier.start(config, new TierKeys(config.keyPrefix(), renderVersion, metatileSize)),
                encoder, encoded, metatileSize, publishThreads, lookupTime);
    }

    /**
     * The PNG of {@code tile}, whose metatile this server's cache lacks, if the fleet has it (waiting
     * while another server renders it); null when this server must render it.
     */
    public byte[] stored(TileAddress tile) {
        long start = System.nanoTime();
        RedisTier.Lookup lookup = tier.get(tier.keys().tile(tile.z(), tile.x(), tile.y()));
        lookupTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        switch (lookup) {
            case RedisTier.Hit hit -> {
                return bytes(hit.png());
            }
            case RedisTier.Unavailable unavailable -> {
                return null;
            }
            case RedisTier.Miss miss -> { }
            case RedisTier.Invalid invalid -> { } // rendered again below; the publish overwrites it
        }
        Metatile metatile = Metatile.of(tile, metatileSize);
        CompletableFuture<FleetSingleFlight.Plan> mine = new CompletableFuture<>();
        CompletableFuture<FleetSingleFlight.Plan> running = planning.putIfAbsent(metatile, mine);
        if (running != null) {
            return pick(running.join(), metatile, tile);
        }
        FleetSingleFlight.Plan plan = new FleetSingleFlight.Render(null);
        try {
            plan = flight.plan(tile.z(), tile.x(), tile.y(), tileKeys(metatile));
            if (plan instanceof FleetSingleFlight.Render render && render.lock() != null) {
                planned.put(metatile, render);
            }
        } finally {
            mine.complete(plan);
            planning.remove(metatile, mine);
        }
        return pick(plan, metatile, tile);
    }

    /**
     * Wraps the render of {@code metatile} for {@code computeIfAbsent}; call {@link Load#finish} after
     * the cache returned, whether or not this load ran.
     */
    public Load load(Metatile metatile, PixmapLoader<Metatile> render) {
        return new Load(metatile, render);
    }

    /** One {@code computeIfAbsent} of a metatile: knows whether its loader ran and succeeded. */
    public final class Load implements PixmapLoader<Metatile> {
        private final Metatile metatile;
        private final PixmapLoader<Metatile> render;
        private boolean ran;
        private boolean rendered;

        private Load(Metatile metatile, PixmapLoader<Metatile> render) {
            this.metatile = metatile;
            this.render = render;
        }

        @Override
        public Pixmap load(Metatile key, PixmapAllocator allocator) {
            ran = true;
            Pixmap pixels = render.load(key, allocator);
            rendered = true;
            return pixels;
        }

        /**
         * After the cache call: a render this load did is published in the background ({@code find}
         * leases the cached metatile there); a failed one gives the fleet lock back at once. A load that
         * did not run leaves the lock to the load that did.
         */
        public void finish(Function<Metatile, PixmapLease> find) {
            if (!ran) {
                return;
            }
            FleetSingleFlight.Render plan = planned.remove(metatile);
            plan = plan == null ? new FleetSingleFlight.Render(null) : plan;
            if (rendered && "up".equals(tier.state())) {
                publishLater(metatile, plan, find);
            } else {
                flight.abandon(plan);
            }
        }
    }

    private void publishLater(Metatile metatile, FleetSingleFlight.Render plan, Function<Metatile, PixmapLease> find) {
        try {
            publisher.execute(() -> {
                try (PixmapLease lease = find.apply(metatile)) {
                    if (lease == null) {
                        flight.abandon(plan); // evicted before its turn: nothing to encode
                        return;
                    }
                    flight.publish(plan, encodeAll(lease.pixmap(), metatile));
                } catch (RuntimeException e) {
                    flight.abandon(plan);
                    System.getLogger(FleetTiles.class.getName()).log(System.Logger.Level.WARNING,
                            "publishing " + metatile + " to the fleet tier failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            flight.abandon(plan); // the publisher is behind (or closed): other servers render it themselves
        }
    }

    private Map<String, byte[]> encodeAll(Pixmap pixels, Metatile metatile) {
        Map<String, byte[]> pngByKey = new LinkedHashMap<>();
        int side = metatile.tilesPerSide();
        for (int dy = 0; dy < side; dy++) {
            for (int dx = 0; dx < side; dx++) {
                int x = metatile.column() * metatile.size() + dx;
                int y = metatile.row() * metatile.size() + dy;
                byte[] png = encoder.encode(pixels, dx * TileAddress.SIZE, dy * TileAddress.SIZE);
                encoded.accept(new TileAddress(metatile.z(), x, y), png);
                pngByKey.put(tier.keys().tile(metatile.z(), x, y), png);
            }
        }
        return pngByKey;
    }

    /** The keys of every tile of {@code metatile}, row by row. */
    private List<String> tileKeys(Metatile metatile) {
        int side = metatile.tilesPerSide();
        List<String> keys = new ArrayList<>(side * side);
        for (int dy = 0; dy < side; dy++) {
            for (int dx = 0; dx < side; dx++) {
                keys.add(tier.keys().tile(metatile.z(), metatile.column() * metatile.size() + dx,
                        metatile.row() * metatile.size() + dy));
            }
        }
        return keys;
    }

    private static byte[] pick(FleetSingleFlight.Plan plan, Metatile metatile, TileAddress tile) {
        if (plan instanceof FleetSingleFlight.Fetched fetched) {
            int index = (tile.y() - metatile.row() * metatile.size()) * metatile.tilesPerSide()
                    + (tile.x() - metatile.column() * metatile.size());
            return bytes(fetched.pngs().get(index));
        }
        return null;
    }

    private static byte[] bytes(ByteBuffer png) {
        byte[] copy = new byte[png.remaining()];
        png.duplicate().get(copy);
        return copy;
    }

    /** {@code up}, {@code down}, {@code probing}, {@code connecting} or {@code shut-down} (see {@link RedisTier#state}). */
    public String state() {
        return tier.state();
    }

    public TierMetrics.Snapshot counts() {
        return tier.metrics().snapshot();
    }

    /** The latest refusal by Redis or TLS (wrong password, missing ACL rule, bad certificate), or null; never a secret. */
    public String lastRefusal() {
        return tier.metrics().lastRefusal();
    }

    /** Metatile renders the whole fleet has published, or empty when Redis cannot say now. */
    public OptionalLong fleetRenders() {
        return tier.fleetRenders();
    }

    /** The tier's meters: its state as a number and each counter of {@link TierMetrics}. */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("fleet.tier.up", tier, t -> "up".equals(t.state()) ? 1 : 0)
                .description("1 while the Redis tier answers (breaker closed), else 0").register(registry);
        Gauge.builder("fleet.tier.breaker.openings", tier, t -> t.breaker().openings())
                .description("Times the Redis tier's circuit breaker has opened").register(registry);
        Gauge.builder("fleet.publish.queue", publisher, p -> p.getQueue().size())
                .description("Rendered metatiles waiting to be encoded and stored in Redis").register(registry);
        counter(registry, "fleet.tier.hits", "Tile lookups answered from Redis", TierMetrics.Snapshot::hits);
        counter(registry, "fleet.tier.misses", "Tile lookups Redis had nothing for", TierMetrics.Snapshot::misses);
        counter(registry, "fleet.tier.invalid", "Values refused: truncated, foreign, other version, bad checksum",
                TierMetrics.Snapshot::invalidValues);
        counter(registry, "fleet.tier.failures", "Redis commands that failed or timed out", TierMetrics.Snapshot::failures);
        counter(registry, "fleet.tier.short.circuited", "Calls not made: breaker open or not connected",
                TierMetrics.Snapshot::shortCircuited);
        counter(registry, "fleet.metatiles.published", "Rendered metatiles stored in Redis",
                TierMetrics.Snapshot::metatilesWritten);
        counter(registry, "fleet.tier.connect.failures", "Attempts to connect to Redis that failed",
                TierMetrics.Snapshot::connectFailures);
        counter(registry, "fleet.tier.refusals", "Connects and commands refused: wrong password, missing ACL rule, bad certificate",
                TierMetrics.Snapshot::refusals);
        counter(registry, "fleet.locks.acquired", "Fleet render locks taken", TierMetrics.Snapshot::locksAcquired);
        counter(registry, "fleet.locks.waits", "Waits for another server's render", TierMetrics.Snapshot::lockWaits);
        counter(registry, "fleet.locks.takeovers", "Locks taken after a holder vanished without its tiles",
                TierMetrics.Snapshot::lockTakeovers);
    }

    private void counter(MeterRegistry registry, String name, String description,
                         ToDoubleFunction<TierMetrics.Snapshot> value) {
        FunctionCounter.builder(name, tier, t -> value.applyAsDouble(t.metrics().snapshot()))
                .description(description).register(registry);
    }

    /** A timer for the background encoder of published metatiles, apart from the requests' encode timer. */
    public static Timer publishEncodeTimer(MeterRegistry registry) {
        return Timer.builder("fleet.publish.encode").description("Time to encode one tile for the Redis tier")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /** A timer for the requests' lookups of their tile in Redis: the cost of a Redis hit. */
    public static Timer lookupTimer(MeterRegistry registry) {
        return Timer.builder("fleet.tier.lookup").description("Time to look one tile up in Redis (hit, miss or refused)")
                .publishPercentiles(0.5, 0.99).publishPercentileHistogram()
                .maximumExpectedValue(java.time.Duration.ofSeconds(1)).register(registry);
    }

    public Timer lookupTime() {
        return lookupTime;
    }

    /** Stops publishing (metatiles still queued are dropped; their locks expire) and closes the connections. */
    @Override
    public void close() {
        publisher.shutdownNow();
        try {
            publisher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tier.close();
    }
}
