package io.github.pixmapcache.bench.fleet;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import io.github.pixmapcache.imageio.PixmapIO;
import io.github.pixmapcache.server.ServerConfig;
import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.TileAddress;
import io.github.pixmapcache.server.tiles.TileEncoder;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * The per-request costs behind the fleet tier's design and docs/fleet.md's "scale on paper", on one
 * thread, for an 8x8 metatile on the set's boundary at three zooms: rendering it, encoding a tile
 * (what every hit of the pixmap cache pays), decoding a tile (what filling the cache from Redis would
 * pay per tile), and a Redis GET of a stored tile and an MGET of the metatile's 64 (a Redis hit).
 * PNGs at the server's default level.
 * Each figure is the median of {@code ROUNDS} rounds after one warm-up round.
 *
 * <pre>java -cp benchmarks.jar:... io.github.pixmapcache.bench.fleet.TierCosts REDIS_PORT OUTPUT</pre>
 */
public final class TierCosts {
    private static final int[] ZOOMS = {6, 10, 14};
    private static final int ROUNDS = 3;
    private static final int SIDE = 8 * TileAddress.SIZE;
    /** A place on the main cardioid, c = e^(it)/2 - e^(2it)/4 at t = 1, in world coordinates. */
    private static final double U = 0.7186;
    private static final double V = 0.4517;

    private TierCosts() {
    }

    public static void main(String[] args) throws IOException {
        int redisPort = Integer.parseInt(args[0]);
        int pngLevel = ServerConfig.defaults().pngLevel();
        TileEncoder encoder = new TileEncoder(pngLevel, new SimpleMeterRegistry().timer("encode"));
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redisPort);
        try (PrintStream out = new PrintStream(Files.newOutputStream(Path.of(args[1])));
             StatefulRedisConnection<String, byte[]> connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
             PixmapCache<Integer> cache = PixmapCache.<Integer>builder().maximumBytes(64L << 20).build();
             Arena arena = Arena.ofConfined()) {
            RedisCommands<String, byte[]> redis = connection.sync();
            out.printf("pngLevel=%s%n", pngLevel == PixmapIO.DEFAULT_PNG_COMPRESSION ? "automatic" : Integer.toString(pngLevel));
            Pixmap metatile = Pixmap.allocate(arena, SIDE, SIDE, PixelFormat.BGRA_8888_PRE);
            for (int zoom : ZOOMS) {
                long originX = (long) Math.floor(U * (1 << zoom)) / 8 * 8 * TileAddress.SIZE;
                long originY = (long) Math.floor(V * (1 << zoom)) / 8 * 8 * TileAddress.SIZE;
                double[] render = new double[ROUNDS];
                double[] encode = new double[ROUNDS];
                double[] decode = new double[ROUNDS];
                double[] get = new double[ROUNDS];
                double[] mget = new double[ROUNDS];
                double[] hit = new double[ROUNDS];
                long bytes = 0;
                for (int round = -1; round < ROUNDS; round++) {
                    long start = System.nanoTime();
                    Mandelbrot.render(metatile.segment(), metatile.stride(), zoom, originX, originY, SIDE, 0, SIDE);
                    double renderMs = (System.nanoTime() - start) / 1e6;
                    byte[][] pngs = new byte[64][];
                    start = System.nanoTime();
                    for (int i = 0; i < 64; i++) {
                        pngs[i] = encoder.encode(metatile, i % 8 * TileAddress.SIZE, i / 8 * TileAddress.SIZE);
                    }
                    double encodeMs = (System.nanoTime() - start) / 64e6;
                    start = System.nanoTime();
                    int[] argb = new int[TileAddress.SIZE * TileAddress.SIZE];
                    for (byte[] png : pngs) {
                        ImageIO.read(new ByteArrayInputStream(png)).getRGB(0, 0, TileAddress.SIZE, TileAddress.SIZE, argb, 0, TileAddress.SIZE);
                    }
                    double decodeMs = (System.nanoTime() - start) / 64e6;
                    String[] keys = keysOf(zoom);
                    for (int i = 0; i < 64; i++) {
                        redis.set(keys[i], pngs[i]);
                    }
                    start = System.nanoTime();
                    for (int repeat = 0; repeat < 20; repeat++) {
                        for (String key : keys) {
                            redis.get(key);
                        }
                    }
                    double getMs = (System.nanoTime() - start) / (20 * 64e6);
                    start = System.nanoTime();
                    for (int repeat = 0; repeat < 20; repeat++) {
                        redis.mget(keys);
                    }
                    double mgetMs = (System.nanoTime() - start) / 20e6;
                    cache.insert(zoom, metatile);
                    start = System.nanoTime();
                    for (int i = 0; i < 64; i++) {
                        try (PixmapLease lease = cache.find(zoom)) {
                            encoder.encode(lease.pixmap(), i % 8 * TileAddress.SIZE, i / 8 * TileAddress.SIZE);
                        }
                    }
                    double hitMs = (System.nanoTime() - start) / 64e6;
                    if (round >= 0) {
                        render[round] = renderMs;
                        encode[round] = encodeMs;
                        decode[round] = decodeMs;
                        get[round] = getMs;
                        mget[round] = mgetMs;
                        hit[round] = hitMs;
                        bytes = Arrays.stream(pngs).mapToLong(png -> png.length).sum() / 64;
                    }
                }
                out.printf("z%d.renderMetatileMs=%.1f%n", zoom, median(render));
                out.printf("z%d.l1HitMs=%.2f%n", zoom, median(hit));
                out.printf("z%d.encodeTileMs=%.2f%n", zoom, median(encode));
                out.printf("z%d.decodeTileMs=%.2f%n", zoom, median(decode));
                out.printf("z%d.redisGetMs=%.3f%n", zoom, median(get));
                out.printf("z%d.redisMget64Ms=%.2f%n", zoom, median(mget));
                out.printf("z%d.tileBytes=%d%n", zoom, bytes);
                redis.del(keysOf(zoom));
            }
        } finally {
            client.shutdown();
        }
    }

    private static String[] keysOf(int zoom) {
        String[] keys = new String[64];
        for (int i = 0; i < 64; i++) {
            keys[i] = "costs:{" + zoom + "}:" + i;
        }
        return keys;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
