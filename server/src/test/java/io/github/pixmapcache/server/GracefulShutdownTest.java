package io.github.pixmapcache.server;

import static io.github.pixmapcache.server.TestServer.assertMandelbrot;
import static io.github.pixmapcache.server.TestServer.decode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.pixmapcache.CountingNativeAllocator;
import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A stop lets requests in flight finish or refuses them cleanly, then frees every native byte. */
class GracefulShutdownTest {

    @Test
    void requestsInFlightCompleteOrAreRefusedAndNoNativeByteOutlivesTheServer() throws Exception {
        CountingNativeAllocator allocator = new CountingNativeAllocator();
        CountDownLatch rendering = new CountDownLatch(3);
        TileServer.Parts parts = new TileServer.Parts((target, stride, zoom, originX, originY, width, rowFrom, rowTo) -> {
            if (rowFrom == 0) {   // a slow first band, so that the stop finds renders in flight
                rendering.countDown();
                sleep(300);
            }
            Mandelbrot.render(target, stride, zoom, originX, originY, width, rowFrom, rowTo);
        }, builder -> CountingNativeAllocator.using(builder, allocator));
        TestServer server = TestServer.start(parts, "--metatile", "2", "--render-queue", "64", "--shutdown-timeout", "30");
        List<TileAddress> tiles = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tiles.add(new TileAddress(5, 2 * i, 7));
        }
        List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
        for (TileAddress tile : tiles) {
            responses.add(server.client.sendAsync(HttpRequest.newBuilder(server.uri("/tiles/" + tile + ".png")).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        assertTrue(rendering.await(30, TimeUnit.SECONDS), "renders are in flight");
        assertTrue(allocator.liveBytes() > 0, "metatiles are being rendered into native memory");

        server.close();

        int completed = 0;
        for (int i = 0; i < tiles.size(); i++) {
            try {
                HttpResponse<byte[]> response = responses.get(i).get(60, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    assertMandelbrot(tiles.get(i), decode(response.body()));
                    completed++;
                } else {
                    assertEquals(503, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
                }
            } catch (ExecutionException e) {
                assertTrue(e.getCause() instanceof IOException, () -> "a clean refusal, not " + e.getCause());
            }
        }
        assertTrue(completed > 0, "the requests whose renders were in flight completed");
        assertEquals(0, allocator.liveBytes(), "native bytes live after the server stopped");
        try {
            server.client.send(HttpRequest.newBuilder(server.uri("/health")).build(), HttpResponse.BodyHandlers.discarding());
            fail("a stopped server answered");
        } catch (IOException expected) {
            // connection refused
        }
    }

    @Test
    void sigtermStopsTheProcessGracefullyWithExitStatusZero() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), TileServerMain.class.getName(),
                "--port", "0", "--metatile", "2", "--budget", "64m")
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        CompletableFuture<URI> uri = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            Pattern url = Pattern.compile("tile server: (http://\\S+/)");
            try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8)) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                    Matcher matcher = url.matcher(line);
                    if (matcher.find()) {
                        uri.complete(URI.create(matcher.group(1)));
                    }
                }
            } catch (IOException e) {
                uri.completeExceptionally(e);
            }
            uri.completeExceptionally(new AssertionError("no URL printed: " + lines));
        });
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<byte[]> tile = client.send(
                    HttpRequest.newBuilder(uri.get(60, TimeUnit.SECONDS).resolve("/tiles/3/1/2.png")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertMandelbrot(new TileAddress(3, 1, 2), decode(tile.body()));
            process.toHandle().destroy();   // SIGTERM, leaving the output readable (Process.destroy closes it)
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the server stopped");
            reader.join(10_000);
            assertEquals(0, process.exitValue(), () -> String.join("\n", lines));
            assertTrue(lines.contains("tile server: stopped"), () -> String.join("\n", lines));
        } finally {
            process.destroyForcibly();
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
