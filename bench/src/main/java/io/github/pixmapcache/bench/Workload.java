package io.github.pixmapcache.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The read-only inputs shared by every thread of a benchmark: the entry names and the Zipf
 * sequence of entry indexes that threads walk with their own {@link KeyCursor}.
 */
@State(Scope.Benchmark)
public class Workload {
    private String[] names;
    private ZipfKeys keys;

    @Setup
    public void setUp() {
        names = Dataset.names();
        keys = Dataset.zipfKeys();
    }

    /** The entry index at the cursor's next position. */
    public int nextIndex(KeyCursor cursor) {
        return keys.at(cursor.next());
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
