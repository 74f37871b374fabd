package io.github.pixmapcache.server.iiif;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The deep-zoom viewer: {@code /images} lists the folder's images, {@code /view/{identifier}} shows
 * one in OpenSeadragon ({@code #xywh=x,y,w,h} opens it on that rectangle of image pixels), whose
 * script and button images are served from the jar (the build takes
 * them from npm). A fixed table of asset paths: no request path reaches the class loader.
 */
final class ViewerPages {
    /** One response body. */
    record Page(String contentType, byte[] bytes) {
    }

    /** The OpenSeadragon version the build unpacks (server/pom.xml, openseadragon.version). */
    static final String OPENSEADRAGON_VERSION = "6.1.1";
    private static final String ASSETS = "openseadragon/" + OPENSEADRAGON_VERSION + "/package/build/openseadragon/";
    private static final String[] BUTTONS = {"button", "flip", "fullpage", "home", "next", "previous", "rotateleft", "rotateright",
        "zoomin", "zoomout"};
    private static final String[] BUTTON_STATES = {"grouphover", "hover", "pressed", "rest"};

    private final IiifService service;
    private final Map<String, Page> assets = new HashMap<>();

    ViewerPages(IiifService service) {
        this.service = service;
        add("/openseadragon/openseadragon.min.js", ASSETS + "openseadragon.min.js", "text/javascript; charset=utf-8");
        for (String button : BUTTONS) {
            for (String state : BUTTON_STATES) {
                String name = button + "_" + state + ".png";
                add("/openseadragon/images/" + name, ASSETS + "images/" + name, "image/png");
            }
        }
    }

    boolean serves(String path) {
        return path.equals("/images") || path.startsWith("/view/") || assets.containsKey(path);
    }

    Page page(String path) {
        Page asset = assets.get(path);
        if (asset != null) {
            return asset;
        }
        if (path.equals("/images")) {
            return html(listing());
        }
        String identifier = IiifHandler.decode(path.substring("/view/".length()));
        service.source(identifier);   // 400 or 404 before a page for nothing
        return html(viewer(identifier));
    }

    private String listing() {
        StringBuilder items = new StringBuilder();
        for (String id : service.identifiers()) {
            String encoded = IiifHandler.encode(id);
            items.append("<li><a href=\"/view/").append(encoded).append("\"><img loading=\"lazy\" alt=\"\" src=\"")
                    .append(IiifHandler.PREFIX).append(encoded).append("/full/!160,160/0/default.jpg\"><span>")
                    .append(escapeHtml(id)).append("</span></a></li>\n");
        }
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Images</title>\n"
                + "<style>body{font:14px system-ui,sans-serif;margin:1em}ul{list-style:none;padding:0;display:flex;"
                + "flex-wrap:wrap;gap:1em}li a{display:flex;flex-direction:column;align-items:center;width:170px}"
                + "img{max-width:160px;max-height:160px}</style></head>\n<body><h1>Images</h1>"
                + "<p>Each is served by the IIIF Image API 3.0 at <code>" + IiifHandler.PREFIX
                + "{identifier}/info.json</code>. <a href=\"/\">The map</a></p>\n<ul id=\"images\">\n" + items
                + "</ul></body></html>\n";
    }

    private static String viewer(String identifier) {
        String encoded = IiifHandler.encode(identifier);
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escapeHtml(identifier)
                + "</title>\n<style>html,body{margin:0;height:100%;background:#222}#viewer{position:absolute;"
                + "top:0;left:0;right:0;bottom:0}</style></head>\n<body><div id=\"viewer\"></div>\n"
                + "<script src=\"/openseadragon/openseadragon.min.js\"></script>\n<script>\n"
                + "window.viewer = OpenSeadragon({id: \"viewer\", prefixUrl: \"/openseadragon/images/\", "
                + "tileSources: \"" + IiifHandler.PREFIX + encoded + "/info.json\", showNavigator: true, "
                + "maxZoomPixelRatio: 8, "
                + "crossOriginPolicy: \"Anonymous\"});\n"
                // #xywh=x,y,w,h (image pixels) opens the viewer on that rectangle: a link to a detail.
                + "viewer.addHandler(\"open\", function () {\n"
                + "  var m = /xywh=(\\d+),(\\d+),(\\d+),(\\d+)/.exec(location.hash);\n"
                + "  if (m) { viewer.viewport.fitBounds(viewer.viewport.imageToViewportRectangle(+m[1], +m[2], +m[3], +m[4]), true); }\n"
                + "});\n"
                // The address and the title keep the rectangle drawn, so that a view can be linked as it is.
                + "var shown = \"\";\n"
                + "viewer.addHandler(\"update-viewport\", function () {\n"
                + "  var r = viewer.viewport.viewportToImageRectangle(viewer.viewport.getBounds(true));\n"
                + "  var xywh = [r.x, r.y, r.width, r.height].map(function (v) { return v.toFixed(2); }).join(\",\");\n"
                + "  if (xywh !== shown) { shown = xywh; history.replaceState(null, \"\", \"#xywh=\" + xywh.replace(/\\.\\d+/g, \"\"));"
                + " document.title = " + jsString(identifier) + " + \" #xywh=\" + xywh; }\n"
                + "});\n</script></body></html>\n";
    }

    /** {@code text} as a JavaScript string literal that is safe inside a script element. */
    private static String jsString(String text) {
        StringBuilder literal = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (Character.isLetterOrDigit(c) || c == ' ' || c == '-' || c == '_' || c == '.' || c == '/') {
                literal.append(c);
            } else {
                literal.append(String.format("\\u%04x", (int) c));
            }
        }
        return literal.append('"').toString();
    }

    private static Page html(String text) {
        return new Page("text/html; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private void add(String path, String resource, String contentType) {
        try (InputStream in = ViewerPages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing from the class path: " + resource
                        + " (the build unpacks OpenSeadragon from npm into the jar)");
            }
            assets.put(path, new Page(contentType, in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }
}
