package io.github.pixmapcache;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.testing.TestAllocator;
import java.lang.foreign.MemorySegment;

/** The entry the reclamation tests race on: one small zeroed block, its one reference the cache's. */
final class ReclaimEntries {
    /** Bytes of the block: small, so that the C library keeps freed memory mapped and readable. */
    private static final int BYTES = 64;
    /** Where the poison check reads: past the bytes the C library may reuse for its own free list. */
    private static final int PROBE = 32;

    private ReclaimEntries() {}

    /** A new entry over a zeroed 8x8 GRAY_8 block from {@code allocator}. */
    static Entry cachedEntry(TestAllocator allocator) {
        long address = allocator.allocate(BYTES);
        MemorySegment.ofAddress(address).reinterpret(BYTES).fill((byte) 0);
        return new Entry("key", Entry.KEYED, address, BYTES, 8, 8, PixelFormat.GRAY_8);
    }

    /** Whether the entry's block reads as freed; through an unscoped segment, as only a test may. */
    static boolean isPoisoned(Entry entry) {
        return MemorySegment.ofAddress(entry.address()).reinterpret(BYTES).get(JAVA_BYTE, PROBE) == TestAllocator.POISON;
    }
}
