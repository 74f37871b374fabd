package io.github.pixmapcache.server.iiif;

import java.nio.file.Path;

/** A source file that cannot be served: corrupt, truncated, of an unknown format or above the limits. */
final class SourceRefused extends RuntimeException {
    private static final long serialVersionUID = 1;

    SourceRefused(Path file, String problem) {
        super("the source " + file.getFileName() + " cannot be served: " + problem, null, false, false);
    }

    SourceRefused(Path file, Throwable cause) {
        super("the source " + file.getFileName() + " cannot be served: " + cause.getMessage(), cause, false, false);
    }
}
