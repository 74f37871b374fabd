package io.github.pixmapcache.internal.index;

import io.github.pixmapcache.PixelFormat;
import io.github.pixmapcache.internal.memory.NativeMemory;
import io.github.pixmapcache.internal.policy.PolicyEntry;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One pixel buffer in native memory and the references that keep it alive.
 *
 * <p>Life cycle: <em>cached</em> (in the index and the eviction order, one reference held by the
 * cache) → <em>detached</em> (out of the index, the cache's reference dropped, still protected by
 * leases) → <em>freed</em> (nothing protects it; the memory goes back to the allocator). One atomic
 * state word decides this: the count of counted references, plus a sticky {@code RETIRED} bit set
 * by the decrement that first takes the count to zero, or {@code FREED}. A retired entry is never
 * found again ({@link #tryPin} fails, and so does a hazard slot's validation), so a pin can never
 * revive a freed entry. Hazard slots, the other protection, live outside the entry
 * ({@code internal.reclaim}); they never write it.
 */
public final class Entry implements PolicyEntry<Entry> {
    /** The {@link #slot()} of a keyed entry: it has no place in the key table. */
    public static final int KEYED = -1;
    /** State bit: the count fell to zero once; set for good. */
    private static final int RETIRED = 1 << 30;
    /** The count's bits, below {@link #RETIRED}. */
    private static final int COUNT = RETIRED - 1;
    /** State: the block is freed (or being freed); every bit set, so it also reads as retired. */
    private static final int FREED = -1;
    private static final VarHandle STATE;
    private static final VarHandle CACHED;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", int.class);
            CACHED = MethodHandles.lookup().findVarHandle(Entry.class, "cached", boolean.class);
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
    /**
     * A read-only, unscoped segment of the block, made when a lease first asks for a view of it and
     * kept, so that every later view is one segment; never handed out. Racing makers store equal
     * segments, whose fields are final, so a plain field is enough.
     */
    private MemorySegment base;

    /**
     * Counted references (the creator's or the cache's, plus one per counted lease), with
     * {@link #RETIRED} set once they first fell to zero; or {@link #FREED}.
     */
    private volatile int state = 1;

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

    /**
     * {@return a read-only segment of the block with no lifetime, to be rescoped to a lease's arena}
     * Call only under a protection of this entry; never hand it out.
     */
    public MemorySegment base() {
        MemorySegment made = base;
        if (made == null) {
            made = NativeMemory.readOnlyBlock(address, byteSize);
            base = made;
        }
        return made;
    }

    /** Adds a counted reference unless the entry is retired: the pin of a reader that found it. */
    public boolean tryPin() {
        for (int seen = state; (seen & RETIRED) == 0; seen = state) {
            if (STATE.weakCompareAndSet(this, seen, increment(seen))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds a counted reference unless the entry is freed, reviving the count of a retired entry: for
     * a holder of another protection on it (sharing an open lease). The entry stays retired.
     */
    public boolean pinUnlessFreed() {
        for (int seen = state; seen != FREED; seen = state) {
            if (STATE.weakCompareAndSet(this, seen, increment(seen))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Adds a counted reference to an entry that another protection is known to keep alive.
     *
     * @throws IllegalStateException if the entry is freed after all: a broken invariant
     */
    public void pin() {
        if (!pinUnlessFreed()) {
            throw new IllegalStateException("pinned after it was freed: " + this);
        }
    }

    /**
     * Drops a counted reference; the last one retires the entry.
     *
     * @return true if the count is now zero: the block may be freed once no hazard slot holds it
     */
    public boolean unpin() {
        while (true) {
            int seen = state;
            if (seen == FREED || (seen & COUNT) == 0) {
                throw new IllegalStateException("entry unpinned more often than pinned: " + this);
            }
            int next = (seen & COUNT) == 1 ? RETIRED : seen - 1;
            if (STATE.weakCompareAndSet(this, seen, next)) {
                return next == RETIRED;
            }
        }
    }

    /** Whether the count ever fell to zero: no reader may start using the entry any more. */
    public boolean isRetired() {
        return (state & RETIRED) != 0;
    }

    /** Whether the entry is retired with no counted reference left, and not yet freed. */
    public boolean isUnreferenced() {
        return state == RETIRED;
    }

    /** Moves a retired, unreferenced entry to freed; true for exactly one caller, who frees the block. */
    public boolean claimFree() {
        return STATE.compareAndSet(this, RETIRED, FREED);
    }

    private int increment(int seen) {
        if ((seen & COUNT) == COUNT) {
            throw new IllegalStateException("an entry cannot be pinned more than " + COUNT + " times: " + this);
        }
        return seen + 1;
    }

    /** Whether the entry is in the cache; read and written under the cache lock. */
    public boolean isCached() {
        return cached;
    }

    /**
     * Whether the entry is in the cache, read without the lock by a volatile read: a reader that
     * recorded a read of it checks this so as to leave no reference to an entry a removal let go.
     */
    public boolean isCachedNow() {
        return (boolean) CACHED.getVolatile(this);
    }

    /** Under the cache lock; a volatile write, for {@link #isCachedNow()}. */
    public void setCached(boolean cached) {
        CACHED.setVolatile(this, cached);
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
                + " bytes, " + describe(state) + "]";
    }

    private static String describe(int state) {
        if (state == FREED) {
            return "freed";
        }
        return "references " + (state & COUNT) + ((state & RETIRED) != 0 ? ", retired" : "");
    }
}
