package io.github.pixmapcache;

import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.jfr.CacheEvents;
import io.github.pixmapcache.internal.memory.NativeAllocator;
import io.github.pixmapcache.internal.stats.StatsCounter;

/**
 * Where pixel blocks come from before they are published: the cache's {@link NativeAllocator},
 * with each failure counted (and recorded as a JFR event). What the facade and a load's
 * {@link LoadAllocator} need, and nothing of the cache besides.
 */
final class Blocks {
    /** The cache, only to name it in JFR events; never called. */
    private final Object owner;
    private final NativeAllocator allocator;
    private final StatsCounter stats;

    Blocks(Object owner, NativeAllocator allocator, StatsCounter stats) {
        this.owner = owner;
        this.allocator = allocator;
        this.stats = stats;
    }

    /** A block of {@code byteSize} bytes, its contents undefined. */
    long allocate(long byteSize) {
        try {
            return allocator.allocate(byteSize);
        } catch (PixmapAllocationException e) {
            stats.recordAllocationFailure();
            CacheEvents.allocationFailed(owner, e.requestedBytes(), "pixels");
            throw e;
        }
    }

    /** Returns a block that was never published. */
    void free(long address, long byteSize) {
        allocator.free(address, byteSize);
    }

    /**
     * A new, unpublished entry holding a copy of {@code pixmap}; {@code slot} as in {@link Entry}.
     * Nothing is left allocated if the copy or the entry fails (the key's hashCode included).
     */
    Entry copyOf(Object key, int slot, Pixmap pixmap) {
        long address = copy(pixmap);
        return entryOver(key, slot, address, pixmap);
    }

    /** A new block holding a copy of {@code pixmap}. */
    long copy(Pixmap pixmap) {
        pixmap.requireReadable();  // before the allocation: a released pixmap costs nothing
        long bytes = pixmap.byteSize();
        long address = allocate(bytes);
        try {
            pixmap.copyTo(address);  // fails if released meanwhile, or confined elsewhere
            return address;
        } catch (RuntimeException | Error e) {
            allocator.free(address, bytes);
            throw e;
        }
    }

    /** The one entry of the block at {@code address}, which holds {@code shape}'s pixels; frees it on failure. */
    Entry entryOver(Object key, int slot, long address, Pixmap shape) {
        long bytes = shape.byteSize();
        try {
            return new Entry(key, slot, address, (int) bytes, shape.width(), shape.height(), shape.format());
        } catch (OutOfMemoryError e) {
            allocator.free(address, bytes);
            throw heapExhausted(bytes, e);
        } catch (RuntimeException | Error e) {  // the key's hashCode
            allocator.free(address, bytes);
            throw e;
        }
    }

    /** The Java heap gave out under an allocation that serves {@code bytes} of pixels. */
    static PixmapAllocationException heapExhausted(long bytes, OutOfMemoryError cause) {
        PixmapAllocationException e = new PixmapAllocationException(bytes, "the Java heap is exhausted");
        e.initCause(cause);
        return e;
    }
}
