package io.github.pixmapcache.server.encoded;

import io.github.pixmapcache.CacheStats;
import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapAllocator;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import io.github.pixmapcache.PixmapLoader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.eclipse.jetty.io.ByteBufferPool;

/**
 * An {@link EncodedTier} in native memory: each value is a one-row {@link PixelFormat#GRAY_8} pixmap
 * in a {@link PixmapCache}, one byte per pixel, as wide as the value is long. The bytes never live on
 * the heap longer than their encode, so the young collector never copies them. A {@link #body} is
 * a copy of the bytes, made inside the cache's {@code read} (the value pinned only for that memcpy, on
 * the calling thread, with no lease to close), into a direct buffer of Jetty's pool that the body gives
 * back when it is closed: no heap copy, and a body never pins the cache's memory, so an eviction
 * racing a write frees the value at once and the write still sends the complete old bytes. Single
 * flight is the cache's {@code computeIfAbsent}.
 *
 * <pre>{@code
 * EncodedTier<TileKey> tiles = new NativeEncodedTier<>("tiles", 256L << 20);
 * EncodedBody body = tiles.body(key, k -> encoder.encode(...), request.getComponents().getByteBufferPool());
 * response.write(true, body.buffer(), Callback.from(body::close, callback));
 * }</pre>
 *
 * @param <K> the key: must carry everything the bytes depend on (address, format, renderer version)
 */
public final class NativeEncodedTier<K> implements EncodedTier<K> {
    private final String name;
    private final long maximumBytes;
    private final TierCounters counters = new TierCounters();
    private final PixmapCache<K> cache;
    /** Bodies made and not closed yet. */
    private final LongAdder openBodies = new LongAdder();
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
    public EncodedBody body(K key, Function<? super K, byte[]> encode, ByteBufferPool buffers) {
        Objects.requireNonNull(encode, "encode");
        Objects.requireNonNull(buffers, "buffers");
        EncodedBody cached = cache.read(key, value -> PooledBody.copyOf(value.segment(), value.width(), buffers, openBodies));
        if (cached != null) {
            counters.hits.increment();
            return cached;
        }
        try (PixmapLease lease = miss(key, encode)) {
            Pixmap value = lease.pixmap();
            return PooledBody.copyOf(value.segment(), value.width(), buffers, openBodies);
        }
    }

    @Override
    public byte[] get(K key, Function<? super K, byte[]> encode) {
        Objects.requireNonNull(encode, "encode");
        byte[] cached = cache.read(key, NativeEncodedTier::bytesOf);
        if (cached != null) {
            counters.hits.increment();
            return cached;
        }
        try (PixmapLease lease = miss(key, encode)) {
            return bytesOf(lease.pixmap());
        }
    }

    /** A lookup that found no value: a lease on the value encoded here, or by a caller before us. */
    private PixmapLease miss(K key, Function<? super K, byte[]> encode) {
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
        byte[] cached = cache.read(key, NativeEncodedTier::bytesOf);
        (cached != null ? counters.hits : counters.misses).increment();
        return cached;
    }

    /**
     * Never waits: a key being encoded (or cached) is skipped, as in the heap tier. The fleet's publisher
     * calls this while requests for the same tiles may be waiting on the fleet for that publisher;
     * joining their flight ({@code computeIfAbsent}) stalled both until the fleet lock's TTL ran out.
     * An encode that starts between the check and the insert caches the same bytes (the key names them).
     */
    @Override
    public boolean putIfAbsent(K key, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (encoding.contains(key) || isCached(key)) {
            return false;
        }
        boolean cached;
        try (Arena scratch = Arena.ofConfined()) {
            cached = cache.insert(key, pixmapOf(bytes, (width, height, format) -> Pixmap.allocate(scratch, width, height, format)));
        }
        if (cached) {
            counters.puts.increment();
        }
        return cached;
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

    /** Frees every value (one being read now when its read ends); bodies still open are copies and stay readable. */
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

    /** {@return the bodies made and not closed yet (each holds a buffer of the pool): 0 once every write has ended} */
    public long openBodies() {
        return openBodies.sum();
    }

    /**
     * {@return the bytes of values out of the tier (evicted, invalidated) still pinned}: only while a
     * read copies them, as bodies hold copies.
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
        Pixmap pixmap = allocator.allocateConfined(bytes.length, 1, PixelFormat.GRAY_8);  // written here only
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
}
