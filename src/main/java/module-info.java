/**
 * pixmap-cache: an off-heap cache for decoded images with QPixmapCache semantics.
 *
 * <p>Only {@code io.github.pixmapcache} is exported. The engine ({@code internal.*}) is not, and
 * its restricted FFM calls need {@code --enable-native-access=io.github.pixmapcache}.
 */
module io.github.pixmapcache {
    requires jdk.jfr;
    requires org.apache.commons.lang3;

    exports io.github.pixmapcache;
}
