package io.github.pixmapcache;

import io.github.pixmapcache.internal.memory.NativeAllocator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system allocator, counting the native bytes live through it and failing an allocation on
 * demand, for tests of the server that must prove nothing outlives it. Lives in the core's package to reach the builder's allocator seam.
 */
public final class CountingNativeAllocator implements NativeAllocator {
    private final NativeAllocator system = NativeAllocator.system();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicBoolean failNext = new AtomicBoolean();

    /** Makes {@code builder} take its memory from {@code allocator}. */
    public static <K> PixmapCache.Builder<K> using(PixmapCache.Builder<K> builder, CountingNativeAllocator allocator) {
        return builder.nativeAllocator(allocator);
    }

    @Override
    public long allocate(long byteSize) {
        if (failNext.compareAndSet(true, false)) {
            throw new PixmapAllocationException(byteSize, "failed on purpose by the test");
        }
        long address = system.allocate(byteSize);
        liveBytes.addAndGet(byteSize);
        return address;
    }

    @Override
    public void free(long address, long byteSize) {
        liveBytes.addAndGet(-byteSize);
        system.free(address, byteSize);
    }

    /** Makes the next allocation fail, as an exhausted allocator would. */
    public void failNextAllocation() {
        failNext.set(true);
    }

    /** Bytes allocated and not yet freed. */
    public long liveBytes() {
        return liveBytes.get();
    }
}
