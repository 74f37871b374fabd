package io.github.pixmapcache.server.http;

import io.github.pixmapcache.server.encoded.EncodedBody;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** The two ways the server's handlers answer a request: a body of bytes, or a short plain-text error. */
public final class Responses {
    private Responses() {
    }

    /**
     * Answers 200 with {@code body}, or only its headers for a HEAD request, and closes the body exactly
     * once when the write has ended, succeeded or failed (a client gone mid-body included), before
     * {@code callback} completes.
     *
     * @param response the response to write
     * @param callback completed when the write is
     * @param head whether the request was a HEAD
     * @param contentType the body's media type
     * @param body the bytes to send; closed here
     */
    public static void send(Response response, Callback callback, boolean head, String contentType, EncodedBody body) {
        Callback closing = Callback.from(body::close, callback);
        try {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length());
        } catch (RuntimeException | Error e) {
            body.close();
            throw e;
        }
        response.write(true, head ? null : body.buffer(), closing);
    }

    /**
     * Answers 200 with {@code body}, or only its headers for a HEAD request.
     *
     * @param response the response to write
     * @param callback completed when the write is
     * @param head whether the request was a HEAD
     * @param contentType the body's media type
     * @param body the bytes to send
     */
    public static void send(Response response, Callback callback, boolean head, String contentType, byte[] body) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? null : ByteBuffer.wrap(body), callback);
    }

    /**
     * Answers {@code status} with a one-line {@code text/plain} body naming it and {@code message},
     * dropping any validator or caching header set before the failure.
     *
     * @param response the response to write
     * @param callback completed when the write is
     * @param status the HTTP status
     * @param message what was wrong with the request
     */
    public static void fail(Response response, Callback callback, int status, String message) {
        response.getHeaders().remove(HttpHeader.ETAG);
        response.getHeaders().remove(HttpHeader.CACHE_CONTROL);
        byte[] body = PlainTextErrorHandler.body(status, message).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
