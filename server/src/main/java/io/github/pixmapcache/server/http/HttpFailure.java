package io.github.pixmapcache.server.http;

/** A request the server refuses: its status and a short text body, thrown from parsing to the handler. */
final class HttpFailure extends RuntimeException {
    private static final long serialVersionUID = 1;

    private final int status;

    HttpFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
