package io.github.pixmapcache.bench;

import io.github.pixmapcache.Pixmap;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One thread's pixels to insert: a decoded pixmap of the run's size in native memory (as a
 * decoder would leave it), the same pixels as a {@code byte[]} for OHC, which copies from the
 * heap, and a native block of the same size as the target of the raw copy.
 */
@State(Scope.Thread)
public class Source {
    Pixmap pixmap;
    byte[] bytes;
    MemorySegment copyTarget;
    private Arena arena;

    @Setup
    public void setUp(Workload workload) {
        arena = Arena.ofShared();
        pixmap = workload.dataset().pixmap(arena, 1);
        bytes = Dataset.bytesOf(pixmap);
        copyTarget = arena.allocate(pixmap.byteSize(), 64);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }
}
