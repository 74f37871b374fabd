package io.github.pixmapcache.internal.index;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.internal.policy.PolicyEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One pixel buffer in native memory and the references that keep it alive.
 *
 * <p>Life cycle: <em>cached</em> (in the index and the eviction order, one reference held by the
 * cache) → <em>detached</em> (out of the index, the cache's reference dropped, still pinned by
 * leases) → <em>freed</em> (no references left; the memory goes back to the allocator). The
 * reference count is the single atomic word that decides this: once it reaches zero it never
 * rises again, so a pin taken on a freed entry fails instead of reviving it.
 */
public final class Entry implements PolicyEntry<Entry> {
    /** The {@link #slot()} of a keyed entry: it has no place in the key table. */
    public static final int KEYED = -1;
    private static final VarHandle REFERENCES;

    static {
        try {
            REFERENCES = MethodHandles.lookup().findVarHandle(Entry.class, "references", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object key;
    /** The key-table slot of an anonymous entry, or {@link #KEYED}; never inferred from the key's type. */
    private final int slot;
    /** The key's hash, taken when the entry is made, so that no user code runs under the cache lock. */
    private final int keyHash;
    private final long address;
    private final int byteSize;
    private final int width;
    private final int height;
    private final PixelFormat format;

    /** Holders of this entry (the cache while cached, plus one per lease); 0 means freed. */
    private volatile int references = 1;

    // Guarded by the cache lock.
    private boolean cached;
    private Entry previous;
    private Entry next;
    private int queue;

    /**
     * A new entry with one reference, its creator's, over a block of {@code byteSize} bytes.
     *
     * @param key the user's key of a keyed entry (which may itself be a {@code PixmapCache.Key}), or
     *     the {@code PixmapCache.Key} of an anonymous one
     * @param slot the key-table slot of an anonymous entry, or {@link #KEYED}
     */
    public Entry(Object key, int slot, long address, int byteSize, int width, int height, PixelFormat format) {
        this.key = key;
        this.slot = slot;
        this.keyHash = key == null ? 0 : key.hashCode();
        this.address = address;
        this.byteSize = byteSize;
        this.width = width;
        this.height = height;
        this.format = format;
    }

    public Object key() {
        return key;
    }

    /** Whether the entry lives in the key table (under a generated Key), not in the keyed index. */
    public boolean isAnonymous() {
        return slot != KEYED;
    }

    /** The key-table slot of an anonymous entry. */
    public int slot() {
        return slot;
    }

    public long address() {
        return address;
    }

    @Override
    public int byteSize() {
        return byteSize;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public PixelFormat format() {
        return format;
    }

    /** Adds a reference unless the entry is already freed. */
    public boolean tryPin() {
        for (int seen = references; seen > 0; seen = references) {
            if (seen == Integer.MAX_VALUE) {
                throw new IllegalStateException("an entry cannot be pinned more than " + seen + " times");
            }
            if (REFERENCES.weakCompareAndSet(this, seen, seen + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds a reference to an entry that another reference is known to keep alive.
     *
     * @throws IllegalStateException if the entry is freed after all: a broken invariant
     */
    public void pin() {
        if (!tryPin()) {
            throw new IllegalStateException("pinned after it was freed: " + this);
        }
    }

    /**
     * Drops a reference.
     *
     * @return true if it was the last one: the caller now owns the memory and must free it
     */
    public boolean unpin() {
        int before = (int) REFERENCES.getAndAdd(this, -1);
        if (before <= 0) {
            throw new IllegalStateException("entry unpinned more often than pinned: " + this);
        }
        return before == 1;
    }

    /** Whether the entry is in the cache; read and written under the cache lock. */
    public boolean isCached() {
        return cached;
    }

    public void setCached(boolean cached) {
        this.cached = cached;
    }

    @Override
    public int keyHash() {
        return keyHash;
    }

    @Override
    public int queue() {
        return queue;
    }

    @Override
    public void setQueue(int queue) {
        this.queue = queue;
    }

    @Override
    public Entry previous() {
        return previous;
    }

    @Override
    public void setPrevious(Entry previous) {
        this.previous = previous;
    }

    @Override
    public Entry next() {
        return next;
    }

    @Override
    public void setNext(Entry next) {
        this.next = next;
    }

    @Override
    public String toString() {
        return "Entry[" + key + ", " + width + "x" + height + " " + format + ", " + byteSize
                + " bytes, references " + references + "]";
    }
}
