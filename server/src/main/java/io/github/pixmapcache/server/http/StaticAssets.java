package io.github.pixmapcache.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The map page and Leaflet (from its WebJar on the class path), read once at start. A fixed table of
 * paths, so that no request path ever reaches the class loader or the file system.
 */
final class StaticAssets {
    /** One file to serve. */
    record Asset(String contentType, byte[] bytes) {
    }

    private static final String LEAFLET = "META-INF/resources/webjars/leaflet/1.9.4/dist/";
    private static final String PAGE = "io/github/pixmapcache/server/index.html";

    private final Map<String, Asset> assets = new HashMap<>();

    StaticAssets() {
        add("/", PAGE, "text/html; charset=utf-8");
        add("/index.html", PAGE, "text/html; charset=utf-8");
        add("/leaflet/leaflet.js", LEAFLET + "leaflet.js", "text/javascript; charset=utf-8");
        add("/leaflet/leaflet.css", LEAFLET + "leaflet.css", "text/css; charset=utf-8");
        for (String image : new String[] {"layers.png", "layers-2x.png", "marker-icon.png", "marker-icon-2x.png",
                "marker-shadow.png"}) {
            add("/leaflet/images/" + image, LEAFLET + "images/" + image, "image/png");
        }
    }

    /** The asset at {@code path}, or null. */
    Asset get(String path) {
        return assets.get(path);
    }

    private void add(String path, String resource, String contentType) {
        try (InputStream in = StaticAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing from the class path: " + resource);
            }
            assets.put(path, new Asset(contentType, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }
}
