/**
 * The IIIF Image API 3.0 service (compliance level 2) over a folder of images, and its OpenSeadragon
 * viewer. A source is read from its file in one streamed pass ({@code RowStream}) that fills a pixmap
 * cache with strips of its pyramid, every coarser level derived from the decoded pixels
 * ({@code Pyramid}, {@code PyramidBuilder}, {@code StripDecoder}), and every request is cut, scaled
 * ({@code Resampler}) and encoded from them;
 * {@code --cache none} decodes per request instead ({@code PerRequestRenderer}). The server wires
 * {@link io.github.pixmapcache.server.iiif.IiifService} and
 * {@link io.github.pixmapcache.server.iiif.IiifHandler}; docs/iiif.md describes the routes.
 */
package io.github.pixmapcache.server.iiif;
