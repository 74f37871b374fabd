package io.github.pixmapcache.bench;

import io.github.pixmapcache.PixmapLease;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A mixed load on two threads: 90% finds (read one pixel) and 10% inserts that replace a
 * Zipf-drawn entry, decided by the position in the Zipf sequence (every tenth position inserts),
 * so every structure sees the same sequence of operations.
 *
 * <p>Not a JMH {@code @Group}: a group's mix is a ratio of threads, not of operations (an insert
 * of 4 MiB is a thousand times slower than a find), and 9 + 1 threads on a 2-core machine would
 * measure the scheduler. Each thread here does the 90/10 mix itself; {@link MixedGroupBenchmark}
 * is the {@code @Group} form.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.NATIVE_ACCESS, ForkArgs.UNSAFE, ForkArgs.MIN_HEAP, ForkArgs.MAX_HEAP})
@Threads(2)
public class MixedBenchmark {
    private static final int INSERT_EVERY = 10;

    @Benchmark
    public int ours(Workload workload, KeyCursor cursor, Source source, Filled.Ours cached) {
        int position = cursor.next();
        String name = workload.name(workload.indexAt(position));
        if (isInsert(position)) {
            return cached.cache.insert(name, source.pixmap) ? 1 : 0;
        }
        int probe = workload.dataset().probe();
        try (PixmapLease lease = cached.cache.find(name)) {
            return lease.pixmap().getArgb(probe, probe);
        }
    }

    @Benchmark
    public int caffeine(Workload workload, KeyCursor cursor, Source source, Filled.Caffeine cached) {
        int position = cursor.next();
        String name = workload.name(workload.indexAt(position));
        if (isInsert(position)) {
            cached.cache.put(name, Dataset.bytesOf(source.pixmap));
            return 1;
        }
        return cached.cache.getIfPresent(name)[workload.dataset().probeOffset()];
    }

    @Benchmark
    public int concurrentHashMap(Workload workload, KeyCursor cursor, Source source, Filled.Map cached) {
        int position = cursor.next();
        String name = workload.name(workload.indexAt(position));
        if (isInsert(position)) {
            cached.map.put(name, Dataset.bytesOf(source.pixmap));
            return 1;
        }
        return cached.map.get(name)[workload.dataset().probeOffset()];
    }

    @Benchmark
    public int ohc(Workload workload, KeyCursor cursor, Source source, Filled.Ohc cached) {
        int position = cursor.next();
        String name = workload.name(workload.indexAt(position));
        if (isInsert(position)) {
            return cached.cache.put(name, source.bytes) ? 1 : 0;
        }
        return cached.cache.get(name)[workload.dataset().probeOffset()];
    }

    private static boolean isInsert(int position) {
        return Integer.remainderUnsigned(position, INSERT_EVERY) == 0;
    }
}
