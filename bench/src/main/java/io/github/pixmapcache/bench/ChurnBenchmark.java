package io.github.pixmapcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import io.github.pixmapcache.PixmapCache;
import java.util.concurrent.TimeUnit;
import org.caffinitas.ohc.OHCache;
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
 * Eviction churn: every insert is of a name not in the cache, into a cache whose budget holds
 * exactly the data set's entry count, so every insert evicts the least recently used entry. Names
 * cycle through {@link #NAME_POOL} times the entry count, so a name is long gone when it comes back.
 * {@code ConcurrentHashMap} has no bound, so it has no place here.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.NATIVE_ACCESS, ForkArgs.UNSAFE, ForkArgs.MIN_HEAP, ForkArgs.MAX_HEAP})
@Threads(1)
public class ChurnBenchmark {
    static final int NAME_POOL = 4;

    @Benchmark
    public boolean insert(Names names, Source source, FullOurs cached) {
        return cached.cache.insert(names.next(), source.pixmap);
    }

    @Benchmark
    public byte[] caffeinePut(Names names, Source source, FullCaffeine cached) {
        byte[] pixels = Dataset.bytesOf(source.pixmap);
        cached.cache.put(names.next(), pixels);
        return pixels;
    }

    @Benchmark
    public boolean ohcPut(Names names, Source source, FullOhc cached) {
        return cached.cache.put(names.next(), source.bytes);
    }

    /** The names inserted, in a cycle shared by all threads. */
    @State(Scope.Benchmark)
    public static class Names {
        private String[] names;
        private int position;

        @Setup
        public void setUp(Workload workload) {
            Dataset dataset = workload.dataset();
            names = new String[NAME_POOL * dataset.entries()];
            for (int i = 0; i < names.length; i++) {
                names[i] = dataset.name(i);
            }
            position = dataset.entries();  // the first names are cached at the start
        }

        /** The next name; threads may race on the position, which only repeats or skips a name. */
        String next() {
            int next = position;
            position = next + 1 == names.length ? 0 : next + 1;
            return names[next];
        }
    }

    /** Our cache, full. */
    @State(Scope.Benchmark)
    public static class FullOurs {
        PixmapCache<String> cache;

        @Setup
        public void setUp(Workload workload) {
            Dataset dataset = workload.dataset();
            cache = Peers.ours(dataset.totalBytes());
            dataset.forEachPixmap((pixmap, i) -> cache.insert(dataset.name(i), pixmap));
            dataset.requireAllEntries("our cache", cache.size());
        }

        @TearDown
        public void tearDown() {
            cache.close();
        }
    }

    /** Caffeine, full. */
    @State(Scope.Benchmark)
    public static class FullCaffeine {
        Cache<String, byte[]> cache;

        @Setup
        public void setUp(Workload workload) {
            Dataset dataset = workload.dataset();
            cache = Peers.caffeine(dataset.totalBytes());
            dataset.forEachPixmap((pixmap, i) -> cache.put(dataset.name(i), Dataset.bytesOf(pixmap)));
            cache.cleanUp();
            dataset.requireAllEntries("Caffeine", cache.estimatedSize());
        }
    }

    /** OHC, filled to its capacity (it evicts per segment, so it may hold a few entries less). */
    @State(Scope.Benchmark)
    public static class FullOhc {
        OHCache<String, byte[]> cache;

        @Setup
        public void setUp(Workload workload) {
            Dataset dataset = workload.dataset();
            cache = Peers.ohc(dataset.totalBytes(), dataset.bytesPerEntry());
            dataset.forEachPixmap((pixmap, i) -> cache.put(dataset.name(i), Dataset.bytesOf(pixmap)));
        }

        @TearDown
        public void tearDown() throws java.io.IOException {
            cache.close();
        }
    }
}
