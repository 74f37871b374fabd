/**
 * Image I/O machinery behind {@link io.github.pixmapcache.imageio.PixmapIO}: the PNG encoder that
 * streams rows out of native memory, and the decoders that write {@code ImageIO} output into
 * pixmaps. The PNG encoder needs only {@code java.base}; the classes that touch AWT or
 * {@code javax.imageio} are loaded only by the methods that need them.
 *
 * <p>Internal: not exported by the module {@code io.github.pixmapcache}; no compatibility promises.
 */
package io.github.pixmapcache.internal.imageio;
