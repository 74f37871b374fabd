package io.github.pixmapcache.server.iiif;

import java.util.Locale;

/** The qualities of compliance level 2; {@code default} is colour. */
enum Quality {
    DEFAULT, COLOR, GRAY, BITONAL;

    static Quality parse(String text) {
        for (Quality quality : values()) {
            if (quality.name().toLowerCase(Locale.ROOT).equals(text)) {
                return quality;
            }
        }
        throw IiifFailure.badRequest("unknown quality (default, color, gray or bitonal): " + text);
    }

    /** The pixel this quality makes of an opaque {@code rgb}: itself, its Rec. 601 luma, or black or white. */
    int apply(int rgb) {
        if (this == DEFAULT || this == COLOR) {
            return rgb;
        }
        int luma = luma(rgb);
        int v = this == GRAY ? luma : luma >= 128 ? 255 : 0;
        return v << 16 | v << 8 | v;
    }

    static int luma(int rgb) {
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        return (299 * r + 587 * g + 114 * b + 500) / 1000;
    }
}
