package io.github.pixmapcache.bench;

import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
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
 * A cache hit in the shapes user code takes, at the default leak-detection level, beside its
 * peers in the same run: find, read the middle pixel, close. Run with {@code -t 1} and {@code -t 2}
 * (scaling), {@code -p side=64} (the 10,000 entries of 64x64) and {@code -prof gc} (B/op).
 *
 * <ul>
 *   <li>{@code helper}: a static helper with try-with-resources, as most callers write it; C2
 *       may inline the find into it and remove the lease by escape analysis.
 *   <li>{@code returned}: a lease returned from a method that is never inlined and closed by its
 *       caller: the lease always escapes, so this is the allocation without escape analysis.
 *   <li>{@code held}: a lease kept in a field until the next operation replaces it (two leases
 *       open for a moment, as in a renderer that keeps the current frame's pixmap).
 *   <li>{@code segment}: the helper, reading the byte through {@code segment()}: the one shape that
 *       makes the lease's arena and view (with escape analysis off, the lease plus 120 bytes).
 *   <li>{@code read}: {@code read(key, reader)} with a capturing lambda: no lease to close; the
 *       reader gets the lease's lazily scoped pixmap (40 bytes, no arena), which escape analysis may
 *       remove with the lambda and the boxed result where the read inlines.
 * </ul>
 *
 * <p>{@code keys}: {@code zipf} walks the shared Zipf sequence (s = 1.0) from a per-thread random
 * start; {@code hot} reads one entry only, so that every thread reads the same pixmap.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {ForkArgs.NATIVE_ACCESS, ForkArgs.UNSAFE, ForkArgs.MIN_HEAP, ForkArgs.MAX_HEAP})
@Threads(1)
public class FindShapesBenchmark {

    /** Which entries the threads read. */
    @State(Scope.Benchmark)
    public static class Keys {
        @Param({"zipf", "hot"})
        public String keys;

        private boolean hot;
        private String hotName;

        @Setup
        public void setUp(Workload workload) {
            hot = switch (keys) {
                case "zipf" -> false;
                case "hot" -> true;
                default -> throw new IllegalArgumentException("keys must be zipf or hot, was " + keys);
            };
            hotName = workload.name(workload.indexAt(0));
        }

        String next(Workload workload, KeyCursor cursor) {
            return hot ? hotName : workload.nextName(cursor);
        }
    }

    /** The lease a thread keeps between operations. */
    @State(Scope.Thread)
    public static class Held {
        PixmapLease lease;

        @TearDown(Level.Iteration)
        public void closeLease() {
            if (lease != null) {
                lease.close();
                lease = null;
            }
        }
    }

    @Benchmark
    public int helper(Workload workload, Keys keys, KeyCursor cursor, Filled.Ours cached) {
        return pixelOf(cached.cache, keys.next(workload, cursor), workload.dataset().probe());
    }

    @Benchmark
    public int returned(Workload workload, Keys keys, KeyCursor cursor, Filled.Ours cached) {
        int probe = workload.dataset().probe();
        try (PixmapLease lease = leaseOf(cached.cache, keys.next(workload, cursor))) {
            return lease.pixmap().getArgb(probe, probe);
        }
    }

    @Benchmark
    public int held(Workload workload, Keys keys, KeyCursor cursor, Filled.Ours cached, Held held) {
        int probe = workload.dataset().probe();
        PixmapLease next = cached.cache.find(keys.next(workload, cursor));
        int argb = next.pixmap().getArgb(probe, probe);
        if (held.lease != null) {
            held.lease.close();
        }
        held.lease = next;
        return argb;
    }

    @Benchmark
    public byte segment(Workload workload, Keys keys, KeyCursor cursor, Filled.Ours cached) {
        return byteOf(cached.cache, keys.next(workload, cursor), workload.dataset().probeOffset());
    }

    @Benchmark
    public int read(Workload workload, Keys keys, KeyCursor cursor, Filled.Ours cached) {
        int probe = workload.dataset().probe();
        return cached.cache.read(keys.next(workload, cursor), pixmap -> pixmap.getArgb(probe, probe));
    }

    @Benchmark
    public byte caffeineGetIfPresent(Workload workload, Keys keys, KeyCursor cursor, Filled.Caffeine cached) {
        return cached.cache.getIfPresent(keys.next(workload, cursor))[workload.dataset().probeOffset()];
    }

    @Benchmark
    public byte caffeinePoolGetIfPresent(Workload workload, Keys keys, KeyCursor cursor, Filled.CaffeinePool cached) {
        return cached.cache.getIfPresent(keys.next(workload, cursor))[workload.dataset().probeOffset()];
    }

    @Benchmark
    public byte concurrentHashMapGet(Workload workload, Keys keys, KeyCursor cursor, Filled.Map cached) {
        return cached.map.get(keys.next(workload, cursor))[workload.dataset().probeOffset()];
    }

    /** The plainest user code: a static helper with try-with-resources. */
    private static int pixelOf(PixmapCache<String> cache, String name, int probe) {
        try (PixmapLease lease = cache.find(name)) {
            return lease.pixmap().getArgb(probe, probe);
        }
    }

    /** The helper, through the segment: the lease makes its arena and view. */
    private static byte byteOf(PixmapCache<String> cache, String name, long offset) {
        try (PixmapLease lease = cache.find(name)) {
            return lease.pixmap().segment().get(ValueLayout.JAVA_BYTE, offset);
        }
    }

    /** A lease handed to the caller, which closes it; never inlined, so the lease always escapes. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    private static PixmapLease leaseOf(PixmapCache<String> cache, String name) {
        return cache.find(name);
    }
}
