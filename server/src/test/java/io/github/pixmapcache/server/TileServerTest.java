package io.github.pixmapcache.server;

import static io.github.pixmapcache.server.TestServer.assertMandelbrot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.awt.image.BufferedImage;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The HTTP contract of a real server on an ephemeral port: tiles, caching headers, every refusal. */
class TileServerTest {
    /** The zoom at which the picture below fails its first render. */
    private static final int FAILING_ZOOM = 6;
    private static final AtomicBoolean failNextRender = new AtomicBoolean(true);

    private static TestServer server;

    @BeforeAll
    static void start() {
        TileServer.Parts parts = new TileServer.Parts((target, stride, zoom, originX, originY, width, rowFrom, rowTo) -> {
            if (zoom == FAILING_ZOOM && failNextRender.compareAndSet(true, false)) {
                throw new IllegalStateException("injected render failure");
            }
            Mandelbrot.render(target, stride, zoom, originX, originY, width, rowFrom, rowTo);
        }, builder -> builder);
        server = TestServer.start(parts, "--metatile", "2");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0/0/0", "1/1/0", "2/0/3", "3/2/3", "3/7/7", "9/131/255", "22/1048576/2097151"})
    void tilesArePixelForPixelTheDirectRendering(String address) {
        String[] parts = address.split("/");
        TileAddress tile = new TileAddress(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                Integer.parseInt(parts[2]));
        assertMandelbrot(tile, server.tile(tile));
    }

    @Test
    void everyTileOfAMetatileIsItsOwnRegion() {
        for (int x = 4; x < 6; x++) {
            for (int y = 2; y < 4; y++) {
                TileAddress tile = new TileAddress(4, x, y);
                assertMandelbrot(tile, server.tile(tile));
            }
        }
    }

    @Test
    void sameBytesAndETagEveryTimeAndCachingHeaders() {
        HttpResponse<byte[]> first = server.get("/tiles/5/10/12.png");
        HttpResponse<byte[]> second = server.get("/tiles/5/10/12.png");
        assertEquals(200, first.statusCode());
        assertArrayEquals(first.body(), second.body());
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.startsWith("\"") && etag.endsWith("\""), etag);
        assertEquals(etag, second.headers().firstValue("ETag").orElseThrow());
        assertEquals("image/png", first.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(first.body().length, first.headers().firstValueAsLong("Content-Length").orElseThrow());
        assertTrue(first.headers().firstValue("Cache-Control").orElseThrow().contains("max-age="));
        assertTrue(!etag.equals(server.get("/tiles/5/10/13.png").headers().firstValue("ETag").orElseThrow()),
                "another tile has another ETag");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%s", "W/%s", "\"other\", %s", "*"})
    void ifNoneMatchGets304WithoutBody(String header) {
        String etag = server.get("/tiles/5/11/12.png").headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> response = server.get("/tiles/5/11/12.png", "If-None-Match", header.formatted(etag));
        assertEquals(304, response.statusCode());
        assertEquals(0, response.body().length);
        assertEquals(etag, response.headers().firstValue("ETag").orElseThrow());
        assertEquals(200, server.get("/tiles/5/11/12.png", "If-None-Match", "\"other\"").statusCode());
    }

    @Test
    void headHasTheHeadersOfGetAndNoBody() {
        HttpResponse<byte[]> get = server.get("/tiles/5/12/12.png");
        HttpResponse<byte[]> head = server.send(HttpRequest.newBuilder(server.uri("/tiles/5/12/12.png"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(get.body().length, head.headers().firstValueAsLong("Content-Length").orElseThrow());
        assertEquals(get.headers().firstValue("ETag"), head.headers().firstValue("ETag"));
    }

    @ParameterizedTest
    @CsvSource({
            "/tiles/a/0/0.png, 400",
            "/tiles/-1/0/0.png, 400",
            "/tiles/1/-1/0.png, 400",
            "/tiles/1/0/+1.png, 400",
            "/tiles/1/0/0x1.png, 400",
            "/tiles//0/0.png, 400",
            "/tiles/1/0/1e1.png, 400",
            "/tiles/23/0/0.png, 404",
            "/tiles/1000000000/0/0.png, 404",
            "/tiles/99999999999999999999999/0/0.png, 404",
            "/tiles/2/4/0.png, 404",
            "/tiles/2/0/4.png, 404",
            "/tiles/0/0/2147483648.png, 404",
            "/tiles/1/0/0.jpg, 404",
            "/tiles/1/0/0, 404",
            "/tiles/1/0/0/0.png, 404",
            "/nothing, 404",
            "/tiles/../health, 400",
            "/tiles/1/../1/0/0.png, 400",
            "/./health, 400",
            "/tiles/%2e%2e/health, 400",
            "/leaflet/../index.html, 400",
    })
    void badPathsGetTheirStatusAndAShortTextBody(String path, int status) {
        assertRefused(server.get(path), status);
        assertEquals(200, server.get("/health").statusCode(), "the server still serves");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "BREW"})
    void otherMethodsGet405(String method) {
        HttpResponse<byte[]> response = server.send(HttpRequest.newBuilder(server.uri("/tiles/1/0/0.png"))
                .method(method, HttpRequest.BodyPublishers.ofString("x")).build());
        assertRefused(response, 405);
        assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void hugeHeadersGet431() {
        assertRefused(server.get("/health", "X-Padding", "a".repeat(TileServer.MAX_REQUEST_HEADER_BYTES * 2)), 431);
        assertEquals(200, server.get("/health").statusCode());
    }

    @Test
    void aFailedRenderIsA500ForThatRequestAloneAndIsRetried() {
        TileAddress failing = new TileAddress(FAILING_ZOOM, 20, 25);
        TileAddress other = new TileAddress(5, 20, 25);
        CompletableFuture<BufferedImage> concurrent = CompletableFuture.supplyAsync(() -> server.tile(other));
        HttpResponse<byte[]> failed = server.get("/tiles/" + failing + ".png");
        assertRefused(failed, 500);
        assertTrue(new String(failed.body(), StandardCharsets.UTF_8).contains("injected render failure"));
        assertMandelbrot(other, concurrent.join());
        assertMandelbrot(failing, server.tile(failing));   // not cached as a failure: the next request renders
    }

    @Test
    void statsMetricsHealthAndThePage() {
        server.tile(new TileAddress(2, 1, 1));
        String stats = new String(server.get("/stats").body(), StandardCharsets.UTF_8);
        for (String field : List.of("\"hits\":", "\"misses\":", "\"hitRatio\":", "\"renders\":", "\"evictions\":",
                "\"usedBytes\":", "\"maximumBytes\":", "\"leasedBytes\":", "\"renderMs\":{\"p50\":", "\"encodeMs\":")) {
            assertTrue(stats.contains(field), () -> field + " in " + stats);
        }
        HttpResponse<byte[]> metrics = server.get("/metrics");
        assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"));
        String text = new String(metrics.body(), StandardCharsets.UTF_8);
        for (String meter : List.of("cache_gets_total{cache=\"metatiles\",result=\"hit\"}",
                "cache_gets_total{cache=\"metatiles\",result=\"miss\"}", "cache_evictions_total{cache=\"metatiles\"}",
                "cache_load_total{cache=\"metatiles\",result=\"success\"}", "cache_used_bytes{cache=\"metatiles\"}",
                "cache_maximum_bytes{cache=\"metatiles\"}", "cache_leased_bytes{cache=\"metatiles\"}",
                "cache_allocation_failures_total{cache=\"metatiles\"}", "http_server_requests_seconds_bucket{",
                "tiles_render_seconds_bucket{", "tiles_encode_seconds_count", "jvm_gc_",
                "jvm_memory_used_bytes")) {
            assertTrue(text.contains(meter), () -> meter + " in /metrics");
        }
        assertEquals("ok\n", new String(server.get("/health").body(), StandardCharsets.UTF_8));
        String page = new String(server.get("/").body(), StandardCharsets.UTF_8);
        assertTrue(page.contains("/leaflet/leaflet.js") && page.contains("/tiles/{z}/{x}/{y}.png"), page);
        HttpResponse<byte[]> leaflet = server.get("/leaflet/leaflet.js");
        assertEquals(200, leaflet.statusCode());
        assertTrue(new String(leaflet.body(), StandardCharsets.UTF_8).contains("1.9.4"));
        assertEquals(200, server.get("/leaflet/images/layers.png").statusCode());
    }

    private static void assertRefused(HttpResponse<byte[]> response, int status) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(status, response.statusCode(), () -> response.uri() + ": " + body);
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain"),
                () -> response.uri() + " content type");
        assertTrue(body.startsWith(status + " ") && body.endsWith("\n") && body.length() < 400,
                () -> response.uri() + " body: " + body);
        assertTrue(response.headers().firstValue("ETag").isEmpty(), "no ETag on a refusal");
    }
}
