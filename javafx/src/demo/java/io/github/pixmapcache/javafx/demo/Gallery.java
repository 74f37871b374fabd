package io.github.pixmapcache.javafx.demo;

import java.util.concurrent.CompletableFuture;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.scene.Group;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.CornerRadii;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.stage.Stage;

/**
 * The gallery: thousands of generated thumbnails scrolling by, through the off-heap cache under a
 * budget smaller than the set ({@code --mode cache}) or, for comparison, through an on-heap LRU map
 * of plain JavaFX images ({@code --mode heap}), with an overlay of cache stats and frame times.
 * Scrolls by itself; the mouse wheel scrolls too, space pauses. With {@code --seconds N} it stops
 * after N seconds and prints its measurements as a Markdown table row.
 *
 * <p>Not an {@code Application} subclass, so that it also starts from the class path.
 */
public final class Gallery {
    private static final double WIDTH = 1280;
    private static final double HEIGHT = 720;
    private static final long OVERLAY_PERIOD_NANOS = 250_000_000L;

    private final GalleryOptions options;
    private final ThumbnailSource source;
    private final GalleryGrid grid;
    private final Measurements measurements = new Measurements();
    private final Text overlay = new Text();
    private final CompletableFuture<String> finished = new CompletableFuture<>();
    private final Stage stage = new Stage();
    private double offset;
    private double direction = 1;
    private boolean paused;

    private Gallery(GalleryOptions options) {
        this.options = options;
        Thumbnails thumbnails = new Thumbnails(options.thumbWidth(), options.thumbHeight());
        this.source = switch (options.mode()) {
            case CACHE -> new CachedThumbnails(thumbnails, options.budgetBytes(), options.release());
            case HEAP -> new HeapLruThumbnails(thumbnails, options.budgetBytes());
        };
        this.grid = new GalleryGrid(source, options.images(), options.thumbWidth(), options.thumbHeight(), WIDTH, HEIGHT);
    }

    public static void main(String[] args) {
        GalleryOptions options = GalleryOptions.parse(args);
        if (options.headless()) {  // read when the toolkit starts
            System.setProperty("glass.platform", "Headless");
            System.setProperty("prism.order", "sw");
        }
        CompletableFuture<Gallery> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(new Gallery(options).show()));
        Gallery gallery = started.join();
        String summary = gallery.finished.join();
        System.out.println(summary);
        Platform.exit();
    }

    private Gallery show() {
        overlay.setFont(Font.font("Monospaced", 13));
        overlay.setFill(Color.WHITE);
        VBox panel = new VBox(overlay);
        panel.setPadding(new Insets(6));
        panel.setBackground(new Background(new BackgroundFill(Color.color(0, 0, 0, 0.7), new CornerRadii(6), null)));
        panel.setLayoutX(8);
        panel.setLayoutY(8);
        Scene scene = new Scene(new Group(grid, panel), WIDTH, HEIGHT, Color.rgb(40, 40, 48));
        scene.setOnScroll(event -> offset = Math.clamp(offset - event.getDeltaY(), 0, grid.maxOffset()));
        scene.setOnKeyPressed(event -> paused ^= event.getCode() == KeyCode.SPACE);
        stage.setTitle("pixmap-cache gallery: " + options.mode().name().toLowerCase());
        stage.setScene(scene);
        stage.setOnHidden(event -> finish());
        grid.scrollTo(0);
        stage.show();
        new Scroller().start();
        return this;
    }

    private void finish() {
        String summary = measurements.summaryRow(options, source) + "\n" + source.status();
        source.close();
        finished.complete(summary);
    }

    /** Scrolls by itself at the options' speed, down to the end and back, and measures every frame. */
    private final class Scroller extends AnimationTimer {
        private long start = -1;
        private long last;
        private long lastOverlay;

        @Override
        public void handle(long now) {
            long workStart = System.nanoTime();
            if (start < 0) {
                start = now;
                last = now;
            }
            double seconds = (now - last) / 1e9;
            if (!paused) {
                offset += direction * options.rowsPerSecond() * grid.rowHeight() * seconds;
                if (offset >= grid.maxOffset() || offset <= 0) {
                    offset = Math.clamp(offset, 0, grid.maxOffset());
                    direction = -direction;
                }
            }
            grid.scrollTo(offset);
            if (now - lastOverlay > OVERLAY_PERIOD_NANOS) {
                overlay.setText(String.format("%s%n%s%nthumbnail %d of %d (%dx%d, %.0f MiB in all)",
                        source.status(), measurements.status(), (int) (offset / grid.rowHeight()),
                        options.images(), options.thumbWidth(), options.thumbHeight(),
                        options.setBytes() / (double) (1 << 20)));
                lastOverlay = now;
            }
            if (now > start) {
                measurements.frame(now - last, System.nanoTime() - workStart);
            }
            last = now;
            if (options.seconds() > 0 && now - start > options.seconds() * 1e9) {
                stop();
                stage.hide();
            }
        }
    }
}
