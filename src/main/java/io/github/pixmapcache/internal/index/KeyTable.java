package io.github.pixmapcache.internal.index;

import io.github.pixmapcache.PixmapAllocationException;
import io.github.pixmapcache.internal.memory.NativeAllocator;
import io.github.pixmapcache.internal.memory.NativeMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The registry of anonymous keys: a native table of slots, each holding the generation of the key
 * that owns it (0 when free) and the next free slot, beside a heap array of the slots' entries.
 * The exact bytes are in {@code native-layout.md}.
 *
 * <p>Writes happen under the cache lock. Lookups are lock-free: they read the current
 * {@link Table}, whose native view is scoped to a shared arena. Growth allocates and fills the
 * larger table first and only then publishes it; if the allocation fails, nothing has changed.
 * The old table is retired after the cache lock is released: closing its arena is a handshake
 * that makes any reader still on it throw {@link IllegalStateException} (the lookup then retries
 * on the new table), and only then is its memory freed. No path reads a table after freeing it.
 */
public final class KeyTable {
    /** Slots in the first table. */
    public static final int INITIAL_CAPACITY = 256;
    /** The named maximum: at most this many anonymous keys live at once (a 1 GiB table). */
    public static final int MAXIMUM_CAPACITY = 1 << 26;

    static final long SLOT_BYTES = 16;
    static final long GENERATION_OFFSET = 0;
    static final long NEXT_FREE_OFFSET = 8;
    private static final long FREE_GENERATION = 0;
    private static final int NO_FREE_SLOT = -1;
    private static final VarHandle ENTRIES = MethodHandles.arrayElementVarHandle(Entry[].class);

    private final NativeAllocator allocator;
    private volatile Table current;  // null before the first key and after close()

    // Guarded by the cache lock.
    private int firstFree = NO_FREE_SLOT;
    private long lastGeneration;  // generations are never reused, so a stale key never matches

    public KeyTable(NativeAllocator allocator) {
        this.allocator = allocator;
    }

    /** The entry registered under (slot, generation), or null; lock-free. */
    public Entry find(int slot, long generation) {
        while (true) {
            Table table = current;
            if (table == null || slot < 0 || slot >= table.capacity) {
                return null;
            }
            try {
                if (table.generation(slot) != generation) {
                    return null;
                }
                return (Entry) ENTRIES.getAcquire(table.entries, slot);
            } catch (IllegalStateException retired) {
                // The table was replaced or closed while we read it: look again.
            }
        }
    }

    /**
     * Takes a free slot for a new key and stamps it with a fresh generation, growing the table if
     * every slot is taken. Under the cache lock.
     *
     * @param releases receives the table that growth retires
     * @return the slot; {@link #generation(int)} gives its stamp
     * @throws PixmapAllocationException if the table is at its maximum or cannot grow; the table
     *     is then exactly as before
     */
    public int claim(DeferredReleases releases) {
        if (firstFree == NO_FREE_SLOT) {
            grow(releases);
        }
        Table table = current;
        int slot = firstFree;
        firstFree = table.nextFree(slot);
        table.setGeneration(slot, ++lastGeneration);
        return slot;
    }

    /** The generation of the key that owns {@code slot}. Under the cache lock. */
    public long generation(int slot) {
        return current.generation(slot);
    }

    /** Points a claimed slot at its (new) entry. Under the cache lock. */
    public void bind(int slot, Entry entry) {
        ENTRIES.setRelease(current.entries, slot, entry);
    }

    /** Frees a slot: its key becomes invalid forever. Under the cache lock. */
    public void release(int slot) {
        Table table = current;
        table.setGeneration(slot, FREE_GENERATION);
        ENTRIES.setRelease(table.entries, slot, null);
        table.setNextFree(slot, firstFree);
        firstFree = slot;
    }

    /** Retires the table for good; every key becomes invalid. Under the cache lock. */
    public void close(DeferredReleases releases) {
        Table table = current;
        if (table != null) {
            current = null;
            releases.retire(table);
        }
    }

    private void grow(DeferredReleases releases) {
        Table old = current;
        long oldCapacity = old == null ? 0 : old.capacity;
        if (oldCapacity >= MAXIMUM_CAPACITY) {
            throw new PixmapAllocationException(Math.multiplyExact(oldCapacity + 1, SLOT_BYTES),
                    "the key table is at its maximum of " + MAXIMUM_CAPACITY + " keys");
        }
        int capacity = (int) Math.clamp(oldCapacity * 2, INITIAL_CAPACITY, MAXIMUM_CAPACITY);
        long bytes = Math.multiplyExact(capacity, SLOT_BYTES);
        Table table;
        // The heap side first (256 MiB at the last step), then the native side: either may fail,
        // and a failure frees what the other took, so that nothing has changed.
        try {
            Entry[] entries = old == null ? new Entry[capacity] : Arrays.copyOf(old.entries, capacity);
            long address = allocator.allocate(bytes);
            try {
                table = new Table(address, capacity, entries);
            } catch (OutOfMemoryError e) {
                allocator.free(address, bytes);
                throw e;
            }
        } catch (OutOfMemoryError e) {
            PixmapAllocationException failure = new PixmapAllocationException(bytes,
                    "the key table cannot grow to " + capacity + " keys: the Java heap is exhausted");
            failure.initCause(e);
            throw failure;
        }
        if (old != null) {
            MemorySegment.copy(old.slots, 0, table.slots, 0, old.slots.byteSize());
        }
        for (int slot = capacity - 1; slot >= oldCapacity; slot--) {
            table.setGeneration(slot, FREE_GENERATION);
            table.setNextFree(slot, firstFree);
            firstFree = slot;
        }
        current = table;
        if (old != null) {
            releases.retire(old);
        }
    }

    /** One table: native slots behind a shared-arena view, and the heap array of their entries. */
    final class Table {
        private final Arena scope = Arena.ofShared();
        private final long address;
        final int capacity;
        final MemorySegment slots;
        final Entry[] entries;

        Table(long address, int capacity, Entry[] entries) {
            this.address = address;
            this.capacity = capacity;
            this.slots = NativeMemory.view(address, capacity * SLOT_BYTES, scope);
            this.entries = entries;
        }

        long generation(int slot) {
            return slots.get(ValueLayout.JAVA_LONG, slot * SLOT_BYTES + GENERATION_OFFSET);
        }

        void setGeneration(int slot, long generation) {
            slots.set(ValueLayout.JAVA_LONG, slot * SLOT_BYTES + GENERATION_OFFSET, generation);
        }

        int nextFree(int slot) {
            return slots.get(ValueLayout.JAVA_INT, slot * SLOT_BYTES + NEXT_FREE_OFFSET);
        }

        void setNextFree(int slot, int next) {
            slots.set(ValueLayout.JAVA_INT, slot * SLOT_BYTES + NEXT_FREE_OFFSET, next);
        }

        /** Kills the view (a handshake with every thread), then frees the memory behind it. */
        void dispose() {
            scope.close();
            allocator.free(address, capacity * SLOT_BYTES);
        }
    }
}
