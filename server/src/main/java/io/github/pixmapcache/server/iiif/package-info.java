/**
 * The IIIF Image API 3.0 service (compliance level 2) over a folder of images, and its OpenSeadragon
 * viewer. Sources are decoded once into a pixmap cache as strips of a pyramid ({@code Pyramid},
 * {@code StripDecoder}) and every request is cut, scaled ({@code Resampler}) and encoded from them;
 * {@code --cache none} decodes per request instead ({@code PerRequestRenderer}). The server wires
 * {@link io.github.pixmapcache.server.iiif.IiifService} and
 * {@link io.github.pixmapcache.server.iiif.IiifHandler}; docs/iiif.md describes the routes.
 */
package io.github.pixmapcache.server.iiif;
