/**
 * pixmap-cache: an off-heap cache for decoded images with QPixmapCache semantics.
 *
 * <p>Two packages are exported: the API {@code io.github.pixmapcache} and image I/O
 * {@code io.github.pixmapcache.imageio}. The engine ({@code internal.*}) is not, and its restricted
 * FFM calls need {@code --enable-native-access=io.github.pixmapcache}. {@code java.desktop} is read
 * only where present ({@code requires static}), so that image I/O adds no AWT to a user's module
 * graph; PNG encoding needs none. It is also {@code transitive}: image I/O's signatures name
 * {@code BufferedImage}, so a module that uses them reads {@code java.desktop} through this one.
 */
module io.github.pixmapcache {
    requires jdk.jfr;
    requires static transitive java.desktop;

    exports io.github.pixmapcache;
    exports io.github.pixmapcache.imageio;
}
