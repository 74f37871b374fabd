package io.github.pixmapcache.server.iiif;

/** A request the IIIF service refuses: the status the Image API names and a short text body. */
final class IiifFailure extends RuntimeException {
    private static final long serialVersionUID = 1;

    private final int status;

    IiifFailure(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static IiifFailure badRequest(String message) {
        return new IiifFailure(400, message);
    }

    int status() {
        return status;
    }
}
