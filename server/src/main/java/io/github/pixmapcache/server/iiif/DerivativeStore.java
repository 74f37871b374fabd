package io.github.pixmapcache.server.iiif;

import java.util.function.Supplier;

/**
 * Where encoded derivatives (the bytes of one image request) would be kept: the seam for the tile
 * server's encoded tier (issue 21), which is not on this branch yet. Until it is plugged in here,
 * {@link #NONE} encodes every request from the cached pixels.
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
}
