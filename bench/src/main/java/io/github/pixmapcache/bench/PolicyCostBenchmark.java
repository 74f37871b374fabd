package io.github.pixmapcache.bench;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the eviction policy costs per request, as a cache sees it: a find per request and, on a
 * miss, an insert that evicts, over Zipf-distributed keys (s = 0.9, {@value #NAMES} names) in a
 * cache that holds about a tenth of them. Sizes are one-row {@code GRAY_8} pixmaps, small so that
 * copying does not hide the policy: {@code uniform} gives every name 256 bytes (the default policy
 * is Window-TinyLFU then), {@code varied} gives each a size drawn log-uniformly from 16 to 4,096
 * bytes (the default policy is GreedyDual-Size-Frequency then, whose reads and inserts cost
 * O(log n) against Window-TinyLFU's O(1)). One thread: the policy runs under the cache lock.
 */
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {ForkArgs.NATIVE_ACCESS, ForkArgs.UNSAFE, ForkArgs.MIN_HEAP, ForkArgs.MAX_HEAP})
@Threads(1)
@State(Scope.Thread)
public class PolicyCostBenchmark {
    static final int NAMES = 100_000;

    @Param({"LRU", "WINDOW_TINY_LFU", "ADAPTIVE"})
    public EvictionPolicy policy;

    @Param({"uniform", "varied"})
    public String sizes;

    private Arena arena;
    private Pixmap[] pixmaps;
    private ZipfKeys keys;
    private PixmapCache<Integer> cache;
    private int position;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        SplittableRandom random = new SplittableRandom(24);
        pixmaps = new Pixmap[NAMES];
        long footprint = 0;
        for (int i = 0; i < NAMES; i++) {
            int width = sizes.equals("uniform") ? 256 : (int) Math.round(Math.pow(2, 4 + 8 * random.nextDouble()));
            pixmaps[i] = Pixmap.allocate(arena, width, 1, PixelFormat.GRAY_8);
            footprint += pixmaps[i].byteSize();
        }
        keys = ZipfKeys.of(NAMES, 0.9, 24);
        cache = PixmapCache.<Integer>builder().maximumBytes(footprint / 10).evictionPolicy(policy).build();
        for (int i = 0; i < ZipfKeys.LENGTH; i++) {  // warm: the policy has adapted before measuring
            request();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        cache.close();
        arena.close();
    }

    /** One request: a find, and an insert on a miss. */
    @Benchmark
    public boolean request() {
        int name = keys.at(position++);
        try (PixmapLease lease = cache.find(name)) {
            if (lease != null) {
                return true;
            }
        }
        return !cache.insert(name, pixmaps[name]);
    }
}
