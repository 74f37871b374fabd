package io.github.pixmapcache.javafx.demo;

import javafx.scene.image.Image;

/** Where the gallery gets its images: through the off-heap cache, or the plain on-heap way. */
sealed interface ThumbnailSource extends AutoCloseable permits CachedThumbnails, HeapLruThumbnails {

    /** The image of thumbnail {@code index}, rendered on a miss. Called on the Application Thread. */
    Image image(int index);

    /** The cell that showed {@code image} shows another one now. */
    void dropped(Image image);

    /** Called once per frame, after the cells got their images. */
    void frameDone();

    /** One line for the overlay: entries, bytes, hit rate. */
    String status();

    /** Lookups that found the image, out of all. */
    double hitRate();

    @Override
    void close();
}
