package io.github.pixmapcache;

import io.github.pixmapcache.internal.memory.NativeAllocator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system allocator, counting the native bytes live through it, for tests of the server that must
 * prove nothing outlives it. Lives in the core's package to reach the builder's allocator seam.
 */
public final class CountingNativeAllocator implements NativeAllocator {
    private final NativeAllocator system = NativeAllocator.system();
    private final AtomicLong liveBytes = new AtomicLong();

    /** Makes {@code builder} take its memory from {@code allocator}. */
    public static <K> PixmapCache.Builder<K> using(PixmapCache.Builder<K> builder, CountingNativeAllocator allocator) {
        return builder.nativeAllocator(allocator);
    }

    @Override
    public long allocate(long byteSize) {
        long address = system.allocate(byteSize);
        liveBytes.addAndGet(byteSize);
        return address;
    }

    @Override
    public void free(long address, long byteSize) {
        liveBytes.addAndGet(-byteSize);
        system.free(address, byteSize);
    }

    /** Bytes allocated and not yet freed. */
    public long liveBytes() {
        return liveBytes.get();
    }
}
