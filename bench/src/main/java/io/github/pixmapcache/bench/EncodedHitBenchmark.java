package io.github.pixmapcache.bench;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import io.github.pixmapcache.server.encoded.EncodedBody;
import io.github.pixmapcache.server.encoded.HeapEncodedTier;
import io.github.pixmapcache.server.encoded.NativeEncodedTier;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;
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
 * The tile server's hot hit on the encoded tier (issue 21): what it costs to get one cached tile's
 * bytes ready for Jetty's write, and to let go of them when the write ends, minus the write itself.
 * <ul>
 * <li>{@code heap}: {@link HeapEncodedTier} (Caffeine of {@code byte[]}); the body wraps the array.</li>
 * <li>{@code nativeCopy}: {@link NativeEncodedTier} as built: the cache's {@code read} pins the value
 *     for one memcpy into a direct buffer of Jetty's pool, given back on close.</li>
 * <li>{@code nativeSharedLease}: the design it replaced, rebuilt on the core API: {@code find}, then
 *     {@code share()} (Jetty may finish the write on another thread), a buffer view, and the shared
 *     lease's close, a handshake with every thread.</li>
 * <li>{@code nativeConfinedLease}: the cache side of the other candidate (a confined lease closed after
 *     a blocking write on the request's thread): {@code find}, a buffer view, close.</li>
 * </ul>
 * Run with {@code -t 1} and {@code -t 2}: a shared close's handshake grows with the threads running.
 */
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {ForkArgs.NATIVE_ACCESS, ForkArgs.MIN_HEAP, ForkArgs.MAX_HEAP})
@Threads(1)
@State(Scope.Benchmark)
public class EncodedHitBenchmark {
    private static final String KEY = "hot";

    /** The tile's PNG length: a plain-colour tile, and a detailed Mandelbrot tile at PNG level 1. */
    @Param({"4096", "32768"})
    public int bytes;

    private final ByteBufferPool pool = new ArrayByteBufferPool();
    private HeapEncodedTier<String> heap;
    private NativeEncodedTier<String> nativeTier;
    private PixmapCache<String> leases;
    private Function<String, byte[]> encode;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] png = new byte[bytes];
        java.util.Arrays.fill(png, (byte) 7);
        encode = key -> png;
        heap = new HeapEncodedTier<>("heap", 1 << 20);
        nativeTier = new NativeEncodedTier<>("native", 1 << 20);
        heap.get(KEY, encode);
        nativeTier.get(KEY, encode);
        leases = PixmapCache.<String>builder().maximumBytes(1 << 20).build();
        leases.computeIfAbsent(KEY, (key, allocator) -> allocator.allocate(bytes, 1, PixelFormat.GRAY_8)).close();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        heap.close();
        nativeTier.close();
        leases.close();
    }

    @Benchmark
    public int heap() {
        try (EncodedBody body = heap.body(KEY, encode, pool)) {
            return body.buffer().remaining();
        }
    }

    @Benchmark
    public int nativeCopy() {
        try (EncodedBody body = nativeTier.body(KEY, encode, pool)) {
            return body.buffer().remaining();
        }
    }

    @Benchmark
    public int nativeSharedLease() {
        PixmapLease shared;
        try (PixmapLease lease = leases.find(KEY)) {
            shared = lease.share();
        }
        try (shared) {
            return view(shared.pixmap()).remaining();
        }
    }

    @Benchmark
    public int nativeConfinedLease() {
        try (PixmapLease lease = leases.find(KEY)) {
            return view(lease.pixmap()).remaining();
        }
    }

    private static ByteBuffer view(Pixmap value) {
        return value.segment().asSlice(0, value.width()).asByteBuffer();
    }
}
