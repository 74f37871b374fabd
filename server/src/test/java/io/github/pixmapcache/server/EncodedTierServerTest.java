package io.github.pixmapcache.server;

import static io.github.pixmapcache.server.TestServer.assertMandelbrot;
import static io.github.pixmapcache.server.TestServer.decode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.encoded.NativeEncodedTier;
import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The encoded tier in front of the metatile tier, on a real server, for both caches: hits cost no
 * encode and no render, a cold tile is rendered and encoded once however many ask, the tile budget
 * holds, and a 304 reads no tier.
 */
class EncodedTierServerTest {

    @ParameterizedTest
    @ValueSource(strings = {"pixmap", "caffeine"})
    void aHitOnACachedTileMakesNoEncodeAndNoRender(String cache) {
        try (TestServer server = TestServer.start("--cache", cache, "--metatile", "2")) {
            TileAddress tile = new TileAddress(3, 2, 5);
            byte[] first = server.get("/tiles/" + tile + ".png").body();
            assertEquals(1, server.server.renders());
            assertEquals(1, server.server.encodes());
            for (int i = 0; i < 20; i++) {
                HttpResponse<byte[]> again = server.get("/tiles/" + tile + ".png");
                assertEquals(200, again.statusCode());
                assertArrayEquals(first, again.body());
            }
            assertEquals(1, server.server.renders(), "renders after 20 hits");
            assertEquals(1, server.server.encodes(), "encodes after 20 hits");
            String stats = new String(server.get("/stats").body());
            assertEquals(20, field(stats, "tiles", "hits"), stats);
            assertEquals(1, field(stats, "tiles", "encodes"), stats);
            // The other tile of the metatile: cut from the cached metatile, encoded, not rendered.
            assertMandelbrot(new TileAddress(3, 3, 5), server.tile(new TileAddress(3, 3, 5)));
            assertEquals(1, server.server.renders());
            assertEquals(2, server.server.encodes());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pixmap", "caffeine"})
    void encodeAfterRenderEncodesEveryTileOfTheMetatileOnceAndTheirFirstRequestsAreHits(String cache) {
        try (TestServer server = TestServer.start("--cache", cache, "--metatile", "4", "--encode", "after-render")) {
            TileAddress asked = new TileAddress(5, 9, 13); // metatile 5/2/3: tiles 8..11 x 12..15
            assertMandelbrot(asked, server.tile(asked));
            FleetTestSupport.await(() -> server.server.encodes() == 16, Duration.ofSeconds(30),
                    () -> "encodes after one render: " + server.server.encodes());
            String filled = new String(server.get("/stats").body());
            assertEquals(16, field(filled, "tiles", "entries"), filled);
            assertEquals(0, field(filled, "tiles", "hits"), "the background encodes are no lookups: " + filled);
            for (int x = 8; x < 12; x++) {
                for (int y = 12; y < 16; y++) {
                    assertMandelbrot(new TileAddress(5, x, y), server.tile(new TileAddress(5, x, y)));
                }
            }
            String stats = new String(server.get("/stats").body());
            assertEquals(16, field(stats, "tiles", "hits"), "the other 15 tiles' first requests and the asked one's second: " + stats);
            assertEquals(1, field(stats, "tiles", "misses"), "only the first request missed: " + stats);
            assertEquals(16, field(stats, "tiles", "encodes"), stats);
            assertEquals(1, server.server.renders());
            assertEquals(16, server.server.encodes(), "each tile encoded once");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pixmap", "caffeine"})
    void encodeOnRequestEncodesOnlyTheTilesAskedFor(String cache) throws Exception {
        try (TestServer server = TestServer.start("--cache", cache, "--metatile", "4")) {
            assertMandelbrot(new TileAddress(5, 9, 13), server.tile(new TileAddress(5, 9, 13)));
            sleep(300); // time for a background encode that must not happen
            assertEquals(1, server.server.encodes());
            assertEquals(1, field(new String(server.get("/stats").body()), "tiles", "entries"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pixmap", "caffeine"})
    void sixtyFourConcurrentRequestsForOneColdTileMakeOneRenderAndOneEncode(String cache) throws Exception {
        AtomicInteger bandsStarted = new AtomicInteger();
        TileServer.Parts slow = new TileServer.Parts((target, stride, zoom, originX, originY, width, rowFrom, rowTo) -> {
            if (bandsStarted.getAndIncrement() == 0) {
                sleep(500); // every request arrives while the one render runs
            }
            Mandelbrot.render(target, stride, zoom, originX, originY, width, rowFrom, rowTo);
        }, builder -> builder);
        try (TestServer server = TestServer.start(slow, "--cache", cache, "--metatile", "4", "--render-queue", "64")) {
            TileAddress tile = new TileAddress(5, 9, 13);
            List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                responses.add(server.client.sendAsync(HttpRequest.newBuilder(server.uri("/tiles/" + tile + ".png")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            byte[] first = responses.getFirst().get().body();
            for (CompletableFuture<HttpResponse<byte[]>> response : responses) {
                assertEquals(200, response.get().statusCode());
                assertArrayEquals(first, response.get().body());
            }
            assertMandelbrot(tile, decode(first));
            assertEquals(1, server.server.renders(), "renders for 64 requests of one tile");
            assertEquals(1, server.server.encodes(), "encodes for 64 requests of one tile");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pixmap", "caffeine"})
    void theTileBudgetHoldsAndEvictionsAreCounted(String cache) {
        // Four tiles' worth of bytes, asked for sixteen tiles: the tier must keep within its budget.
        try (TestServer server = TestServer.start("--cache", cache, "--metatile", "4", "--tile-budget", "200k")) {
            for (int x = 0; x < 4; x++) {
                for (int y = 0; y < 4; y++) {
                    assertMandelbrot(new TileAddress(4, 4 + x, 4 + y), server.tile(new TileAddress(4, 4 + x, 4 + y)));
                    String stats = new String(server.get("/stats").body());
                    assertTrue(field(stats, "tiles", "usedBytes") <= 200 << 10, stats);
                }
            }
            String stats = new String(server.get("/stats").body());
            assertEquals(16, field(stats, "tiles", "encodes"), stats);
            assertTrue(field(stats, "tiles", "evictions") > 0, stats);
            assertEquals(16, field(stats, "tiles", "evictions") + field(stats, "tiles", "entries"), stats);
            assertEquals(1, server.server.renders(), "one metatile, rendered once: evicted tiles come from its pixels");
            String metrics = new String(server.get("/metrics").body());
            assertTrue(metrics.contains("cache_evictions_total{cache=\"tiles\"}"), "tiles' evictions in /metrics");
            assertTrue(metrics.contains("cache_maximum_bytes{cache=\"tiles\"} 204800.0"), "tiles' budget in /metrics");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pixmap", "caffeine"})
    void hitsRacingEvictionsServeExactlyTheCachedBytes(String cache) throws Exception {
        // Sixteen tiles against four tiles' worth of budget: every hit races evictions and re-encodes.
        try (TestServer server = TestServer.start("--cache", cache, "--metatile", "4", "--tile-budget", "200k")) {
            Map<TileAddress, byte[]> expected = new HashMap<>();
            for (int x = 4; x < 8; x++) {
                for (int y = 4; y < 8; y++) {
                    TileAddress tile = new TileAddress(4, x, y);
                    expected.put(tile, server.get("/tiles/" + tile + ".png").body());
                    assertMandelbrot(tile, decode(expected.get(tile)));
                }
            }
            List<BoundedLoad.Sample> samples;
            try (BoundedLoad load = new BoundedLoad(8, n -> server.server.uri(), expected)) {
                load.awaitFirstResponses();
                FleetTestSupport.await(() -> field(new String(server.get("/stats").body()), "tiles", "hits") > 200
                        && field(new String(server.get("/stats").body()), "tiles", "evictions") > 200,
                        Duration.ofSeconds(60), () -> new String(server.get("/stats").body()));
                samples = load.stop();
            }
            assertEquals(List.of(), BoundedLoad.failures(samples), "every response is its tile's bytes, whole");
            assertEquals(1, server.server.renders(), "evicted tiles are encoded again from the cached metatile");
            if (server.server.encodedTier() instanceof NativeEncodedTier<?> tier) {
                FleetTestSupport.await(() -> tier.openBodies() == 0, Duration.ofSeconds(10), () -> "open bodies: " + tier.openBodies());
                assertEquals(0, tier.leasedDetachedBytes());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mandelbrot", "waves"})
    void eachPictureHasItsOwnVersionInTheETag(String picture) {
        try (TestServer server = TestServer.start(new TileServer.Parts(
                ServerConfig.PictureKind.valueOf(picture.toUpperCase(java.util.Locale.ROOT)).picture(), b -> b),
                "--picture", picture, "--metatile", "2")) {
            HttpResponse<byte[]> response = server.get("/tiles/2/1/1.png");
            assertEquals("\"" + picture + "-1-2-1-1\"", response.headers().firstValue("ETag").orElseThrow());
            decode(response.body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pixmap", "caffeine"})
    void a304ReadsNeitherTier(String cache) {
        try (TestServer server = TestServer.start("--cache", cache, "--metatile", "2")) {
            HttpResponse<byte[]> response = server.get("/tiles/3/1/1.png", "If-None-Match", "\"mandelbrot-1-3-1-1\"");
            assertEquals(304, response.statusCode());
            String stats = new String(server.get("/stats").body());
            assertEquals(0, field(stats, "tiles", "hits") + field(stats, "tiles", "misses"), stats);
            assertEquals(0, server.server.renders());
            assertEquals(0, server.server.encodes());
        }
    }

    /** A number field of the {@code /stats} JSON's {@code object} (or of the top, for {@code ""}). */
    static long field(String stats, String object, String name) {
        String scope = object.isEmpty() ? stats : stats.substring(stats.indexOf("\"" + object + "\":{"));
        Matcher matcher = Pattern.compile("\"" + name + "\":(-?\\d+)").matcher(scope);
        assertTrue(matcher.find(), () -> name + " in " + stats);
        return Long.parseLong(matcher.group(1));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
