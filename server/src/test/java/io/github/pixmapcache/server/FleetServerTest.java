package io.github.pixmapcache.server;

import static io.github.pixmapcache.server.FleetTestSupport.awaitPublished;
import static io.github.pixmapcache.server.FleetTestSupport.text;
import static io.github.pixmapcache.server.TestServer.assertMandelbrot;
import static io.github.pixmapcache.server.TestServer.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.fleet.RedisProcess;
import io.github.pixmapcache.server.fleet.TierKeys;
import io.github.pixmapcache.server.fleet.TileValueCodec;
import io.github.pixmapcache.server.http.TileHandler;
import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.TileAddress;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two tile servers sharing one real redis-server: one render serves both. */
class FleetServerTest {

    private RedisProcess redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisProcess.start();
    }

    @AfterEach
    void stopRedis() {
        redis.close();
    }

    @Test
    void aRedisHitFillsTheEncodedTierAndALocalHitNeverAsksRedis() throws Exception {
        try (TestServer first = TestServer.start("--redis", redis.uri().toString());
             TestServer second = TestServer.start("--redis", redis.uri().toString())) {
            TileAddress tile = new TileAddress(5, 9, 12);
            byte[] rendered = first.get("/tiles/" + tile + ".png").body();
            awaitPublished(first, 1);
            assertEquals(1, first.server.encodes(), "the request's encode; the publisher's are apart");

            assertArrayEquals(rendered, second.get("/tiles/" + tile + ".png").body());
            assertEquals(1, second.server.fleet().counts().hits());
            for (int i = 0; i < 10; i++) {
                assertArrayEquals(rendered, second.get("/tiles/" + tile + ".png").body());
            }
            assertEquals(1, second.server.fleet().counts().hits(), "a local encoded hit asked Redis");
            assertEquals(0, second.server.fleet().counts().misses());
            assertEquals(0, second.server.encodes());
            assertEquals(0, second.server.renders());
            String stats = text(second.get("/stats"));
            assertEquals(10, EncodedTierServerTest.field(stats, "tiles", "hits"), stats);

            // The renderer's publisher offered every tile of the metatile to its own encoded tier:
            // a neighbour is a local hit there, with no encode and no Redis lookup.
            long lookups = first.server.fleet().counts().hits() + first.server.fleet().counts().misses();
            TileAddress neighbour = new TileAddress(5, 15, 8);
            assertMandelbrot(neighbour, first.tile(neighbour));
            assertEquals(1, first.server.encodes());
            assertEquals(lookups, first.server.fleet().counts().hits() + first.server.fleet().counts().misses());
        }
    }

    @Test
    void aTileRenderedByOneServerIsServedByTheOtherWithoutARender() throws Exception {
        try (TestServer first = TestServer.start("--redis", redis.uri().toString());
             TestServer second = TestServer.start("--redis", redis.uri().toString())) {
            TileAddress tile = new TileAddress(5, 9, 12);
            HttpResponse<byte[]> rendered = first.get("/tiles/" + tile + ".png");
            assertEquals(200, rendered.statusCode());
            assertMandelbrot(tile, decode(rendered.body()));
            assertEquals(1, first.server.renders());
            awaitPublished(first, 1);

            HttpResponse<byte[]> shared = second.get("/tiles/" + tile + ".png");
            assertEquals(200, shared.statusCode());
            assertArrayEquals(rendered.body(), shared.body());
            TileAddress neighbour = new TileAddress(5, 15, 8); // same 8x8 metatile
            assertMandelbrot(neighbour, second.tile(neighbour));
            assertEquals(0, second.server.renders(), "the second server rendered");
            assertEquals(OptionalLong.of(1), second.server.fleet().fleetRenders());
            assertEquals(2, second.server.fleet().counts().hits());

            String stats = text(second.get("/stats"));
            assertTrue(stats.contains("\"fleet\":{\"state\":\"up\",\"fleetRenders\":1,\"hits\":2,"), stats);
            assertEquals("ok\nfleet tier: up\n", text(second.get("/health")));
            String metrics = text(second.get("/metrics"));
            assertTrue(metrics.contains("fleet_tier_up 1.0"), metrics);
            assertTrue(metrics.contains("fleet_tier_hits_total 2.0"), metrics);
        }
    }

    @Test
    void thirtyTwoConcurrentRequestsOverTwoServersForOneColdMetatileRenderOnce() throws Exception {
        AtomicInteger bandsStarted = new AtomicInteger();
        // Slow, so that every request arrives while the one render runs.
        TileServer.Parts slow = new TileServer.Parts((target, stride, zoom, originX, originY, width, rowFrom, rowTo) -> {
            if (bandsStarted.getAndIncrement() == 0) {
                FleetTestSupport.sleep(java.time.Duration.ofMillis(500));
            }
            Mandelbrot.render(target, stride, zoom, originX, originY, width, rowFrom, rowTo);
        }, builder -> builder);
        // A Redis command slower than --redis-timeout renders locally by design (FleetFaultTest covers that);
        // on a loaded CI machine 200 ms is sometimes exceeded, so this claim about single flight allows 5 s.
        try (TestServer first = TestServer.start(slow, "--redis", redis.uri().toString(), "--redis-timeout", "5000");
             TestServer second = TestServer.start(slow, "--redis", redis.uri().toString(), "--redis-timeout", "5000")) {
            List<TileAddress> tiles = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                tiles.add(new TileAddress(5, 8 + i % 8, 8 + 2 * (i / 8)));
            }
            List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
            for (int i = 0; i < tiles.size(); i++) {
                TestServer server = i % 2 == 0 ? first : second;
                responses.add(server.client.sendAsync(HttpRequest.newBuilder(server.uri("/tiles/" + tiles.get(i) + ".png")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (int i = 0; i < tiles.size(); i++) {
                HttpResponse<byte[]> response = responses.get(i).get();
                assertEquals(200, response.statusCode(), tiles.get(i).toString());
                assertMandelbrot(tiles.get(i), decode(response.body()));
            }
            assertEquals(1, first.server.renders() + second.server.renders(),
                    "renders: " + first.server.renders() + " + " + second.server.renders()
                            + "; fleet counts: " + first.server.fleet().counts() + " / " + second.server.fleet().counts());
            TestServer renderer = first.server.renders() == 1 ? first : second;
            awaitPublished(renderer, 1);
            assertEquals(OptionalLong.of(1), first.server.fleet().fleetRenders());
            TestServer waiter = renderer == first ? second : first;
            assertTrue(waiter.server.fleet().counts().lockWaits() >= 1, "the other server waited for the render");
        }
    }

    @Test
    void truncatedAndForeignValuesAreNotServedAndAreOverwritten() throws Exception {
        TierKeys keys = new TierKeys("pxc", TileHandler.PICTURE_VERSION, 8);
        TileAddress truncated = new TileAddress(5, 20, 3);
        TileAddress foreign = new TileAddress(5, 21, 3);
        try (RedisClient client = RedisClient.create(redis.uri().toString());
             StatefulRedisConnection<String, byte[]> raw = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE))) {
            byte[] good;
            try (TestServer first = TestServer.start("--redis", redis.uri().toString())) {
                first.tile(truncated);
                awaitPublished(first, 1);
                good = raw.sync().get(keys.tile(truncated.z(), truncated.x(), truncated.y()));
                assertInstanceOf(TileValueCodec.Valid.class, TileValueCodec.decode(good, keys.versionTag()));
            }
            raw.sync().set(keys.tile(truncated.z(), truncated.x(), truncated.y()), Arrays.copyOf(good, good.length - 100));
            raw.sync().set(keys.tile(foreign.z(), foreign.x(), foreign.y()), "GIF89a, not ours".getBytes(StandardCharsets.US_ASCII));

            try (TestServer second = TestServer.start("--redis", redis.uri().toString())) {
                assertMandelbrot(truncated, second.tile(truncated));
                assertMandelbrot(foreign, second.tile(foreign));
                assertEquals(1, second.server.renders(), "the bad values were rendered again, once");
                assertEquals(1, second.server.fleet().counts().invalidValues());
                awaitPublished(second, 1);
            }
            assertArrayEquals(good, raw.sync().get(keys.tile(truncated.z(), truncated.x(), truncated.y())), "overwritten");
            assertInstanceOf(TileValueCodec.Valid.class,
                    TileValueCodec.decode(raw.sync().get(keys.tile(foreign.z(), foreign.x(), foreign.y())), keys.versionTag()));
        }
    }

    @Test
    void withoutRedisFlagsThereIsNoTier() {
        try (TestServer plain = TestServer.start()) {
            assertEquals(null, plain.server.fleet());
            assertEquals("ok\n", text(plain.get("/health")));
            assertTrue(!text(plain.get("/stats")).contains("fleet"));
        }
    }
}
