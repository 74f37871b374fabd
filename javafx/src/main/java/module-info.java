/**
 * JavaFX images over pixmap-cache pixmaps, without a copy: {@link io.github.pixmapcache.javafx.PixmapImage}
 * views a cached pixmap's memory and keeps it pinned while the image is reachable;
 * {@link io.github.pixmapcache.javafx.UpdatableImage} keeps pixels of its own and shows a replaced
 * entry in place.
 *
 * <p>Only {@code io.github.pixmapcache.javafx} is exported. Run with
 * {@code --enable-native-access=io.github.pixmapcache,javafx.graphics}.
 */
module io.github.pixmapcache.javafx {
    requires transitive io.github.pixmapcache;
    requires transitive javafx.graphics;

    exports io.github.pixmapcache.javafx;
}
