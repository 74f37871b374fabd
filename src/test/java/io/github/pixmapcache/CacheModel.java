package io.github.pixmapcache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The reference semantics of a single-threaded LRU {@link PixmapCache}, kept as plain as possible:
 * an access-ordered map from keys to the pixmaps stored under them, a byte budget, and the
 * counters of {@link CacheStats}.
 *
 * <p>Semantics, as QPixmapCache: an insert or replace first removes the older pixmap under its
 * key, then adds the new one as the most recently used, then evicts least recently used pixmaps
 * until the budget holds. A pixmap larger than the budget is refused and nothing changes. A hit
 * makes its pixmap the most recently used; a miss changes nothing.
 */
final class CacheModel {
    /** The anonymous id of a Key that was never valid: its pixmap did not fit. */
    static final int NEVER_VALID = -1;

    /** A key in the model: a user key, or the id of an anonymous entry (one per generated Key). */
    sealed interface Slot permits Named, Anonymous {}

    record Named(Object key) implements Slot {}

    record Anonymous(int id) implements Slot {}

    /**
     * A pixmap by its shape and by the id its pixels are drawn from. Every pixmap a test makes has
     * its own id, so a spec names one cache entry.
     */
    record Spec(int id, int width, int height, PixelFormat format) {
        /** Rows padded to a multiple of 4 bytes, as Qt's scanlines. */
        long byteSize() {
            long row = (long) width * format.bytesPerPixel();
            return (row + 3) / 4 * 4 * height;
        }

        @Override
        public String toString() {
            return "#" + id + " " + width + "x" + height + " " + format + " (" + byteSize() + " B)";
        }
    }

    private final LinkedHashMap<Slot, Spec> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long maximumBytes;
    private long usedBytes;
    private int nextAnonymousId;
    private long hits;
    private long misses;
    private long insertions;
    private long evictions;
    private long rejectedInsertions;

    CacheModel(long maximumBytes) {
        this.maximumBytes = maximumBytes;
    }

    boolean insert(Object key, Spec spec) {
        if (rejects(spec)) {
            return false;
        }
        put(new Named(key), spec);
        return true;
    }

    /** The id of the new anonymous entry, or {@link #NEVER_VALID} if the pixmap did not fit. */
    int insert(Spec spec) {
        if (rejects(spec)) {
            return NEVER_VALID;
        }
        int id = nextAnonymousId++;
        put(new Anonymous(id), spec);
        return id;
    }

    /** An invalid key refuses before the size is looked at, so it counts no rejection. */
    boolean replace(int id, Spec spec) {
        Anonymous slot = new Anonymous(id);
        if (!entries.containsKey(slot) || rejects(spec)) {
            return false;
        }
        put(slot, spec);
        return true;
    }

    /** The pixmap under {@code slot}, now the most recently used, or null on a miss. */
    Spec find(Slot slot) {
        Spec spec = entries.get(slot);
        if (spec == null) {
            misses++;
        } else {
            hits++;
        }
        return spec;
    }

    boolean remove(Slot slot) {
        Spec spec = entries.remove(slot);
        if (spec == null) {
            return false;
        }
        usedBytes -= spec.byteSize();
        return true;
    }

    void clear() {
        entries.clear();
        usedBytes = 0;
    }

    void setMaximumBytes(long bytes) {
        maximumBytes = bytes;
        evictToBudget();
    }

    /** Whether {@code slot} is in the cache; not an access. */
    boolean contains(Slot slot) {
        return entries.containsKey(slot);
    }

    /** Whether the entry {@code spec} names is in the cache; not an access. */
    boolean holds(Spec spec) {
        return entries.containsValue(spec);
    }

    /** The keys in the cache, least recently used first. */
    List<Slot> leastRecentFirst() {
        return List.copyOf(entries.keySet());
    }

    long maximumBytes() {
        return maximumBytes;
    }

    long usedBytes() {
        return usedBytes;
    }

    int size() {
        return entries.size();
    }

    /** The stats the cache should report; no allocation ever fails in the model. */
    CacheStats stats(long leasedDetachedBytes) {
        return new CacheStats(hits, misses, insertions, evictions, rejectedInsertions, 0,
                entries.size(), usedBytes, leasedDetachedBytes);
    }

    private boolean rejects(Spec spec) {
        if (spec.byteSize() > maximumBytes) {
            rejectedInsertions++;
            return true;
        }
        return false;
    }

    private void put(Slot slot, Spec spec) {
        remove(slot);
        entries.put(slot, spec);
        usedBytes += spec.byteSize();
        insertions++;
        evictToBudget();
    }

    private void evictToBudget() {
        Iterator<Spec> leastRecentFirst = entries.values().iterator();
        while (usedBytes > maximumBytes) {
            usedBytes -= leastRecentFirst.next().byteSize();
            leastRecentFirst.remove();
            evictions++;
        }
    }
}
