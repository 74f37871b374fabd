package io.github.pixmapcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import io.github.pixmapcache.PixmapCache;
import java.util.concurrent.ConcurrentHashMap;
import org.caffinitas.ohc.OHCache;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Each structure under test, holding the whole {@link Dataset} of the run's size with a budget
 * twice the data, so that nothing is ever evicted; setup fails if one does not hold every entry.
 */
public final class Filled {
    private Filled() {}

    /** Our cache, every entry inserted under its name. */
    @State(Scope.Benchmark)
    public static class Ours {
        PixmapCache<String> cache;

        @Setup
        public void setUp(Workload workload) {
            Dataset dataset = workload.dataset();
            cache = Peers.ours(dataset.roomyBudget());
            dataset.forEachPixmap((pixmap, i) -> cache.insert(workload.name(i), pixmap));
            dataset.requireAllEntries("our cache", cache.size());
        }

        @TearDown
        public void tearDown() {
            cache.close();
        }
    }

    /** Our cache, every entry inserted anonymously; {@code keys[i]} names entry i. */
    @State(Scope.Benchmark)
    public static class OursAnonymous {
        PixmapCache<String> cache;
        PixmapCache.Key[] keys;

        @Setup
        public void setUp(Workload workload) {
            Dataset dataset = workload.dataset();
            cache = Peers.ours(dataset.roomyBudget());
            keys = new PixmapCache.Key[dataset.entries()];
            dataset.forEachPixmap((pixmap, i) -> keys[i] = cache.insert(pixmap));
            dataset.requireAllEntries("our cache", cache.size());
        }

        @TearDown
        public void tearDown() {
            cache.close();
        }
    }

    /** Caffeine with {@code byte[]} values weighed by length. */
    @State(Scope.Benchmark)
    public static class Caffeine {
        Cache<String, byte[]> cache;

        @Setup
        public void setUp(Workload workload) {
            Dataset dataset = workload.dataset();
            cache = Peers.caffeine(dataset.roomyBudget());
            dataset.forEachPixmap((pixmap, i) -> cache.put(workload.name(i), Dataset.bytesOf(pixmap)));
            cache.cleanUp();
            dataset.requireAllEntries("Caffeine", cache.estimatedSize());
        }
    }

    /** Caffeine as {@link Caffeine}, with its default executor (the common pool). */
    @State(Scope.Benchmark)
    public static class CaffeinePool {
        Cache<String, byte[]> cache;

        @Setup
        public void setUp(Workload workload) {
            Dataset dataset = workload.dataset();
            cache = Peers.caffeinePoolExecutor(dataset.roomyBudget());
            dataset.forEachPixmap((pixmap, i) -> cache.put(workload.name(i), Dataset.bytesOf(pixmap)));
            cache.cleanUp();
            dataset.requireAllEntries("Caffeine", cache.estimatedSize());
        }
    }

    /** A {@link ConcurrentHashMap} with no bound and no policy: the cost of the lookup alone. */
    @State(Scope.Benchmark)
    public static class Map {
        ConcurrentHashMap<String, byte[]> map;

        @Setup
        public void setUp(Workload workload) {
            Dataset dataset = workload.dataset();
            map = new ConcurrentHashMap<>();
            dataset.forEachPixmap((pixmap, i) -> map.put(workload.name(i), Dataset.bytesOf(pixmap)));
            dataset.requireAllEntries("ConcurrentHashMap", map.size());
        }
    }

    /** OHC, keys and values serialized off the heap. */
    @State(Scope.Benchmark)
    public static class Ohc {
        OHCache<String, byte[]> cache;

        @Setup
        public void setUp(Workload workload) {
            Dataset dataset = workload.dataset();
            cache = Peers.ohc(dataset.roomyBudget(), dataset.bytesPerEntry());
            dataset.forEachPixmap((pixmap, i) -> cache.put(workload.name(i), Dataset.bytesOf(pixmap)));
            dataset.requireAllEntries("OHC", cache.size());
        }

        @TearDown
        public void tearDown() throws java.io.IOException {
            cache.close();
        }
    }
}
