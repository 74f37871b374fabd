package io.github.pixmapcache.server.iiif;

/** Rows of decoded pixels at one level, as premultiplied ARGB. */
interface RowSource extends AutoCloseable {
    /** Copies pixels {@code x .. x + line.length - 1} of row {@code y} into {@code line}. */
    void row(int y, int x, int[] line);

    /** Releases what the rows were read from. */
    @Override
    void close();
}
