package io.github.pixmapcache.internal.memory;

import io.github.pixmapcache.PixmapAllocationException;

/**
 * The one seam through which the cache takes native memory, for pixels and for tables alike.
 * Tests replace it to count live bytes and to fail chosen allocations.
 *
 * <p>Memory is named by address, not by {@code MemorySegment}: the cache never hands out its
 * backing memory, only views scoped to a lease (see {@link NativeMemory#view}).
 */
public interface NativeAllocator {
    /** Every block starts on a cache line. */
    long ALIGNMENT = 64;

    /**
     * Takes {@code byteSize} bytes aligned to {@link #ALIGNMENT}; their contents are undefined.
     *
     * @return the block's address, never 0
     * @throws PixmapAllocationException if the memory could not be had
     */
    long allocate(long byteSize);

    /** Returns a block from {@link #allocate}; {@code byteSize} must be the size it was taken with. */
    void free(long address, long byteSize);

    /** The C library's allocator: cheap to free, no zero-filling. */
    static NativeAllocator system() {
        return MallocAllocator.INSTANCE;
    }
}
