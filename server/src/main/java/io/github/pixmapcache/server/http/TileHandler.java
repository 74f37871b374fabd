package io.github.pixmapcache.server.http;

import io.github.pixmapcache.PixmapAllocationException;
import io.github.pixmapcache.server.ServerConfig;
import io.github.pixmapcache.server.metrics.ServerMetrics;
import io.github.pixmapcache.server.tiles.Overloaded;
import io.github.pixmapcache.server.tiles.TileAddress;
import io.github.pixmapcache.server.tiles.TileSource;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The routes: {@code /tiles/{z}/{x}/{y}.png}, {@code /stats}, {@code /metrics}, {@code /health}, and
 * the map page with Leaflet. GET and HEAD only. Every refusal is a status with a short text body; a
 * failure while producing one tile is a 500 for that request alone.
 */
public final class TileHandler extends Handler.Abstract {
    private static final System.Logger LOG = System.getLogger(TileHandler.class.getName());
    /** Tiles never change for a given address and picture, so clients and proxies may keep them a day. */
    private static final String TILE_CACHE_CONTROL = "public, max-age=86400";
    /** The default picture's version (see {@link ServerConfig.PictureKind#version}); ETags and every tier key by it. */
    public static final String PICTURE_VERSION = ServerConfig.PictureKind.MANDELBROT.version();
    /** Seconds a client should wait after a 503 before asking again. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private final TileSource tiles;
    private final String version;
    private final ServerMetrics metrics;
    private final Supplier<String> stats;
    private final Supplier<String> health;
    private final StaticAssets assets = new StaticAssets();

    /**
     * @param version names the picture: the ETag's prefix
     * @param stats   the JSON for {@code /stats}, made fresh for each request
     * @param health  the text for {@code /health} (status 200 while the server answers), made fresh for each request
     */
    public TileHandler(TileSource tiles, String version, ServerMetrics metrics, Supplier<String> stats,
                       Supplier<String> health) {
        this.tiles = tiles;
        this.version = version;
        this.metrics = metrics;
        this.stats = stats;
        this.health = health;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        String route = route(path);
        Callback timed = Callback.from(callback, () -> metrics.recordRequest(method, route, response.getStatus(),
                System.nanoTime() - start));
        try {
            if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                throw new HttpFailure(405, "only GET and HEAD are allowed: " + method);
            }
            if (hasDotSegment(path)) {
                throw new HttpFailure(400, "no . or .. segments in a path: " + path);
            }
            boolean head = HttpMethod.HEAD.is(method);
            switch (route) {
                case "tiles" -> tile(request, response, timed, TilePath.parse(path), head);
                case "stats" -> Responses.send(response, timed, head, "application/json", utf8(stats.get()));
                case "metrics" -> Responses.send(response, timed, head, "text/plain; version=0.0.4; charset=utf-8",
                        utf8(metrics.scrape()));
                case "health" -> Responses.send(response, timed, head, "text/plain; charset=utf-8", utf8(health.get()));
                default -> {
                    StaticAssets.Asset asset = assets.get(path);
                    if (asset == null) {
                        throw new HttpFailure(404, "no such page: " + path);
                    }
                    Responses.send(response, timed, head, asset.contentType(), asset.bytes());
                }
            }
        } catch (HttpFailure e) {
            Responses.fail(response, timed, e.status(), e.getMessage());
        } catch (Overloaded | PixmapAllocationException e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
            Responses.fail(response, timed, 503, e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "request " + method + " " + path + " failed", e);
            Responses.fail(response, timed, 500, "could not produce " + path + ": " + e);
        }
        return true;
    }

    /** The route's name, for the latency histogram's tag (never the raw path: its values must stay few). */
    private static String route(String path) {
        if (path.startsWith(TilePath.PREFIX)) {
            return "tiles";
        }
        return switch (path) {
            case "/stats", "/metrics", "/health" -> path.substring(1);
            default -> "page";
        };
    }

    private void tile(Request request, Response response, Callback callback, TileAddress tile, boolean head) {
        String etag = "\"" + version + "-" + tile.z() + "-" + tile.x() + "-" + tile.y() + "\"";
        response.getHeaders().put(HttpHeader.ETAG, etag);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, TILE_CACHE_CONTROL);
        if (matches(request.getHeaders().get(HttpHeader.IF_NONE_MATCH), etag)) {
            response.setStatus(304);
            response.write(true, null, callback);
            return;
        }
        Responses.send(response, callback, head, "image/png",
                tiles.body(tile, request.getComponents().getByteBufferPool()));
    }

    /** Paths are matched as sent, never resolved, so a dot segment is refused rather than interpreted. */
    private static boolean hasDotSegment(String path) {
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9110 13.1.2: {@code *}, or any listed tag equal under weak comparison. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
