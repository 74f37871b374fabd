package io.github.pixmapcache.server.encoded;

import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.io.ByteBufferPool;
import java.util.function.Function;

/**
 * Encoded responses by key, within a byte budget, each encoded once however many callers ask for it
 * meanwhile (single flight: the others wait for its result, or its exception); a failed encode is never
 * cached, and the next caller encodes again. Two homes for the bytes: {@link HeapEncodedTier} ({@code
 * byte[]} in a Caffeine) and {@link NativeEncodedTier} (native memory in a {@code PixmapCache}).
 *
 * @param <K> the key: must carry everything the bytes depend on (address, format, renderer version)
 */
public interface EncodedTier<K> extends AutoCloseable {

    /**
     * The bytes cached for {@code key}, else the result of {@code encode}, run here once for all the
     * callers asking for {@code key} meanwhile, and then cached.
     *
     * @param key    what to look up
     * @param encode makes the bytes of a missing key; must not return null
     * @return the bytes (shared by the heap tier: never change them)
     * @throws RuntimeException what {@code encode} threw, here and in every caller that waited for it
     */
    byte[] get(K key, Function<? super K, byte[]> encode);

    /**
     * As {@link #get}, but the bytes as a body to write and then close (exactly once, when the write has
     * ended, on any thread). The heap tier's body wraps the cached array; the native tier's is a copy of
     * the cached bytes in a direct buffer taken from {@code buffers} and given back when the body is
     * closed, so that the body never pins the tier's memory and an eviction meanwhile frees it at once.
     *
     * @param key     what to look up
     * @param encode  makes the bytes of a missing key; must not return null
     * @param buffers where a native tier takes the body's buffer from (the server's pool)
     * @return the body, open
     * @throws RuntimeException what {@code encode} threw, here and in every caller that waited for it
     */
    EncodedBody body(K key, Function<? super K, byte[]> encode, ByteBufferPool buffers);

    /**
     * Encodes and caches the bytes of {@code key} ahead of any request for it, unless they are cached or
     * being encoded already; {@code encode} may return null when it has nothing to encode from, and then
     * nothing is cached. Not a lookup: counts no hit and no miss. Requests for {@code key} meanwhile wait
     * for this encode, as for any other.
     *
     * @param key    what to fill
     * @param encode makes the bytes, or returns null
     * @return whether this call encoded and cached the key's bytes (false: they were cached or being
     *         encoded already, or {@code encode} had nothing to encode from)
     * @throws RuntimeException what {@code encode} threw (nothing was cached)
     */
    boolean fill(K key, Function<? super K, byte[]> encode);

    /**
     * The bytes cached for {@code key}, or null (also while they are being encoded); never encodes.
     *
     * @param key what to look up
     * @return the bytes, or null
     */
    byte[] getIfPresent(K key);

    /**
     * Caches {@code bytes} for {@code key} unless the key is cached or being encoded: for bytes that
     * came from elsewhere (another tier, an encode of several keys at once).
     *
     * @param key   the key
     * @param bytes its bytes (the heap tier keeps them, not copied: never change them afterwards)
     * @return whether they were cached
     */
    boolean putIfAbsent(K key, byte[] bytes);

    /** Drops every cached value (encodes running now still finish and are cached). */
    void invalidateAll();

    /** {@return the name given at construction} */
    String name();

    /** {@return the budget in bytes} */
    long maximumBytes();

    /** {@return the tier's counters now; {@code usedBytes} and {@code entries} may lag a moment behind} */
    Numbers numbers();

    /**
     * Binds the tier's meters to {@code registry}, tagged {@code cache=<name>}: Micrometer's common
     * cache meters plus {@code cache.load} (success/failure), {@code cache.used} and {@code cache.maximum}.
     *
     * @param registry where the meters go
     */
    default void bindTo(MeterRegistry registry) {
        new EncodedTierMetrics(this).bindTo(registry);
    }

    /** Lets go of every cached value; bodies still open stay readable until they are closed (they are copies). */
    @Override
    void close();

    /**
     * What the tier has done.
     *
     * @param hits           lookups answered from the tier, with no encode
     * @param misses         lookups that found no finished value (each then encoded, or waited for an encode)
     * @param waits          misses that waited for another caller's encode of the same key
     * @param encodes        encodes run and cached, for lookups and for {@link #fill}s
     * @param encodeFailures encodes that threw (nothing was cached)
     * @param encodeNanos    time spent in encodes, in total
     * @param puts           values cached by {@link #putIfAbsent}
     * @param evictions      values dropped to stay within the budget
     * @param entries        values cached now
     * @param usedBytes      bytes of values cached now
     * @param maximumBytes   the budget
     */
    record Numbers(long hits, long misses, long waits, long encodes, long encodeFailures, long encodeNanos,
                   long puts, long evictions, long entries, long usedBytes, long maximumBytes) {

        /**
         * Hits divided by lookups.
         *
         * @return the ratio, or 0 before the first lookup
         */
        public double hitRatio() {
            long lookups = hits + misses;
            return lookups == 0 ? 0 : (double) hits / lookups;
        }
    }
}
