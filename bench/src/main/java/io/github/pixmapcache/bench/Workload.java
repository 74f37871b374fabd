package io.github.pixmapcache.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The read-only inputs shared by every thread of a benchmark: the pixmap size (a JMH parameter),
 * its {@link Dataset}, the entry names and the Zipf sequence of entry indexes that threads walk
 * with their own {@link KeyCursor}.
 */
@State(Scope.Benchmark)
public class Workload {
    /** Side length of the square pixmaps: 64x64 (16 KiB), 256x256 (256 KiB), 1024x1024 (4 MiB). */
    @Param({"64", "256", "1024"})
    public int side;

    private Dataset dataset;
    private String[] names;
    private ZipfKeys keys;

    @Setup
    public void setUp() {
        dataset = Dataset.ofSide(side);
        names = dataset.names();
        keys = dataset.zipfKeys();
    }

    public Dataset dataset() {
        return dataset;
    }

    /** The entry index at the cursor's next position. */
    public int nextIndex(KeyCursor cursor) {
        return keys.at(cursor.next());
    }

    /** The entry index at {@code position} of the Zipf sequence; any int wraps around it. */
    public int indexAt(int position) {
        return keys.at(position);
    }

    /** The name of entry {@code index}. */
    public String name(int index) {
        return names[index];
    }

    /** The name of the entry at the cursor's next position. */
    public String nextName(KeyCursor cursor) {
        return names[nextIndex(cursor)];
    }
}
