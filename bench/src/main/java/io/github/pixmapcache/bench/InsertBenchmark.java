package io.github.pixmapcache.bench;

import java.lang.foreign.MemorySegment;
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
 * Insert throughput: put one pixmap under a Zipf-drawn name that is already cached, replacing the
 * old pixels (the budget is twice the data, so nothing is evicted). Time per insert; the report
 * turns it into GB/s with the pixmap's size.
 *
 * <p>{@code copyLimit} is the physical limit: a {@code MemorySegment.copy} of the same bytes into
 * a block that is already allocated. Ours allocates a block, copies the pixmap into it, publishes
 * it and frees the replaced one. Caffeine and {@code ConcurrentHashMap} must be given a new
 * {@code byte[]} per insert (they keep the array), copied from the decoded pixmap; OHC copies a
 * {@code byte[]} into its native memory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.NATIVE_ACCESS, ForkArgs.UNSAFE, ForkArgs.MIN_HEAP, ForkArgs.MAX_HEAP})
@Threads(1)
public class InsertBenchmark {

    @Benchmark
    public void copyLimit(Source source) {
        MemorySegment.copy(source.pixmap.segment(), 0, source.copyTarget, 0, source.pixmap.byteSize());
    }

    @Benchmark
    public boolean insert(Workload workload, KeyCursor cursor, Source source, Filled.Ours cached) {
        return cached.cache.insert(workload.nextName(cursor), source.pixmap);
    }

    @Benchmark
    public byte[] caffeinePut(Workload workload, KeyCursor cursor, Source source, Filled.Caffeine cached) {
        byte[] pixels = Dataset.bytesOf(source.pixmap);
        cached.cache.put(workload.nextName(cursor), pixels);
        return pixels;
    }

    @Benchmark
    public byte[] concurrentHashMapPut(Workload workload, KeyCursor cursor, Source source, Filled.Map cached) {
        return cached.map.put(workload.nextName(cursor), Dataset.bytesOf(source.pixmap));
    }

    @Benchmark
    public boolean ohcPut(Workload workload, KeyCursor cursor, Source source, Filled.Ohc cached) {
        return cached.cache.put(workload.nextName(cursor), source.bytes);
    }
}
