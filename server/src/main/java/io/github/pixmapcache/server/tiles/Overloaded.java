package io.github.pixmapcache.server.tiles;

/** The render queue is full: the request should be retried later (HTTP 503 with Retry-After). */
public final class Overloaded extends RuntimeException {
    private static final long serialVersionUID = 1;

    Overloaded(int admitted) {
        super("render queue full: " + admitted + " renders admitted", null, false, false);
    }
}
