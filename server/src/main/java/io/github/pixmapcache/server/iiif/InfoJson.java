package io.github.pixmapcache.server.iiif;

import java.util.ArrayList;
import java.util.List;

/** The image information document (info.json) of Image API 3.0, compliance level 2. */
final class InfoJson {
    /** Tiles offered to viewers, square, in source pixels at each scale factor. */
    static final int TILE_SIZE = 512;
    /** Features beyond level 2 that this service also has. */
    private static final String EXTRA_FEATURES = "[\"mirroring\",\"sizeUpscaling\"]";

    private InfoJson() {
    }

    static String of(String id, SourceImage source, int[] scaleFactors, Limits limits) {
        List<String> sizes = new ArrayList<>();
        for (int k = scaleFactors.length - 1; k >= 0; k--) {
            long w = ((long) source.width() + scaleFactors[k] - 1) / scaleFactors[k];
            long h = ((long) source.height() + scaleFactors[k] - 1) / scaleFactors[k];
            if (limits.allows(w, h)) {
                sizes.add("{\"width\":" + w + ",\"height\":" + h + "}");
            }
        }
        StringBuilder factors = new StringBuilder();
        for (int factor : scaleFactors) {
            factors.append(factors.isEmpty() ? "" : ",").append(factor);
        }
        return "{\"@context\":\"http://iiif.io/api/image/3/context.json\","
                + "\"id\":\"" + escape(id) + "\","
                + "\"type\":\"ImageService3\","
                + "\"protocol\":\"http://iiif.io/api/image\","
                + "\"profile\":\"level2\","
                + "\"width\":" + source.width() + ",\"height\":" + source.height() + ","
                + "\"maxWidth\":" + limits.maxWidth() + ",\"maxHeight\":" + limits.maxHeight()
                + ",\"maxArea\":" + limits.maxArea() + ","
                + "\"sizes\":[" + String.join(",", sizes) + "],"
                + "\"tiles\":[{\"width\":" + TILE_SIZE + ",\"height\":" + TILE_SIZE + ",\"scaleFactors\":[" + factors + "]}],"
                + "\"extraFeatures\":" + EXTRA_FEATURES + "}";
    }

    /** A JSON string's content: quotes, backslashes and control characters escaped. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
