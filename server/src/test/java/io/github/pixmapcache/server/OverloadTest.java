package io.github.pixmapcache.server;

import static io.github.pixmapcache.server.TestServer.assertMandelbrot;
import static io.github.pixmapcache.server.TestServer.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A full render queue answers 503 with Retry-After at once; everything else is a correct tile. */
class OverloadTest {

    @Test
    void aBurstBeyondTheQueueGets503sAndTheServerRecovers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch rendering = new CountDownLatch(1);
        TileServer.Parts parts = new TileServer.Parts((target, stride, zoom, originX, originY, width, rowFrom, rowTo) -> {
            if (zoom == 7) {   // the first metatile's render holds the only place in the queue
                rendering.countDown();
                await(release);
            }
            Mandelbrot.render(target, stride, zoom, originX, originY, width, rowFrom, rowTo);
        }, builder -> builder);
        try (TestServer server = TestServer.start(parts, "--metatile", "2", "--render-threads", "1",
                "--render-queue", "1")) {
            TileAddress blocked = new TileAddress(7, 40, 40);
            CompletableFuture<HttpResponse<byte[]>> first = get(server, blocked);
            assertTrue(rendering.await(30, TimeUnit.SECONDS), "the first render started");

            List<TileAddress> burst = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                burst.add(new TileAddress(6, 2 * i, 20));   // 24 other metatiles
            }
            burst.add(new TileAddress(7, 41, 41));   // same metatile as the blocked one: waits for it
            List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
            for (TileAddress tile : burst) {
                responses.add(get(server, tile));
            }
            int refused = 0;
            for (int i = 0; i < burst.size() - 1; i++) {
                HttpResponse<byte[]> response = responses.get(i).get(30, TimeUnit.SECONDS);
                if (response.statusCode() == 503) {
                    refused++;
                    assertEquals("1", response.headers().firstValue("Retry-After").orElseThrow());
                    assertTrue(new String(response.body()).startsWith("503 "));
                } else {
                    assertEquals(200, response.statusCode());
                    assertMandelbrot(burst.get(i), decode(response.body()));
                }
            }
            assertEquals(burst.size() - 1, refused, "every other metatile was refused while the queue was full");

            release.countDown();
            assertMandelbrot(blocked, decode(first.get(30, TimeUnit.SECONDS).body()));
            HttpResponse<byte[]> sameMetatile = responses.getLast().get(30, TimeUnit.SECONDS);
            assertEquals(200, sameMetatile.statusCode());
            assertMandelbrot(burst.getLast(), decode(sameMetatile.body()));
            for (TileAddress tile : burst.subList(0, 4)) {
                assertMandelbrot(tile, server.tile(tile));   // served normally afterwards
            }
        }
    }

    private static CompletableFuture<HttpResponse<byte[]>> get(TestServer server, TileAddress tile) {
        return server.client.sendAsync(HttpRequest.newBuilder(server.uri("/tiles/" + tile + ".png")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
