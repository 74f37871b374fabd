/**
 * Image files in and out of pixmaps: {@link io.github.pixmapcache.imageio.PixmapIO}.
 *
 * <p>Exported by the module {@code io.github.pixmapcache}, which reads {@code java.desktop} only
 * as {@code requires static}: PNG encoding needs nothing beyond {@code java.base}, while decoding,
 * JPEG and the {@code BufferedImage} bridge need {@code java.desktop} at run time (on the class
 * path it is always there; on the module path add {@code --add-modules java.desktop} or require it).
 */
package io.github.pixmapcache.imageio;
