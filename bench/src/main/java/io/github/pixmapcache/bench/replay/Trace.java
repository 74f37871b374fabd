package io.github.pixmapcache.bench.replay;

/**
 * A trace read into memory: for each request, the dense id of its key and, where the trace has
 * sizes, the dense id of its (key, size) object and that size in bytes.
 *
 * @param name the trace's name as BASELINES.md writes it, e.g. {@code lirs/gli}
 * @param keys per request, the id of the key (sizes ignored): what count-based replay uses
 * @param objects per request, the id of the (key, size) object, or null without sizes
 * @param sizes per request, the object's size in bytes (at least 1), or null without sizes
 * @param distinctKeys how many distinct keys there are
 * @param footprint the sum of the sizes of the distinct objects, or 0 without sizes
 */
record Trace(String name, int[] keys, int[] objects, int[] sizes, int distinctKeys, long footprint) {
    boolean hasSizes() {
        return sizes != null;
    }

    int requests() {
        return keys.length;
    }
}
