package io.github.pixmapcache.javafx.demo;

import javafx.scene.Group;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;

/**
 * A virtual grid of thumbnails: a fixed pool of image views, one per cell that can be visible,
 * reassigned as the grid scrolls, so that only visible thumbnails are referenced by the scene.
 */
final class GalleryGrid extends Group {
    private static final int GAP = 8;

    private final ThumbnailSource source;
    private final int images;
    private final int columns;
    private final int cellWidth;
    private final int cellHeight;
    private final ImageView[] cells;
    private final int[] shownIndex;

    GalleryGrid(ThumbnailSource source, int images, int thumbWidth, int thumbHeight, double width, double height) {
        this.source = source;
        this.images = images;
        this.cellWidth = thumbWidth + GAP;
        this.cellHeight = thumbHeight + GAP;
        this.columns = Math.max(1, (int) (width / cellWidth));
        int rows = (int) Math.ceil(height / cellHeight) + 1;
        this.cells = new ImageView[rows * columns];
        this.shownIndex = new int[cells.length];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = new ImageView();
            cells[i].setLayoutX(GAP / 2.0 + (i % columns) * cellWidth);
            shownIndex[i] = -1;
        }
        getChildren().addAll(cells);
    }

    /** The scroll offset, in pixels, at which the last row is at the top. */
    double maxOffset() {
        return (double) ((images - 1) / columns) * cellHeight;
    }

    double rowHeight() {
        return cellHeight;
    }

    /** Shows the grid scrolled down by {@code offset} pixels; a cell whose thumbnail changes gets its image. */
    void scrollTo(double offset) {
        int firstRow = (int) (offset / cellHeight);
        int rows = cells.length / columns;
        for (int i = 0; i < cells.length; i++) {
            // Cell i always shows rows congruent to i / columns modulo rows: a row scrolled in reuses the
            // cells of the row that scrolled out, and the others keep their images.
            int slotRow = i / columns;
            int row = firstRow + Math.floorMod(slotRow - firstRow, rows);
            int index = row * columns + i % columns;
            ImageView cell = cells[i];
            if (index >= images) {
                show(i, null, -1);
                continue;
            }
            if (shownIndex[i] != index) {
                show(i, source.image(index), index);
            }
            cell.setLayoutY(GAP / 2.0 + row * cellHeight - offset);
        }
        source.frameDone();
    }

    private void show(int cell, Image image, int index) {
        Image before = cells[cell].getImage();
        cells[cell].setImage(image);
        shownIndex[cell] = index;
        if (before != null) {
            source.dropped(before);
        }
    }
}
