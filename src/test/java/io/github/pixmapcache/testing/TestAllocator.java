package io.github.pixmapcache.testing;

import io.github.pixmapcache.PixmapAllocationException;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.TestingAccess;
import io.github.pixmapcache.internal.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NativeAllocator} for tests: counts allocations and live bytes, catches double and
 * mismatched frees, fails chosen allocations, and fills every block it frees with {@link #POISON},
 * so that a read of freed memory (before the C library reuses it) sees poison, not old pixels.
 *
 * <p>Allocations are numbered from 1 in the order they are attempted (failed ones included).
 */
public final class TestAllocator implements NativeAllocator {
    /** The byte every freed block is filled with; no test pixmap is filled with it. */
    public static final byte POISON = (byte) 0xDE;

    private final NativeAllocator system = NativeAllocator.system();
    private final ConcurrentHashMap<Long, Long> live = new ConcurrentHashMap<>();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong frees = new AtomicLong();
    private volatile long failOnly = 0;              // 0: none
    private volatile long failFrom = Long.MAX_VALUE;
    private volatile long failEvery = 0;            // 0: none

    /** A cache that allocates through this allocator. */
    public <K> PixmapCache.Builder<K> builder() {
        return TestingAccess.builder(this);
    }

    /** Makes allocation number {@code n} (counted over this allocator's life) fail. */
    public TestAllocator failAllocation(long n) {
        failOnly = n;
        return this;
    }

    /** Makes allocation number {@code n} and every later one fail. */
    public TestAllocator failAllocationsFrom(long n) {
        failFrom = n;
        return this;
    }

    /** Makes every {@code n}-th allocation fail: numbers n, 2n, 3n, ... */
    public TestAllocator failEveryNth(long n) {
        failEvery = n;
        return this;
    }

    /** Makes the next allocation fail. */
    public TestAllocator failNextAllocation() {
        return failAllocation(attempts.get() + 1);
    }

    /** Stops failing. */
    public TestAllocator succeed() {
        failOnly = 0;
        failFrom = Long.MAX_VALUE;
        failEvery = 0;
        return this;
    }

    @Override
    public long allocate(long byteSize) {
        long n = attempts.incrementAndGet();
        if (n == failOnly || n >= failFrom || failEvery > 0 && n % failEvery == 0) {
            throw new PixmapAllocationException(byteSize, "test allocator failed allocation #" + n);
        }
        long address = system.allocate(byteSize);
        live.put(address, byteSize);
        liveBytes.addAndGet(byteSize);
        return address;
    }

    @Override
    public void free(long address, long byteSize) {
        Long size = live.remove(address);
        if (size == null) {
            throw new AssertionError("free of an address not allocated or already freed: " + address);
        }
        if (size != byteSize) {
            throw new AssertionError("free of " + byteSize + " bytes at " + address + ", allocated " + size);
        }
        liveBytes.addAndGet(-byteSize);
        frees.incrementAndGet();
        MemorySegment.ofAddress(address).reinterpret(byteSize).fill(POISON);
        system.free(address, byteSize);
    }

    /** Allocations attempted so far, failed ones included. */
    public long allocationAttempts() {
        return attempts.get();
    }

    public long liveBytes() {
        return liveBytes.get();
    }

    public long liveBlocks() {
        return live.size();
    }

    public long frees() {
        return frees.get();
    }
}
