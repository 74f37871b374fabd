package io.github.pixmapcache.server.iiif;

import java.util.Set;

/** The output formats served: those of compliance level 2. Other formats the spec names are 400 too, as the validator expects. */
enum Format {
    JPG("image/jpeg"), PNG("image/png");

    /** Formats the Image API defines that this server does not produce. */
    private static final Set<String> KNOWN_ELSEWHERE = Set.of("tif", "gif", "pdf", "jp2", "webp");

    final String mediaType;

    Format(String mediaType) {
        this.mediaType = mediaType;
    }

    static Format parse(String text) {
        return switch (text) {
            case "jpg" -> JPG;
            case "png" -> PNG;
            default -> throw IiifFailure.badRequest(KNOWN_ELSEWHERE.contains(text)
                    ? "format not served here (jpg or png): " + text : "unknown format (jpg or png): " + text);
        };
    }
}
