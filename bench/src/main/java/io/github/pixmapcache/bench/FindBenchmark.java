package io.github.pixmapcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cache hit: look up a Zipf-popular entry among {@link Dataset#ENTRIES} cached 64x64 pixmaps,
 * read one pixel, let go. Nothing is ever evicted (the budget is twice the data), so every lookup
 * hits; a miss would throw a NullPointerException and fail the run.
 *
 * <p>Ours: {@code find} by name and by {@link PixmapCache.Key}, then {@code getArgb} and the
 * lease's {@code close}. Peers hold the same pixels as {@code byte[]} on the heap and read one
 * byte: Caffeine bounded by weight (so it keeps an eviction policy and records reads, as ours does),
 * and a plain {@link ConcurrentHashMap} as the floor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms1g", "-Xmx1g"})
@Threads(1)
public class FindBenchmark {

    @Benchmark
    public int findByName(Workload workload, KeyCursor cursor, NamedPixmaps cached) {
        try (PixmapLease lease = cached.cache.find(workload.nextName(cursor))) {
            return lease.pixmap().getArgb(Dataset.PROBE_X, Dataset.PROBE_Y);
        }
    }

    @Benchmark
    public int findByKey(Workload workload, KeyCursor cursor, AnonymousPixmaps cached) {
        try (PixmapLease lease = cached.cache.find(cached.keys[workload.nextIndex(cursor)])) {
            return lease.pixmap().getArgb(Dataset.PROBE_X, Dataset.PROBE_Y);
        }
    }

    @Benchmark
    public byte caffeineGetIfPresent(Workload workload, KeyCursor cursor, CaffeineBytes cached) {
        return cached.cache.getIfPresent(workload.nextName(cursor))[Dataset.PROBE_OFFSET];
    }

    @Benchmark
    public byte concurrentHashMapGet(Workload workload, KeyCursor cursor, MapBytes cached) {
        return cached.map.get(workload.nextName(cursor))[Dataset.PROBE_OFFSET];
    }

    /** Our cache, every entry inserted under its name. */
    @State(Scope.Benchmark)
    public static class NamedPixmaps {
        PixmapCache<String> cache;

        @Setup
        public void setUp(Workload workload) {
            cache = PixmapCache.<String>builder().maximumBytes(Dataset.ROOMY_BUDGET).build();
            Dataset.forEachPixmap((pixmap, i) -> cache.insert(workload.name(i), pixmap));
            Dataset.requireAllEntries("our cache", cache.size());
        }

        @TearDown
        public void tearDown() {
            cache.close();
        }
    }

    /** Our cache, every entry inserted anonymously; {@code keys[i]} names entry i. */
    @State(Scope.Benchmark)
    public static class AnonymousPixmaps {
        PixmapCache<String> cache;
        PixmapCache.Key[] keys;

        @Setup
        public void setUp() {
            cache = PixmapCache.<String>builder().maximumBytes(Dataset.ROOMY_BUDGET).build();
            keys = new PixmapCache.Key[Dataset.ENTRIES];
            Dataset.forEachPixmap((pixmap, i) -> keys[i] = cache.insert(pixmap));
            Dataset.requireAllEntries("our cache", cache.size());
        }

        @TearDown
        public void tearDown() {
            cache.close();
        }
    }

    /**
     * Caffeine bounded by weight in bytes. {@code executor(Runnable::run)} runs its maintenance
     * (draining the read buffer, evicting) on the calling thread, as our cache does, instead of
     * in the common pool, where it would run beside the measured threads.
     */
    @State(Scope.Benchmark)
    public static class CaffeineBytes {
        Cache<String, byte[]> cache;

        @Setup
        public void setUp(Workload workload) {
            cache = Caffeine.newBuilder()
                    .maximumWeight(Dataset.ROOMY_BUDGET)
                    .weigher((String name, byte[] pixels) -> pixels.length)
                    .executor(Runnable::run)
                    .build();
            Dataset.forEachPixmap((pixmap, i) -> cache.put(workload.name(i), Dataset.bytesOf(pixmap)));
            cache.cleanUp();
            Dataset.requireAllEntries("Caffeine", cache.estimatedSize());
        }
    }

    /** A {@link ConcurrentHashMap} with no bound and no policy: the cost of the lookup alone. */
    @State(Scope.Benchmark)
    public static class MapBytes {
        ConcurrentHashMap<String, byte[]> map;

        @Setup
        public void setUp(Workload workload) {
            map = new ConcurrentHashMap<>();
            Dataset.forEachPixmap((pixmap, i) -> map.put(workload.name(i), Dataset.bytesOf(pixmap)));
            Dataset.requireAllEntries("ConcurrentHashMap", map.size());
        }
    }
}
