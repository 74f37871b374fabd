package io.github.pixmapcache.bench.replay;

import java.nio.file.Path;

/** A trace file that does not follow its format; the message names the file and the line or byte offset. */
final class MalformedTraceException extends RuntimeException {
    MalformedTraceException(Path file, String where, String problem) {
        super(file + ":" + where + ": " + problem);
    }
}
