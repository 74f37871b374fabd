package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.PixmapAllocationException;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import io.github.pixmapcache.server.http.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The IIIF routes under {@value #PREFIX}: {@code {identifier}} (303 to its info.json),
 * {@code {identifier}/info.json} and {@code {identifier}/{region}/{size}/{rotation}/{quality}.{format}},
 * and the viewer's pages ({@link ViewerPages}). Other paths are left to the next handler. Every
 * answer carries CORS {@code *}; every refusal is the Image API's status with a short text body.
 */
public final class IiifHandler extends Handler.Abstract {
    /** The binding prefix of the service. */
    public static final String PREFIX = "/iiif/3/";
    private static final System.Logger LOG = System.getLogger(IiifHandler.class.getName());
    private static final String INFO_TYPE = "application/ld+json;profile=\"http://iiif.io/api/image/3/context.json\"";
    /** A source file's derivative changes only with the file, whose version is checked on every request. */
    private static final String IMAGE_CACHE_CONTROL = "public, max-age=3600";

    private final IiifService service;
    private final ViewerPages viewer;

    /** @param service the images served */
    public IiifHandler(IiifService service) {
        this.service = service;
        this.viewer = new ViewerPages(service);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        boolean iiif = path.startsWith(PREFIX) || path.equals("/iiif/3");
        if (!iiif && !viewer.serves(path)) {
            return false;
        }
        String method = request.getMethod();
        try {
            if (iiif) {
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            }
            if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                throw new IiifFailure(405, "only GET and HEAD are allowed: " + method);
            }
            boolean head = HttpMethod.HEAD.is(method);
            if (iiif) {
                iiif(request, response, callback, path, head);
            } else {
                ViewerPages.Page page = viewer.page(path);
                Responses.send(response, callback, head, page.contentType(), page.bytes());
            }
        } catch (IiifFailure e) {
            Responses.fail(response, callback, e.status(), e.getMessage());
        } catch (SourceRefused e) {
            LOG.log(Level.INFO, e.getMessage());
            Responses.fail(response, callback, 500, e.getMessage());
        } catch (PixmapAllocationException e) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            Responses.fail(response, callback, 503, "no memory for the decoded image now: " + e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.log(Level.WARNING, "request " + method + " " + path + " failed", e);
            Responses.fail(response, callback, 500, "could not produce " + path + ": " + e);
        }
        return true;
    }

    private void iiif(Request request, Response response, Callback callback, String path, boolean head) {
        String[] segments = path.length() <= PREFIX.length() ? new String[0] : path.substring(PREFIX.length()).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            segments[i] = decode(segments[i]);
        }
        switch (segments.length) {
            case 1 -> {
                if (segments[0].isEmpty()) {
                    throw new IiifFailure(404, "no identifier: " + path);
                }
                service.source(segments[0]);
                response.getHeaders().put(HttpHeader.LOCATION, base(request, segments[0]) + "/info.json");
                Responses.fail(response, callback, 303, "see " + base(request, segments[0]) + "/info.json");
            }
            case 2 -> {
                if (!segments[1].equals("info.json")) {
                    throw new IiifFailure(404, "no such resource: " + path + " (an identifier's / is written %2F)");
                }
                SourceImage source = service.source(segments[0]);
                Responses.send(response, callback, head, INFO_TYPE,
                        service.info(base(request, segments[0]), source).getBytes(StandardCharsets.UTF_8));
            }
            case 5 -> {
                ImageRequest parsed = ImageRequest.parse(segments[1], segments[2], segments[3], segments[4]);
                SourceImage source = service.source(segments[0]);
                byte[] image = service.image(source, parsed);
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, IMAGE_CACHE_CONTROL);
                response.getHeaders().put(HttpHeader.LINK, "<http://iiif.io/api/image/3/level2.json>;rel=\"profile\"");
                Responses.send(response, callback, head, parsed.format().mediaType, image);
            }
            default -> throw new IiifFailure(404, "no such resource: " + SourceFolder.printable(path)
                    + " (an identifier's / is written %2F)");
        }
    }

    /** The base URI of an image: the request's scheme and authority, the prefix, the identifier escaped. */
    private static String base(Request request, String identifier) {
        var uri = request.getHttpURI();
        String authority = uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        if (authority.contains(":") && uri.getHost().contains(":") && !uri.getHost().startsWith("[")) {
            authority = "[" + uri.getHost() + "]" + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        }
        return uri.getScheme() + "://" + authority + PREFIX + encode(identifier);
    }

    /** A path segment percent-decoded; {@code +} stays a plus. 400 for a malformed escape. */
    static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw IiifFailure.badRequest("malformed percent escape in " + SourceFolder.printable(segment));
        }
    }

    /** An identifier as one path segment: everything but unreserved characters percent-encoded. */
    static String encode(String identifier) {
        StringBuilder out = new StringBuilder();
        for (byte b : identifier.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }
}
