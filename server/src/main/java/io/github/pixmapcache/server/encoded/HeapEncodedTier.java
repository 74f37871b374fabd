package io.github.pixmapcache.server.encoded;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.eclipse.jetty.io.ByteBufferPool;

/**
 * An {@link EncodedTier} on the heap: Caffeine (W-TinyLFU) holding each value as an
 * on-heap {@code byte[]} weighed by its length. A hit returns the cached array itself (callers must
 * not change it); a miss runs the caller's encode on the caller's thread, once per key however many
 * callers arrive meanwhile (single flight: the others wait for its result, or its exception).
 *
 * <p>The on-heap alternative to {@link NativeEncodedTier} (docs/server.md, "The encoded tier"). Encodes in flight live in a map of their own, apart from the cache: a finished value is put
 * in the cache before its flight is removed, so a caller never finds neither; a failed encode is
 * never cached, and the next caller encodes again.
 *
 * <pre>{@code
 * EncodedTier<TileKey> tiles = new HeapEncodedTier<>("tiles", 256L << 20);
 * byte[] png = tiles.get(key, k -> encoder.encode(...));
 * tiles.bindTo(registry);      // cache.gets{cache="tiles",result="hit"|"miss"}, cache.evictions, ...
 * }</pre>
 *
 * @param <K> the key: must carry everything the bytes depend on (address, format, renderer version)
 */
public final class HeapEncodedTier<K> implements EncodedTier<K> {
    private final String name;
    private final long maximumBytes;
    private final TierCounters counters = new TierCounters();
    private final Cache<K, byte[]> cache;
    /** The encode running for each key, if any: one per key, shared by the callers that wait for it. */
    private final ConcurrentHashMap<K, CompletableFuture<byte[]>> encoding = new ConcurrentHashMap<>();
    private final LongAdder evictions = new LongAdder();

    /**
     * An empty tier.
     *
     * @param name         names the tier in its meters ({@code cache=<name>}) and messages
     * @param maximumBytes the budget: bytes of encoded values kept at most (0 keeps nothing)
     * @throws IllegalArgumentException if {@code maximumBytes} is negative
     */
    public HeapEncodedTier(String name, long maximumBytes) {
        this.name = Objects.requireNonNull(name, "name");
        this.maximumBytes = TierCounters.checkedBudget(name, maximumBytes);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maximumBytes)
                .<K, byte[]>weigher((key, bytes) -> bytes.length)
                .evictionListener((key, bytes, cause) -> {
                    if (cause.wasEvicted()) {
                        evictions.increment();
                    }
                })
                .executor(Runnable::run) // maintenance on the caller: no pool threads, deterministic counts
                .build();
    }

    /**
     * The bytes cached for {@code key}, else the result of {@code encode}, run here once for all the
     * callers asking for {@code key} meanwhile, and then cached.
     *
     * @param key    what to look up
     * @param encode makes the bytes of a missing key; must not return null
     * @return the bytes (shared: never change them)
     * @throws RuntimeException what {@code encode} threw, here and in every caller that waited for it
     */
    @Override
    public byte[] get(K key, Function<? super K, byte[]> encode) {
        Objects.requireNonNull(encode, "encode");
        byte[] cached = cache.getIfPresent(key);
        if (cached != null) {
            counters.hits.increment();
            return cached;
        }
        counters.misses.increment();
        Function<? super K, byte[]> required = k -> Objects.requireNonNull(encode.apply(k),
                () -> "the encode of " + k + " returned null");
        while (true) {
            CompletableFuture<byte[]> mine = new CompletableFuture<>();
            CompletableFuture<byte[]> running = encoding.putIfAbsent(key, mine);
            if (running == null) {
                return encodeOnce(key, required, mine);
            }
            counters.waits.increment();
            byte[] bytes = await(running);
            if (bytes != null) {
                return bytes;
            }
            // null: that flight was a fill that found nothing to encode from; claim the key again
        }
    }

    /**
     * Encodes and caches the bytes of {@code key} ahead of any request for it, unless they are cached or
     * being encoded already; {@code encode} may return null when it has nothing to encode from, and then
     * nothing is cached. Not a lookup: counts no hit and no miss. Requests for {@code key} meanwhile wait
     * for this encode, as for any other.
     *
     * @param key    what to fill
     * @param encode makes the bytes, or returns null
     * @return whether the key's bytes are cached when this returns, this call having claimed it (false: it
     *         was cached or being encoded already, or {@code encode} had nothing to encode from)
     * @throws RuntimeException what {@code encode} threw (nothing was cached)
     */
    @Override
    public boolean fill(K key, Function<? super K, byte[]> encode) {
        Objects.requireNonNull(encode, "encode");
        if (cache.asMap().containsKey(key)) {
            return false;
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        if (encoding.putIfAbsent(key, mine) != null) {
            return false;
        }
        return encodeOnce(key, encode, mine) != null;
    }

    /**
     * The flight {@code mine}, already claimed for {@code key}: the cached bytes if they arrived between
     * the caller's first look and its claim, else the encode's result, cached before the flight ends (a
     * later caller finds one or the other); null if {@code encode} returned null.
     */
    private byte[] encodeOnce(K key, Function<? super K, byte[]> encode, CompletableFuture<byte[]> mine) {
        try {
            byte[] bytes = cache.getIfPresent(key);
            if (bytes == null) {
                bytes = encode(key, encode);
                if (bytes != null) {
                    cache.put(key, bytes);
                }
            }
            mine.complete(bytes);
            return bytes;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            encoding.remove(key, mine);
        }
    }

    /** Runs one encode, timed and counted; null (nothing to encode from) is counted as no encode. */
    private byte[] encode(K key, Function<? super K, byte[]> encode) {
        long start = System.nanoTime();
        try {
            byte[] bytes = encode.apply(key);
            if (bytes != null) {
                counters.encodes.increment();
            }
            return bytes;
        } catch (RuntimeException | Error e) {
            counters.encodeFailures.increment();
            throw e;
        } finally {
            counters.encodeNanos.add(System.nanoTime() - start);
        }
    }

    /** The bytes cached for {@code key}, or null (also while they are being encoded); never encodes. */
    @Override
    public byte[] getIfPresent(K key) {
        byte[] cached = cache.getIfPresent(key);
        (cached != null ? counters.hits : counters.misses).increment();
        return cached;
    }

    /**
     * Caches {@code bytes} for {@code key} unless the key is cached or being encoded: for bytes that
     * came from elsewhere (another tier, an encode of several keys at once).
     *
     * @param key   the key
     * @param bytes its bytes (kept, not copied: never change them afterwards)
     * @return whether they were cached
     */
    @Override
    public boolean putIfAbsent(K key, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        boolean added = !encoding.containsKey(key) && cache.asMap().putIfAbsent(key, bytes) == null;
        if (added) {
            counters.puts.increment();
        }
        return added;
    }

    /** Drops every cached value (encodes running now still finish and are cached). */
    @Override
    public void invalidateAll() {
        cache.invalidateAll();
    }

    /** The name given at construction. */
    @Override
    public String name() {
        return name;
    }

    /** The budget in bytes. */
    @Override
    public long maximumBytes() {
        return maximumBytes;
    }

    /** The tier's counters now; {@code usedBytes} and {@code entries} may lag a moment behind. */
    @Override
    public Numbers numbers() {
        var eviction = cache.policy().eviction().orElseThrow();
        return counters.numbers(evictions.sum(), cache.estimatedSize(), eviction.weightedSize().orElse(0), maximumBytes);
    }

    private static byte[] await(CompletableFuture<byte[]> running) {
        try {
            return running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** The bytes of {@code key} wrapped (not copied: {@code buffers} is unused), else encoded as {@link #get}; closing the body does nothing. */
    @Override
    public EncodedBody body(K key, Function<? super K, byte[]> encode, ByteBufferPool buffers) {
        return EncodedBody.of(get(key, encode));
    }

    /** Drops every cached value: the heap tier holds nothing else. */
    @Override
    public void close() {
        invalidateAll();
    }

    @Override
    public String toString() {
        return "encoded tier " + name + " " + numbers();
    }
}
