package io.github.pixmapcache.server.iiif;

/**
 * Names one cached block of decoded pixels: rows {@code strip * rowsPerStrip ...} of the source's
 * pyramid level {@code level} (scale 1 / 2^level), full width. The source's version is in it, so a
 * changed file never meets its old pixels.
 */
record StripKey(SourceImage source, int level, int strip) {
}
