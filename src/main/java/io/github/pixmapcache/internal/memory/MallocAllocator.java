package io.github.pixmapcache.internal.memory;

import io.github.pixmapcache.PixmapAllocationException;

/** {@link NativeAllocator} over the C library's {@code aligned_alloc} and {@code free}. */
enum MallocAllocator implements NativeAllocator {
    INSTANCE;

    @Override
    public long allocate(long byteSize) {
        if (byteSize <= 0) {
            throw new IllegalArgumentException("byteSize must be positive, was " + byteSize);
        }
        // C11 wants a multiple of the alignment; rounding cannot overflow below Long.MAX_VALUE - 63.
        if (byteSize > Long.MAX_VALUE - ALIGNMENT) {
            throw new PixmapAllocationException(byteSize, "size is beyond any address space");
        }
        long address = NativeMemory.alignedAlloc(ALIGNMENT, (byteSize + ALIGNMENT - 1) & -ALIGNMENT);
        if (address == 0) {
            throw new PixmapAllocationException(byteSize, "aligned_alloc returned NULL");
        }
        return address;
    }

    @Override
    public void free(long address, long byteSize) {
        NativeMemory.free(address);
    }
}
