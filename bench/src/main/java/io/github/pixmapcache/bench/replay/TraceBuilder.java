package io.github.pixmapcache.bench.replay;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Collects requests while a trace is read and numbers keys and objects densely in order of first appearance. */
final class TraceBuilder {
    private final String name;
    private final boolean sized;
    private final Map<Object, Integer> keyIds = new HashMap<>();
    private final Map<Object, Integer> objectIds = new HashMap<>();
    private int[] keys = new int[1024];
    private int[] objects;
    private int[] sizes;
    private int requests;
    private long footprint;

    TraceBuilder(String name, boolean sized) {
        this.name = name;
        this.sized = sized;
        if (sized) {
            objects = new int[keys.length];
            sizes = new int[keys.length];
        }
    }

    /** A request to {@code key} in a trace without sizes. */
    void add(Object key) {
        grow();
        keys[requests++] = idOf(keyIds, key);
    }

    /** A request to the object ({@code key}, {@code size}); sizes below 1 count as 1, as in BASELINES.md. */
    void add(Object key, int size) {
        grow();
        int clamped = Math.max(1, size);
        int objectCount = objectIds.size();
        objects[requests] = idOf(objectIds, new SizedKey(key, clamped));
        if (objectIds.size() > objectCount) {
            footprint += clamped;
        }
        sizes[requests] = clamped;
        keys[requests++] = idOf(keyIds, key);
    }

    Trace build() {
        return new Trace(name, Arrays.copyOf(keys, requests),
                sized ? Arrays.copyOf(objects, requests) : null,
                sized ? Arrays.copyOf(sizes, requests) : null,
                keyIds.size(), footprint);
    }

    private void grow() {
        if (requests == keys.length) {
            keys = Arrays.copyOf(keys, 2 * requests);
            if (sized) {
                objects = Arrays.copyOf(objects, 2 * requests);
                sizes = Arrays.copyOf(sizes, 2 * requests);
            }
        }
    }

    private static int idOf(Map<Object, Integer> ids, Object key) {
        Integer id = ids.putIfAbsent(key, ids.size());
        return id == null ? ids.size() - 1 : id;
    }

    private record SizedKey(Object key, int size) {}
}
