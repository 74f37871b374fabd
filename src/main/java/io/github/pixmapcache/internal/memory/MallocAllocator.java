package io.github.pixmapcache.internal.memory;

import io.github.pixmapcache.PixmapAllocationException;

/**
 * {@link NativeAllocator} over the C library's {@code aligned_alloc} and {@code free}, and on Linux
 * over {@code mmap} (populated at once) and {@code munmap} for blocks of {@link #MAPPED_FROM} bytes and more, so that a
 * freed large block goes back to the system at once. glibc maps such blocks itself only until the
 * first of them is freed: its threshold then slides up to that block's size (up to 32 MiB), later
 * large blocks come from its heaps, and what they leave behind when freed stays resident between
 * the blocks still live (native-layout.md, "Large blocks").
 */
enum MallocAllocator implements NativeAllocator {
    INSTANCE;

    /**
     * Blocks from this size on are mapped: IIIF strips (16 MiB), not tiles or metatiles (4 MiB for
     * 4x4 tiles of 256 px). Mapping costs the kernel's allocation and zeroing of every page, several
     * times a copy of the block (a 4 MiB insert 0.7 ms from malloc, 3.7 ms mapped, in a VM), so only
     * blocks that are rare and dear to make anyway pay it; same-size blocks below refill each
     * other's gaps in glibc's heaps.
     */
    static final long MAPPED_FROM = 8 << 20;

    @Override
    public long allocate(long byteSize) {
        if (byteSize <= 0) {
            throw new IllegalArgumentException("byteSize must be positive, was " + byteSize);
        }
        // C11 wants a multiple of the alignment; rounding cannot overflow below Long.MAX_VALUE - 63.
        if (byteSize > Long.MAX_VALUE - ALIGNMENT) {
            throw new PixmapAllocationException(byteSize, "size is beyond any address space");
        }
        long rounded = (byteSize + ALIGNMENT - 1) & -ALIGNMENT;
        if (mapped(rounded)) {
            long address = NativeMemory.map(rounded);  // page-aligned, so cache-line aligned
            if (address == 0) {
                throw new PixmapAllocationException(byteSize, "mmap of " + rounded + " bytes failed");
            }
            return address;
        }
        long address = NativeMemory.alignedAlloc(ALIGNMENT, rounded);
        if (address == 0) {
            throw new PixmapAllocationException(byteSize, "aligned_alloc returned NULL");
        }
        return address;
    }

    @Override
    public void free(long address, long byteSize) {
        long rounded = (byteSize + ALIGNMENT - 1) & -ALIGNMENT;
        if (mapped(rounded)) {
            NativeMemory.unmap(address, rounded);
        } else {
            NativeMemory.free(address);
        }
    }

    /** Whether a block of {@code rounded} bytes is mapped: one rule for allocate and free, by size alone. */
    private static boolean mapped(long rounded) {
        return rounded >= MAPPED_FROM && NativeMemory.canMap();
    }
}
