package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link PixmapCache#stats()} is one consistent snapshot of entries and usedBytes, even while
 * other threads insert: never above the budget, never a count from one moment beside bytes from
 * another.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StatsSnapshotTest {
    private static final long BYTES = 8 * 8 * 4;
    private static final long BUDGET = 10 * BYTES;
    private static final int SNAPSHOTS = 200_000;

    @Test
    void snapshotsDuringConcurrentInsertsAreConsistent() throws InterruptedException {
        TestAllocator allocator = new TestAllocator();
        AtomicBoolean done = new AtomicBoolean();
        try (PixmapCache<Integer> cache = allocator.<Integer>builder().maximumBytes(BUDGET)
                .evictionPolicy(EvictionPolicy.LRU).build()) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    Pixmap pixmap = Pixmap.allocate(arena, 8, 8, PixelFormat.RGBA_8888);
                    for (int key = 0; !done.get(); key++) {
                        cache.insert(key, pixmap);
                    }
                }
            });
            try {
                for (int i = 0; i < SNAPSHOTS; i++) {
                    CacheStats stats = cache.stats();
                    assertTrue(stats.usedBytes() <= BUDGET, "snapshot " + i + " over the budget: " + stats);
                    assertEquals(stats.entries() * BYTES, stats.usedBytes(), "snapshot " + i + ": " + stats);
                }
            } finally {
                done.set(true);
                writer.join();
            }
        }
        assertEquals(0, allocator.liveBytes());
    }
}
