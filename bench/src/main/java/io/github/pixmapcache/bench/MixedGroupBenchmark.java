package io.github.pixmapcache.bench;

import io.github.pixmapcache.PixmapLease;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The 90/10 mix as a JMH {@code @Group}: per structure, nine threads find (and read a pixel) while
 * one thread inserts, each over the Zipf sequence. A group mixes threads, not operations, so the
 * insert thread's share of the operations depends on how slow an insert is; JMH reports each
 * method's time separately and the group's together. On a 2-core machine the ten threads
 * time-slice, so read the scores as relative to the peers in the same run ({@link MixedBenchmark}
 * is the per-operation mix on two threads).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {ForkArgs.NATIVE_ACCESS, ForkArgs.UNSAFE, ForkArgs.MIN_HEAP, ForkArgs.MAX_HEAP})
public class MixedGroupBenchmark {
    private static final int READERS = 9;

    @Benchmark
    @Group("ours")
    @GroupThreads(READERS)
    public int oursFind(Workload workload, KeyCursor cursor, Filled.Ours cached) {
        int probe = workload.dataset().probe();
        try (PixmapLease lease = cached.cache.find(nextName(workload, cursor))) {
            return lease.pixmap().getArgb(probe, probe);
        }
    }

    @Benchmark
    @Group("ours")
    public boolean oursInsert(Workload workload, KeyCursor cursor, Source source, Filled.Ours cached) {
        return cached.cache.insert(nextName(workload, cursor), source.pixmap);
    }

    @Benchmark
    @Group("caffeine")
    @GroupThreads(READERS)
    public byte caffeineGet(Workload workload, KeyCursor cursor, Filled.Caffeine cached) {
        return cached.cache.getIfPresent(nextName(workload, cursor))[workload.dataset().probeOffset()];
    }

    @Benchmark
    @Group("caffeine")
    public void caffeinePut(Workload workload, KeyCursor cursor, Source source, Filled.Caffeine cached) {
        cached.cache.put(nextName(workload, cursor), Dataset.bytesOf(source.pixmap));
    }

    @Benchmark
    @Group("concurrentHashMap")
    @GroupThreads(READERS)
    public byte concurrentHashMapGet(Workload workload, KeyCursor cursor, Filled.Map cached) {
        return cached.map.get(nextName(workload, cursor))[workload.dataset().probeOffset()];
    }

    @Benchmark
    @Group("concurrentHashMap")
    public void concurrentHashMapPut(Workload workload, KeyCursor cursor, Source source, Filled.Map cached) {
        cached.map.put(nextName(workload, cursor), Dataset.bytesOf(source.pixmap));
    }

    @Benchmark
    @Group("ohc")
    @GroupThreads(READERS)
    public byte ohcGet(Workload workload, KeyCursor cursor, Filled.Ohc cached) {
        return cached.cache.get(nextName(workload, cursor))[workload.dataset().probeOffset()];
    }

    @Benchmark
    @Group("ohc")
    public boolean ohcPut(Workload workload, KeyCursor cursor, Source source, Filled.Ohc cached) {
        return cached.cache.put(nextName(workload, cursor), source.bytes);
    }

    private static String nextName(Workload workload, KeyCursor cursor) {
        return workload.name(workload.indexAt(cursor.next()));
    }
}
