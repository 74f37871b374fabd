package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * The caches one test builds, all allocating through one {@link TestAllocator}, and the arena of
 * its source pixmaps; {@link #closeAndAssertNothingLeaked()} ends the test's native memory.
 */
final class TestCaches {
    final Arena arena = Arena.ofConfined();
    final TestAllocator allocator = new TestAllocator();
    private final List<PixmapCache<String>> caches = new ArrayList<>();

    PixmapCache<String> cache(EvictionPolicy policy, long maximumBytes) {
        return track(allocator.<String>builder().maximumBytes(maximumBytes).evictionPolicy(policy).build());
    }

    /** Closes {@code cache} with the others after the test. */
    PixmapCache<String> track(PixmapCache<String> cache) {
        caches.add(cache);
        return cache;
    }

    void closeAndAssertNothingLeaked() {
        caches.forEach(PixmapCache::close);
        arena.close();
        assertEquals(0, allocator.liveBytes(), "native bytes still allocated after every cache closed");
    }
}
