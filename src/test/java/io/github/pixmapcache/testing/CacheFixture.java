package io.github.pixmapcache.testing;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.internal.leak.LeakDetector;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The native memory of one test and the check that all of it came back: a JUnit extension that
 * owns the test's {@link TestAllocator}s, the caches built on them and the arena of its source
 * pixmaps, and after each test (after the class's own {@code @AfterEach} methods, and also when the
 * test failed) closes every cache, then the arena, then asserts that no allocator has a byte or a
 * block still allocated. Register it on an instance field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final CacheFixture caches = new CacheFixture();
 * }</pre>
 *
 * <p>Each test gets its own arena, opened on first use, and its caches and extra allocators, so
 * that a {@code PER_CLASS} test instance can hold the fixture too. Engines that are not JUnit
 * Jupiter (jqwik) call {@link #closeAndAssertNothingLeaked()} from their own after-hook.
 */
public final class CacheFixture implements AfterEachCallback {
    private final Supplier<Arena> arenas;
    private Arena arena;
    private final TestAllocator allocator = new TestAllocator();
    private final List<TestAllocator> allocators = new ArrayList<>(List.of(allocator));
    private final List<PixmapCache<?>> caches = new ArrayList<>();
    private long leakedBytes;
    private int leakedBlocks;

    /** Source pixmaps in a confined arena: only the test's own thread reads them. */
    public CacheFixture() {
        this(Arena::ofConfined);
    }

    private CacheFixture(Supplier<Arena> arenas) {
        this.arenas = arenas;
    }

    /** Source pixmaps in a shared arena, for tests whose other threads read them too. */
    public static CacheFixture withSharedArena() {
        return new CacheFixture(Arena::ofShared);
    }

    /** The arena of this test's source pixmaps, closed after every cache. */
    public Arena arena() {
        if (arena == null) {
            arena = arenas.get();
        }
        return arena;
    }

    /** The allocator of the caches this fixture builds. */
    public TestAllocator allocator() {
        return allocator;
    }

    /** Another allocator, checked like the first after this test: for tests that build a cache per round. */
    public TestAllocator newAllocator() {
        TestAllocator another = new TestAllocator();
        allocators.add(another);
        return another;
    }

    /** A cache of the default policy over {@link #allocator()}, closed after the test. */
    public <K> PixmapCache<K> cache(long maximumBytes) {
        return track(allocator.<K>builder().maximumBytes(maximumBytes).build());
    }

    /** A cache over {@link #allocator()}, closed after the test. */
    public <K> PixmapCache<K> cache(EvictionPolicy policy, long maximumBytes) {
        return track(allocator.<K>builder().maximumBytes(maximumBytes).evictionPolicy(policy).build());
    }

    /**
     * As {@link #cache(long)}, built with leak detection at {@code level} ({@code off}, {@code sampled}
     * or {@code all}): the system property is set only while the cache is built, then restored.
     */
    public <K> PixmapCache<K> cacheAtLeakLevel(String level, long maximumBytes) {
        return atLeakLevel(level, () -> cache(maximumBytes));
    }

    /** As {@link #cache(EvictionPolicy, long)}, built with leak detection at {@code level}. */
    public <K> PixmapCache<K> cacheAtLeakLevel(String level, EvictionPolicy policy, long maximumBytes) {
        return atLeakLevel(level, () -> cache(policy, maximumBytes));
    }

    private static <K> PixmapCache<K> atLeakLevel(String level, Supplier<PixmapCache<K>> build) {
        String before = System.getProperty(LeakDetector.LEVEL_PROPERTY);
        System.setProperty(LeakDetector.LEVEL_PROPERTY, level);
        try {
            return build.get();
        } finally {
            if (before == null) {
                System.clearProperty(LeakDetector.LEVEL_PROPERTY);
            } else {
                System.setProperty(LeakDetector.LEVEL_PROPERTY, before);
            }
        }
    }

    /** Closes {@code cache} with the others after the test; closing it earlier is fine. */
    public <K> PixmapCache<K> track(PixmapCache<K> cache) {
        caches.add(cache);
        return cache;
    }

    /**
     * A block of {@code bytes} that the test leaks on purpose and no close can return (a lease
     * dropped with leak detection off pins its pixmap forever): the check then expects exactly the
     * blocks announced this way to be left.
     */
    public void expectLeakedBlock(long bytes) {
        leakedBytes += bytes;
        leakedBlocks++;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeAndAssertNothingLeaked();
    }

    /** Closes every cache, then the arena; then no allocator may hold a block but the expected leaks. */
    public void closeAndAssertNothingLeaked() {
        caches.forEach(PixmapCache::close);
        caches.clear();
        if (arena != null) {
            arena.close();
            arena = null;
        }
        long liveBytes = allocators.stream().mapToLong(TestAllocator::liveBytes).sum();
        long liveBlocks = allocators.stream().mapToLong(TestAllocator::liveBlocks).sum();
        allocators.subList(1, allocators.size()).clear();  // the first, allocator(), serves every test
        long leakedBytes = this.leakedBytes;
        int leakedBlocks = this.leakedBlocks;
        this.leakedBytes = 0;
        this.leakedBlocks = 0;
        assertAll("native memory after every cache closed",
                () -> assertEquals(leakedBytes, liveBytes, "bytes still allocated"),
                () -> assertEquals(leakedBlocks, liveBlocks, "blocks still allocated"));
    }
}
