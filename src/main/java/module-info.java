/**
 * pixmap-cache: an off-heap cache for decoded images with QPixmapCache semantics.
 *
 * <p>Two packages are exported: the API {@code io.github.pixmapcache} and image I/O
 * {@code io.github.pixmapcache.imageio}. The engine ({@code internal.*}) is not, and its restricted
 * FFM calls need {@code --enable-native-access=io.github.pixmapcache}. {@code java.desktop} is read
 * only where present ({@code requires static}), so that image I/O adds no AWT to a user's module
 * graph; PNG encoding needs none. (commons-lang3 3.20, which this module requires, itself requires
 * {@code java.desktop}, so today the module graph has it anyway.)
 */
module io.github.pixmapcache {
    requires org.apache.commons.lang3;
    requires static java.desktop;

    exports io.github.pixmapcache;
    exports io.github.pixmapcache.imageio;
}
