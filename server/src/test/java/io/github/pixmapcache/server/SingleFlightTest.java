package io.github.pixmapcache.server;

import static io.github.pixmapcache.server.TestServer.assertMandelbrot;
import static io.github.pixmapcache.server.TestServer.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One miss renders a metatile once, however many requests for its tiles arrive meanwhile. */
class SingleFlightTest {

    @Test
    void sixtyFourConcurrentRequestsForOneMetatileCauseOneRender() throws Exception {
        AtomicInteger bandsStarted = new AtomicInteger();
        // Slow, so that every request arrives while the one render runs.
        TileServer.Parts parts = new TileServer.Parts((target, stride, zoom, originX, originY, width, rowFrom, rowTo) -> {
            if (bandsStarted.getAndIncrement() == 0) {
                sleep(500);
            }
            Mandelbrot.render(target, stride, zoom, originX, originY, width, rowFrom, rowTo);
        }, builder -> builder);
        try (TestServer server = TestServer.start(parts, "--metatile", "8", "--render-queue", "64")) {
            List<TileAddress> tiles = new ArrayList<>();
            for (int x = 8; x < 16; x++) {
                for (int y = 8; y < 16; y++) {
                    tiles.add(new TileAddress(4, x, y));
                }
            }
            List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
            for (TileAddress tile : tiles) {
                responses.add(server.client.sendAsync(HttpRequest.newBuilder(server.uri("/tiles/" + tile + ".png")).build(),
                        HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (int i = 0; i < tiles.size(); i++) {
                HttpResponse<byte[]> response = responses.get(i).get();
                assertEquals(200, response.statusCode(), tiles.get(i).toString());
                assertMandelbrot(tiles.get(i), decode(response.body()));
            }
            assertEquals(1, server.server.renders(), "renders for 64 requests of one metatile");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
