package io.github.pixmapcache;

import static io.github.pixmapcache.StressPixmaps.NEW;
import static io.github.pixmapcache.StressPixmaps.OLD;
import static io.github.pixmapcache.StressPixmaps.OTHER;

import io.github.pixmapcache.testing.TestAllocator;

/**
 * What the cache claims race on: a cache of string keys over a test allocator, which counts the
 * native bytes a closed cache left behind (a leak) and poisons every block it frees.
 */
final class StressCache {
    final TestAllocator allocator = new TestAllocator();
    final PixmapCache<String> cache;

    private StressCache(boolean roomForOne) {
        PixmapCache.Builder<String> builder = allocator.builder();
        cache = (roomForOne ? builder.maximumBytes(StressPixmaps.BYTES) : builder).build();
    }

    /** An empty cache of the default budget. */
    static StressCache empty() {
        return new StressCache(false);
    }

    /** A cache of the default budget, "a" holding OLD. */
    static StressCache holdingA() {
        StressCache stress = new StressCache(false);
        stress.cache.insert("a", StressPixmaps.source(OLD));
        return stress;
    }

    /** A cache whose budget holds one source pixmap, "a" holding OLD: the next insert evicts it. */
    static StressCache holdingOnlyA() {
        StressCache stress = new StressCache(true);
        stress.cache.insert("a", StressPixmaps.source(OLD));
        return stress;
    }

    /** Of a {@link #holdingOnlyA()} cache: evicts "a" (inserts "b"), clears, then inserts a pixmap that may reuse the freed memory. */
    void evictClearInsert() {
        cache.insert("b", StressPixmaps.source(NEW));
        cache.clear();
        cache.insert("c", StressPixmaps.source(OTHER));
    }

    /** Closes the cache (again, if an actor did: then it frees only what a release left deferred); the native bytes left. */
    int closeAndCountLeaks() {
        cache.close();
        return (int) allocator.liveBytes();
    }
}
