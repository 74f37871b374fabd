package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.encoded.HeapEncodedTier;
import io.github.pixmapcache.server.encoded.NativeEncodedTier;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code --cache pixmap} writes tiles from native memory: a body is a copy in a pooled direct buffer that
 * lives until Jetty's write ends, however it ends; a stalled write pins nothing of the tier, and a client
 * that goes away mid-body leaks no buffer.
 */
class NativeTileBodyServerTest {
    private static final TileAddress TILE = new TileAddress(3, 2, 5);

    @Test
    void pixmapKeepsTilesNativelyAndCaffeineOnTheHeap() {
        try (TestServer pixmap = TestServer.start("--cache", "pixmap");
             TestServer caffeine = TestServer.start("--cache", "caffeine")) {
            assertInstanceOf(NativeEncodedTier.class, pixmap.server.encodedTier());
            assertInstanceOf(HeapEncodedTier.class, caffeine.server.encodedTier());
        }
    }

    @Test
    void aStalledWritePinsNothingOfTheTierAndAClientGoneMidBodyLeaksNoBuffer() throws Exception {
        try (TestServer server = TestServer.start("--cache", "pixmap", "--metatile", "2")) {
            NativeEncodedTier<?> tier = (NativeEncodedTier<?>) server.server.encodedTier();
            byte[] png = server.get("/tiles/" + TILE + ".png").body();
            for (int client = 0; client < 3; client++) {
                try (Socket socket = new Socket()) {
                    socket.setReceiveBufferSize(1024); // before connect: a small window, so the server's writes stall
                    socket.connect(new InetSocketAddress(server.server.uri().getHost(), server.server.uri().getPort()));
                    OutputStream out = socket.getOutputStream();
                    String request = (client == 1 ? "HEAD " : "GET ") + "/tiles/" + TILE + ".png HTTP/1.1\r\nHost: t\r\n\r\n";
                    out.write(request.repeat(client == 1 ? 50 : 2000).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (client != 1) {
                        // Never reading: the server's write stalls mid-body, its body holding a pooled copy.
                        FleetTestSupport.await(() -> stalled(tier), Duration.ofSeconds(30), () -> "no stalled write: " + tier);
                        tier.invalidateAll();
                        // The old design's shared lease pinned the value for as long as the write stalled.
                        FleetTestSupport.await(() -> tier.leasedDetachedBytes() == 0, Duration.ofSeconds(10),
                                () -> "a stalled write pins " + tier.leasedDetachedBytes() + " bytes of the tier");
                        assertTrue(tier.openBodies() > 0, "the stalled write still holds its body, a pooled copy");
                    }
                    socket.setSoLinger(true, 0); // close with a reset, mid-body
                }
            }
            tier.invalidateAll();
            FleetTestSupport.await(() -> tier.openBodies() == 0, Duration.ofSeconds(30),
                    () -> "bodies still open after the clients left: " + tier.openBodies());
            assertEquals(200, server.get("/tiles/" + TILE + ".png").statusCode());
            assertTrue(java.util.Arrays.equals(png, server.get("/tiles/" + TILE + ".png").body()));
            assertTrue(tier.numbers().hits() > 0, tier::toString);
            assertEquals(1, server.server.renders(), "every request after the first was served from the cached metatile");
        }
    }

    /** Whether a write holds a body while the server has stopped serving hits: its socket's buffers are full. */
    private static boolean stalled(NativeEncodedTier<?> tier) {
        long hits = tier.numbers().hits();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return tier.openBodies() > 0 && tier.numbers().hits() == hits;
    }
}
