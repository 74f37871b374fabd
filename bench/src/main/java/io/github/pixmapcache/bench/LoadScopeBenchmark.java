package io.github.pixmapcache.bench;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import io.github.pixmapcache.PixmapLoader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the loader's shared arena costs a load (issue 10, item 8): a loader's {@code allocate}d
 * pixmaps live in one shared arena per load, so that a parallel renderer may write them from any
 * thread, and closing a shared arena is a handshake with every thread; {@code allocateConfined}'s
 * live in a confined one, closed without. {@code confinedScope} and {@code sharedScope} open an
 * arena, write through a view of one block and close it: their difference is the price of the
 * shared scope. {@code missAndLoad} is a whole computeIfAbsent miss with a loader that renders one
 * 16x16 pixel (the smallest real load) into a shared pixmap (every load before allocateConfined),
 * {@code missAndLoadConfined} the same into a confined one. {@code busy} platform threads spin in
 * compiled Java code meanwhile: each is one more thread the handshake must reach.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {ForkArgs.NATIVE_ACCESS, ForkArgs.MIN_HEAP, ForkArgs.MAX_HEAP})
@Threads(1)
@State(Scope.Thread)
public class LoadScopeBenchmark {
    private static final PixmapLoader<Long> ONE_PIXEL = (key, pixmaps) -> {
        var pixmap = pixmaps.allocate(16, 16, PixelFormat.RGBA_8888);
        pixmap.setArgb(0, 0, (int) (long) key);
        return pixmap;
    };
    private static final PixmapLoader<Long> ONE_PIXEL_CONFINED = (key, pixmaps) -> {
        var pixmap = pixmaps.allocateConfined(16, 16, PixelFormat.RGBA_8888);
        pixmap.setArgb(0, 0, (int) (long) key);
        return pixmap;
    };

    /** Threads spinning in Java code beside the benchmark thread (the handshake reaches each). */
    @Param({"0", "1", "3"})
    public int busy;

    private final List<Thread> spinners = new ArrayList<>();
    private volatile boolean stop;

    private final Arena blocks = Arena.ofShared();
    private MemorySegment block;
    private PixmapCache<Long> cache;
    private long nextKey;

    @Setup(Level.Trial)
    public void setUp() {
        block = blocks.allocate(1024, 64);
        cache = PixmapCache.<Long>builder().maximumBytes(1 << 20).evictionPolicy(EvictionPolicy.LRU).build();
        for (int i = 0; i < busy; i++) {
            Thread spinner = new Thread(this::spin, "busy-" + i);
            spinner.setDaemon(true);
            spinner.start();
            spinners.add(spinner);
        }
    }

    private void spin() {
        long x = 1;
        while (!stop) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        Blackhole.consumeCPU(x & 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        stop = true;
        for (Thread spinner : spinners) {
            spinner.join();
        }
        cache.close();
        blocks.close();
    }

    @Benchmark
    public byte confinedScope() {
        try (Arena scope = Arena.ofConfined()) {
            return touch(scope);
        }
    }

    @Benchmark
    public byte sharedScope() {
        try (Arena scope = Arena.ofShared()) {
            return touch(scope);
        }
    }

    @Benchmark
    public long missAndLoad() {
        try (PixmapLease lease = cache.computeIfAbsent(nextKey++, ONE_PIXEL)) {
            return lease.pixmap().byteSize();
        }
    }

    @Benchmark
    public long missAndLoadConfined() {
        try (PixmapLease lease = cache.computeIfAbsent(nextKey++, ONE_PIXEL_CONFINED)) {
            return lease.pixmap().byteSize();
        }
    }

    private byte touch(Arena scope) {
        MemorySegment view = block.reinterpret(scope, null);
        view.set(ValueLayout.JAVA_BYTE, 7, (byte) 1);
        return view.get(ValueLayout.JAVA_BYTE, 7);
    }
}
