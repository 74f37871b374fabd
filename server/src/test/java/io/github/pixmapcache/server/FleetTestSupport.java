package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.tiles.TileAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What the fleet tests share: cheap tiles, their right bytes, and waiting for the tier. */
final class FleetTestSupport {
    private FleetTestSupport() {
    }

    /**
     * Flags for a server whose cache holds only 4 of the 16 metatiles of {@link #cheapTiles} and no
     * encoded tiles (a local encoded hit never asks Redis), so that a load over them keeps missing and
     * asking Redis; 2x2 metatiles far outside the set render in milliseconds.
     */
    static final String[] SMALL_CACHE = {"--metatile", "2", "--budget", "4m", "--tile-budget", "0"};

    /** The 64 tiles of zoom 6 at the world's top-left corner: 16 metatiles of 2x2. */
    static Map<TileAddress, byte[]> cheapTiles(TestServer server) {
        Map<TileAddress, byte[]> expected = new LinkedHashMap<>();
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                TileAddress tile = new TileAddress(6, x, y);
                HttpResponse<byte[]> response = server.get("/tiles/" + tile + ".png");
                assertEquals(200, response.statusCode(), tile.toString());
                TestServer.assertMandelbrot(tile, TestServer.decode(response.body()));
                expected.put(tile, response.body());
            }
        }
        return expected;
    }

    /** Waits until {@code server} has stored {@code metatiles} rendered metatiles in Redis. */
    static void awaitPublished(TestServer server, long metatiles) {
        await(() -> server.server.fleet().counts().metatilesWritten() >= metatiles, Duration.ofSeconds(30),
                () -> "published " + server.server.fleet().counts().metatilesWritten() + " of " + metatiles);
    }

    static void awaitState(TestServer server, String state, Duration within) {
        await(() -> state.equals(server.server.fleet().state()), within,
                () -> "fleet tier " + server.server.fleet().state() + ", not " + state);
    }

    static void await(BooleanSupplier condition, Duration within, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> what.get() + " after " + within);
            sleep(Duration.ofMillis(20));
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
