package io.github.pixmapcache.server.encoded;

import io.github.pixmapcache.CacheStats;
import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocator;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import io.github.pixmapcache.PixmapLoader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * An {@link EncodedTier} in native memory: each value is a one-row {@link PixelFormat#GRAY_8} pixmap
 * in a {@link PixmapCache}, one byte per pixel, as wide as the value is long. The bytes never live on
 * the heap longer than their encode, so the young collector never copies them; a {@link #body} is a
 * shared lease on the pixmap, written from a direct buffer with no heap copy and closed when the write
 * ends. Single flight is the cache's {@code computeIfAbsent}.
 *
 * <pre>{@code
 * EncodedTier<TileKey> tiles = new NativeEncodedTier<>("tiles", 256L << 20);
 * try (EncodedBody body = tiles.body(key, k -> encoder.encode(...))) { channel.write(body.buffer()); }
 * }</pre>
 *
 * @param <K> the key: must carry everything the bytes depend on (address, format, renderer version)
 */
public final class NativeEncodedTier<K> implements EncodedTier<K> {
    private final String name;
    private final long maximumBytes;
    private final TierCounters counters = new TierCounters();
    private final PixmapCache<K> cache;
    /** Keys whose encode runs now, so that a fill skips them rather than waiting (as the heap tier does). */
    private final Set<K> encoding = ConcurrentHashMap.newKeySet();

    /**
     * An empty tier.
     *
     * @param name         names the tier in its meters ({@code cache=<name>}) and messages
     * @param maximumBytes the budget: native bytes of values kept at most, each value's length rounded
     *                     up to a multiple of 4 (0 keeps nothing)
     * @throws IllegalArgumentException if {@code maximumBytes} is negative
     */
    public NativeEncodedTier(String name, long maximumBytes) {
        this.name = Objects.requireNonNull(name, "name");
        this.maximumBytes = TierCounters.checkedBudget(name, maximumBytes);
        this.cache = PixmapCache.<K>builder().maximumBytes(maximumBytes).build();
    }

    @Override
    public EncodedBody body(K key, Function<? super K, byte[]> encode) {
        Objects.requireNonNull(encode, "encode");
        try (PixmapLease lease = lease(key, encode)) {
            return new LeasedBody(lease.share()); // shared: Jetty may finish the write on another thread
        }
    }

    @Override
    public byte[] get(K key, Function<? super K, byte[]> encode) {
        Objects.requireNonNull(encode, "encode");
        try (PixmapLease lease = lease(key, encode)) {
            return bytesOf(lease.pixmap());
        }
    }

    /** The cached value's lease (a hit), else one on the value encoded here or by a caller before us. */
    private PixmapLease lease(K key, Function<? super K, byte[]> encode) {
        PixmapLease cached = cache.find(key);
        if (cached != null) {
            counters.hits.increment();
            return cached;
        }
        counters.misses.increment();
        boolean waiting = encoding.contains(key); // counted now, so that a wait shows while it lasts
        if (waiting) {
            counters.waits.increment();
        }
        while (true) {
            Encode mine = new Encode(k -> Objects.requireNonNull(encode.apply(k),
                    () -> "the encode of " + k + " returned null"));
            try {
                PixmapLease lease = cache.computeIfAbsent(key, mine);
                if (!mine.ran && !waiting) {
                    counters.waits.increment(); // the flight had not reached its encode when this caller looked
                }
                return lease;
            } catch (NothingToEncode e) {
                // the flight we waited for was a fill that found nothing to encode from: claim the key again
            }
        }
    }

    @Override
    public boolean fill(K key, Function<? super K, byte[]> encode) {
        Objects.requireNonNull(encode, "encode");
        if (encoding.contains(key) || isCached(key)) {
            return false;
        }
        Encode mine = new Encode(encode);
        try (PixmapLease ignored = cache.computeIfAbsent(key, mine)) {
            return mine.ran;
        } catch (NothingToEncode e) {
            return false;
        }
    }

    @Override
    public byte[] getIfPresent(K key) {
        try (PixmapLease lease = cache.find(key)) {
            (lease != null ? counters.hits : counters.misses).increment();
            return lease == null ? null : bytesOf(lease.pixmap());
        }
    }

    @Override
    public boolean putIfAbsent(K key, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        boolean[] copied = {false};
        try (PixmapLease ignored = cache.computeIfAbsent(key, (k, allocator) -> {
            copied[0] = true;
            return pixmapOf(bytes, allocator);
        })) {
            if (copied[0]) {
                counters.puts.increment();
            }
            return copied[0];
        }
    }

    private boolean isCached(K key) {
        try (PixmapLease lease = cache.find(key)) {
            return lease != null;
        }
    }

    @Override
    public void invalidateAll() {
        cache.clear();
    }

    /** Frees every value not leased now; a body still open frees its value when it is closed. */
    @Override
    public void close() {
        cache.close();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long maximumBytes() {
        return maximumBytes;
    }

    @Override
    public Numbers numbers() {
        CacheStats stats = cache.stats();
        return counters.numbers(stats.evictions(), stats.entries(), stats.usedBytes(), maximumBytes);
    }

    /**
     * {@return the bytes of values out of the tier (evicted, invalidated) that bodies still pin}: 0 once
     * every body is closed.
     */
    public long leasedDetachedBytes() {
        return cache.stats().leasedDetachedBytes();
    }

    @Override
    public String toString() {
        return "native encoded tier " + name + " " + numbers();
    }

    private static byte[] bytesOf(Pixmap value) {
        return value.segment().asSlice(0, value.width()).toArray(ValueLayout.JAVA_BYTE);
    }

    private static Pixmap pixmapOf(byte[] bytes, PixmapAllocator allocator) {
        Pixmap pixmap = allocator.allocate(bytes.length, 1, PixelFormat.GRAY_8);
        MemorySegment.copy(bytes, 0, pixmap.segment(), ValueLayout.JAVA_BYTE, 0, bytes.length);
        return pixmap;
    }

    /** One caller's encode as the cache's loader: timed and counted, and whether the cache ran it. */
    private final class Encode implements PixmapLoader<K> {
        private final Function<? super K, byte[]> encode;
        /** Written by the loading thread, read by it after computeIfAbsent returns. */
        private boolean ran;

        Encode(Function<? super K, byte[]> encode) {
            this.encode = encode;
        }

        @Override
        public Pixmap load(K key, PixmapAllocator allocator) {
            ran = true;
            encoding.add(key);
            long start = System.nanoTime();
            byte[] bytes;
            try {
                bytes = encode.apply(key);
            } catch (RuntimeException | Error e) {
                counters.encodeFailures.increment();
                throw e;
            } finally {
                counters.encodeNanos.add(System.nanoTime() - start);
                encoding.remove(key);
            }
            if (bytes == null) {
                throw new NothingToEncode();
            }
            Pixmap pixmap = pixmapOf(bytes, allocator);
            counters.encodes.increment();
            return pixmap;
        }
    }

    /** A fill's encode had nothing to encode from: nothing is cached, and waiters claim the key again. */
    private static final class NothingToEncode extends RuntimeException {
        NothingToEncode() {
            super("nothing to encode from", null, false, false);
        }
    }

    /** A shared lease on one value, as a body: any thread may read and close it. */
    private record LeasedBody(PixmapLease lease) implements EncodedBody {
        @Override
        public ByteBuffer buffer() {
            Pixmap value = lease.pixmap();
            return value.segment().asSlice(0, value.width()).asByteBuffer();
        }

        @Override
        public int length() {
            return lease.pixmap().width();
        }

        @Override
        public void close() {
            lease.close();
        }
    }
}
