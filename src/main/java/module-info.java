/**
 * pixmap-cache: an off-heap cache for decoded images with QPixmapCache semantics.
 *
 * <p>Two packages are exported: the API {@code io.github.pixmapcache} and image I/O
 * {@code io.github.pixmapcache.imageio}. The engine ({@code internal.*}) is not, and its restricted
 * FFM calls need {@code --enable-native-access=io.github.pixmapcache}. {@code java.desktop} is read
 * only where present ({@code requires static}): a user who never decodes files needs no AWT.
 */
module io.github.pixmapcache {
    requires org.apache.commons.lang3;
    requires static java.desktop;

    exports io.github.pixmapcache;
    exports io.github.pixmapcache.imageio;
}
