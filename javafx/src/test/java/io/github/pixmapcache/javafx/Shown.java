package io.github.pixmapcache.javafx;

import javafx.scene.Group;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.stage.Stage;

/** A window that shows one image at its size on a transparent scene, rendered by every pulse until closed. */
final class Shown implements AutoCloseable {
    private final Stage stage;
    private final ImageView view;

    private Shown(Stage stage, ImageView view) {
        this.stage = stage;
        this.view = view;
    }

    static Shown show(Image image) {
        Shown shown = Fx.call(() -> {
            ImageView view = new ImageView(image);
            view.setPickOnBounds(false);  // picking then reads the image's alpha at the point
            Stage stage = new Stage();
            stage.setScene(new Scene(new Group(view), image.getWidth(), image.getHeight(), Color.TRANSPARENT));
            stage.show();
            return new Shown(stage, view);
        });
        Fx.awaitPulses(2);  // rendered at least once: the render thread has read the pixels
        return shown;
    }

    /** The scene as JavaFX renders it now, as IntArgbPre ints. */
    int[] snapshot() {
        WritableImage snapshot = Fx.call(() -> stage.getScene().snapshot(null));
        return Pixels.argbPre(snapshot);
    }

    /** Whether a click at the centre of pixel (x, y) would hit the image (JavaFX reads its alpha). */
    boolean picks(int x, int y) {
        return Fx.call(() -> view.contains(x + 0.5, y + 0.5));
    }

    /** Shows {@code image} instead, in the same view. */
    void replaceImage(Image image) {
        Fx.run(() -> view.setImage(image));
        Fx.awaitPulses(2);
    }

    @Override
    public void close() {
        Fx.run(() -> {
            view.setImage(null);
            stage.hide();
        });
        Fx.awaitPulses(2);  // the render thread's copy of the scene lets go of the image too
    }
}
