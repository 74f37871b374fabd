package io.github.pixmapcache.server.iiif;

import java.io.Closeable;

/** Makes the encoded bytes of one planned request on one source. */
interface ImageRenderer extends Closeable {
    /** The encoded image (the plan's format) of {@code plan} over {@code source}. */
    byte[] render(SourceImage source, ImageRequest.Plan plan);

    /** Sources decoded so far, in whatever unit the renderer decodes (a strip, a region). */
    long decodes();

    /** The scale factors (powers of two) info.json offers for tiles of this source. */
    int[] scaleFactors(SourceImage source);

    @Override
    void close();
}
