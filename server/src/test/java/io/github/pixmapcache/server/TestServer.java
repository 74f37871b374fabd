package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pixmapcache.server.tiles.Mandelbrot;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** A real tile server on an ephemeral loopback port and an HTTP client for it; close stops both. */
final class TestServer implements AutoCloseable {
    final TileServer server;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestServer(TileServer server) {
        this.server = server;
    }

    /** A server with {@code flags} (after {@code --port 0}) and these parts. */
    static TestServer start(TileServer.Parts parts, String... flags) {
        List<String> args = new ArrayList<>(List.of("--port", "0"));
        args.addAll(List.of(flags));
        ServerConfig config = ConfigParser.parse(args, Map.of()).orElseThrow();
        return new TestServer(TileServer.start(config, parts));
    }

    static TestServer start(String... flags) {
        return start(TileServer.Parts.standard(), flags);
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(request.uri().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET the tile, check it is a 200 PNG of the right size, and return it decoded. */
    BufferedImage tile(TileAddress tile) {
        HttpResponse<byte[]> response = get("/tiles/" + tile + ".png");
        assertEquals(200, response.statusCode(), () -> tile + ": " + new String(response.body()));
        return decode(response.body());
    }

    static BufferedImage decode(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(TileAddress.SIZE, image.getWidth());
            assertEquals(TileAddress.SIZE, image.getHeight());
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails unless every pixel of {@code image} is the Mandelbrot's pixel of {@code tile}, rendered directly. */
    static void assertMandelbrot(TileAddress tile, BufferedImage image) {
        for (int y = 0; y < TileAddress.SIZE; y++) {
            for (int x = 0; x < TileAddress.SIZE; x++) {
                int expected = Mandelbrot.argb(tile.z(), (long) tile.x() * TileAddress.SIZE + x,
                        (long) tile.y() * TileAddress.SIZE + y);
                int actual = image.getRGB(x, y);
                if (expected != actual) {
                    throw new AssertionError(String.format("tile %s pixel (%d, %d): expected %08x, got %08x",
                            tile, x, y, expected, actual));
                }
            }
        }
    }

    @Override
    public void close() {
        server.close();
        client.close();
    }
}
