package io.github.pixmapcache.bench;

import io.github.pixmapcache.PixmapLease;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.caffinitas.ohc.DirectValueAccess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A cache hit: look up a Zipf-popular entry of the {@link Dataset}, read one pixel, let go. Nothing
 * is ever evicted (the budget is twice the data), so every lookup hits; a miss would throw a
 * NullPointerException and fail the run. Run with {@code -t 2} for two threads.
 *
 * <p>Ours: {@code find} by name and by {@code PixmapCache.Key}, then {@code getArgb} and the
 * lease's {@code close}. Peers hold the same pixels as {@code byte[]} and read one byte: Caffeine
 * bounded by weight (so it keeps an eviction policy and records reads, as ours does), a plain
 * {@code ConcurrentHashMap} as the floor, and OHC, whose {@code get} copies the value out of its
 * native memory into a new array and whose {@code getDirect} hands out a buffer over it instead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.NATIVE_ACCESS, ForkArgs.UNSAFE, ForkArgs.MIN_HEAP, ForkArgs.MAX_HEAP})
@Threads(1)
public class FindBenchmark {

    @Benchmark
    public int findByName(Workload workload, KeyCursor cursor, Filled.Ours cached) {
        int probe = workload.dataset().probe();
        try (PixmapLease lease = cached.cache.find(workload.nextName(cursor))) {
            return lease.pixmap().getArgb(probe, probe);
        }
    }

    @Benchmark
    public int findByKey(Workload workload, KeyCursor cursor, Filled.OursAnonymous cached) {
        int probe = workload.dataset().probe();
        try (PixmapLease lease = cached.cache.find(cached.keys[workload.nextIndex(cursor)])) {
            return lease.pixmap().getArgb(probe, probe);
        }
    }

    @Benchmark
    public byte caffeineGetIfPresent(Workload workload, KeyCursor cursor, Filled.Caffeine cached) {
        return cached.cache.getIfPresent(workload.nextName(cursor))[workload.dataset().probeOffset()];
    }

    @Benchmark
    public byte concurrentHashMapGet(Workload workload, KeyCursor cursor, Filled.Map cached) {
        return cached.map.get(workload.nextName(cursor))[workload.dataset().probeOffset()];
    }

    @Benchmark
    public byte ohcGet(Workload workload, KeyCursor cursor, Filled.Ohc cached) {
        return cached.cache.get(workload.nextName(cursor))[workload.dataset().probeOffset()];
    }

    /** The value stays in OHC's memory; the offset skips the length our serializer writes first. */
    @Benchmark
    public byte ohcGetDirect(Workload workload, KeyCursor cursor, Filled.Ohc cached) throws IOException {
        try (DirectValueAccess value = cached.cache.getDirect(workload.nextName(cursor))) {
            return value.buffer().get(Integer.BYTES + workload.dataset().probeOffset());
        }
    }
}
