package io.github.pixmapcache.server.http;

import io.github.pixmapcache.server.tiles.TileAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code /tiles/{z}/{x}/{y}.png}. Anything but plain decimal digits (a sign, a letter, an empty
 * part) is a 400; numbers that name no tile (a zoom above 22, {@code x} or {@code y} past the edge of
 * the zoom level, 10^9) are a 404, as a tile server says for a tile it does not have.
 */
final class TilePath {
    static final String PREFIX = "/tiles/";
    private static final Pattern TILE = Pattern.compile("/tiles/([^/]*)/([^/]*)/([^/]*)\\.png");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private TilePath() {
    }

    /** The tile {@code path} names; throws {@link HttpFailure} with the status to answer otherwise. */
    static TileAddress parse(String path) {
        Matcher matcher = TILE.matcher(path);
        if (!matcher.matches()) {
            throw new HttpFailure(404, "not a tile path, expected /tiles/{z}/{x}/{y}.png: " + path);
        }
        long z = number("z", matcher.group(1));
        long x = number("x", matcher.group(2));
        long y = number("y", matcher.group(3));
        if (z > TileAddress.MAX_ZOOM) {
            throw new HttpFailure(404, "no such zoom, expected 0.." + TileAddress.MAX_ZOOM + ": " + matcher.group(1));
        }
        long side = TileAddress.tilesPerSide((int) z);
        if (x >= side || y >= side) {
            throw new HttpFailure(404, "no such tile at zoom " + z + ", x and y are in 0.." + (side - 1)
                    + ": " + matcher.group(2) + "/" + matcher.group(3));
        }
        return new TileAddress((int) z, (int) x, (int) y);
    }

    private static long number(String name, String text) {
        if (!DIGITS.matcher(text).matches()) {
            throw new HttpFailure(400, name + " must be a non-negative decimal number: '" + text + "'");
        }
        // More digits than a long holds name no tile either: clamp, so that the range check answers 404.
        return text.length() > 18 ? Long.MAX_VALUE : Long.parseLong(text);
    }
}
