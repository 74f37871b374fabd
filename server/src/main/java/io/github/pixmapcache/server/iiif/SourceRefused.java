package io.github.pixmapcache.server.iiif;

import java.nio.file.Path;

/**
 * A source file that cannot be served: corrupt, truncated, of an unknown format or above the limits.
 * Its message goes to the client, so it names the file without its folder and is cut short.
 */
final class SourceRefused extends RuntimeException {
    private static final long serialVersionUID = 1;
    /** A decoder's message repeats itself for a damaged file (one warning per bad code); the client gets this much. */
    private static final int MAX_PROBLEM_CHARS = 200;

    SourceRefused(Path file, String problem) {
        super(message(file, problem), null, false, false);
    }

    SourceRefused(Path file, Throwable cause) {
        super(message(file, String.valueOf(cause.getMessage())), cause, false, false);
    }

    private static String message(Path file, String problem) {
        String name = String.valueOf(file.getFileName());
        String relative = problem.replace(file.toString(), name);
        if (relative.length() > MAX_PROBLEM_CHARS) {
            relative = relative.substring(0, MAX_PROBLEM_CHARS) + "...";
        }
        return "the source " + name + " cannot be served: " + relative;
    }
}
