package io.github.pixmapcache.server.tiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A {@link Picture} whose every pixel is a pure function of its global coordinates and zoom, drawn
 * pixel by pixel.
 *
 * @param colour the opaque 0xAARRGGBB colour of a global pixel at a zoom
 */
public record PerPixelPicture(Colour colour) implements Picture {
    /** BGRA_8888 bytes in memory: an 0xAARRGGBB int stored little-endian. */
    private static final ValueLayout.OfInt BGRA = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The colour of one pixel. */
    @FunctionalInterface
    public interface Colour {
        /**
         * @param zoom the zoom level
         * @param px   global pixel column at that zoom
         * @param py   global pixel row at that zoom
         * @return the opaque 0xAARRGGBB colour
         */
        int argb(int zoom, long px, long py);
    }

    @Override
    public void render(MemorySegment target, long stride, int zoom, long originX, long originY,
                       int width, int rowFrom, int rowTo) {
        for (int row = rowFrom; row < rowTo; row++) {
            long rowOffset = row * stride;
            for (int column = 0; column < width; column++) {
                target.set(BGRA, rowOffset + 4L * column, colour.argb(zoom, originX + column, originY + row));
            }
        }
    }
}
