package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.server.encoded.EncodedTier;
import java.util.function.Supplier;

/**
 * Where encoded derivatives (the bytes of one image request) are kept: the tile server's
 * {@link EncodedTier} ({@link #in}), or {@link #NONE}, which encodes every request (the
 * per-request baseline of {@code --cache none}).
 */
@FunctionalInterface
public interface DerivativeStore {
    /** Encodes every time; keeps nothing. */
    DerivativeStore NONE = (key, encode) -> encode.get();

    /**
     * The bytes under {@code key}, made by {@code encode} when absent.
     *
     * @param key names the derivative: the source's file and version and the resolved request
     * @param encode makes the bytes; called at most once per call
     * @return the encoded derivative
     */
    byte[] get(String key, Supplier<byte[]> encode);

    /**
     * Derivatives in an encoded tier: a hit is served without touching pixels, and concurrent
     * requests for one missing derivative encode it once.
     *
     * @param tier the encoded tier, keyed by the derivative's key
     * @return a store over {@code tier}
     */
    static DerivativeStore in(EncodedTier<String> tier) {
        return (key, encode) -> tier.get(key, k -> encode.get());
    }
}
