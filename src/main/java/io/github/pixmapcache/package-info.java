/**
 * The public API of pixmap-cache: {@link io.github.pixmapcache.PixmapCache}, its
 * {@link io.github.pixmapcache.Pixmap}s and {@link io.github.pixmapcache.PixmapLease}s. This is
 * the only exported package of the module {@code io.github.pixmapcache}.
 */
package io.github.pixmapcache;
