package io.github.pixmapcache.server.iiif;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Rows of decoded pixels at one level, as premultiplied ARGB. */
interface RowSource extends AutoCloseable {
    /** A BGRA_8888_PRE pixel in memory as one premultiplied ARGB int. */
    ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Copies pixels {@code x .. x + line.length - 1} of row {@code y} into {@code line}. */
    void row(int y, int x, int[] line);

    /** Releases what the rows were read from. */
    @Override
    void close();
}
