package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.internal.memory.NativeAllocator;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Running out of Java heap inside {@code insert(Pixmap)} (the key table's heap side grows by
 * doubling, 256 MiB at its last step) fails that insert cleanly: a
 * {@link PixmapAllocationException}, the cache as it was, nothing leaked. The heap is really
 * exhausted, in a child JVM with a small {@code -Xmx}; {@link #main} checks the books there and
 * prints one line.
 */
class HeapExhaustionTest {
    private static final String VERDICT = "verdict: ";
    private static final int FULL_TABLE = 1 << 17;
    private static final int BALLAST_CHUNK = 64 << 10;
    private static final int CHUNKS_GIVEN_BACK = 4;

    // Without -UseGCOverheadLimit, ParallelGC may throw "GC overhead limit exceeded" at any small
    // allocation of a starved machine instead of at the table's large array: seen once under load.
    @Test
    void insertThatRunsOutOfHeapLeavesTheCacheAsItWasAndLeaksNothing() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx64m",
                "-XX:+UseParallelGC", "-XX:-UseGCOverheadLimit", "-Dio.github.pixmapcache.leakDetection=off", "-cp", System.getProperty("java.class.path"),
                HeapExhaustionTest.class.getName()))
                .redirectErrorStream(true)
                .start();
        if (!child.waitFor(120, TimeUnit.SECONDS)) {  // its few lines fit the pipe
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not finish");
        }
        String output;
        try (var out = child.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains(VERDICT + "clean"), output);
    }

    /**
     * In the child: fill the key table exactly (2^17 keys), fill the heap with ballast and give a
     * little back (enough for an insert's small objects, not for the table's next heap array of
     * 2^18 references), insert once more, then drop the ballast and check the books.
     */
    public static void main(String[] args) {
        CountingAllocator allocator = new CountingAllocator();
        PixmapCache<String> cache = PixmapCache.<String>builder().nativeAllocator(allocator).maximumBytes(1L << 40)
                .evictionPolicy(EvictionPolicy.LRU).build();
        Arena arena = Arena.ofConfined();
        Pixmap source = Pixmap.allocate(arena, 4, 1, PixelFormat.GRAY_8);
        for (int i = 0; i < FULL_TABLE; i++) {
            cache.insert(source);
        }
        List<byte[]> ballast = new ArrayList<>(1 << 12);
        try {
            while (true) {
                ballast.add(new byte[BALLAST_CHUNK]);
            }
        } catch (OutOfMemoryError full) {
            for (int i = 0; i < CHUNKS_GIVEN_BACK; i++) {
                ballast.removeLast();
            }
        }
        long bytesBefore = allocator.liveBytes.get();
        Throwable failure = null;
        try {
            cache.insert(source);
        } catch (Throwable t) {
            failure = t;
        }
        long bytesAfter = allocator.liveBytes.get();
        ballast.clear();
        boolean clean = failure instanceof PixmapAllocationException && cache.size() == FULL_TABLE
                && cache.usedBytes() == 4L * FULL_TABLE && bytesAfter == bytesBefore;
        cache.close();
        arena.close();
        clean &= allocator.liveBytes.get() == 0;
        System.out.println(VERDICT + (clean ? "clean" : "broken") + ": " + failure + ", native bytes "
                + bytesBefore + " before the failed insert, " + bytesAfter + " after, "
                + allocator.liveBytes.get() + " after close");
        if (failure != null && !clean) {
            failure.printStackTrace(System.out);
        }
    }

    /** The system allocator, counting live bytes without allocating on the heap. */
    private static final class CountingAllocator implements NativeAllocator {
        private final NativeAllocator system = NativeAllocator.system();
        final AtomicLong liveBytes = new AtomicLong();

        @Override
        public long allocate(long byteSize) {
            long address = system.allocate(byteSize);
            liveBytes.addAndGet(byteSize);
            return address;
        }

        @Override
        public void free(long address, long byteSize) {
            liveBytes.addAndGet(-byteSize);
            system.free(address, byteSize);
        }
    }
}
