/**
 * JavaFX images over cached pixmaps.
 *
 * <ul>
 *   <li>{@link io.github.pixmapcache.javafx.PixmapImage}: displays a cached {@code BGRA_8888_PRE}
 *       pixmap's own memory, without a copy, and keeps it pinned while the image is reachable.
 *   <li>{@link io.github.pixmapcache.javafx.UpdatableImage}: pixels of its own, copied once from a
 *       pixmap, then updated in place (with {@code PixelBuffer.updateBuffer}) when the entry is replaced.
 * </ul>
 *
 * <p>Both are {@link javafx.scene.image.WritableImage}s over a {@link javafx.scene.image.PixelBuffer}
 * of {@code IntArgbPre} pixels, whose views any thread may read: JavaFX reads them on the
 * Application Thread (mouse picking, {@code PixelReader}) and on the render thread (texture uploads,
 * on every rebuild, long after the first frame).
 */
package io.github.pixmapcache.javafx;
