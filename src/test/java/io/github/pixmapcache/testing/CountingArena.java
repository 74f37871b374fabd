package io.github.pixmapcache.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A confined arena that counts the allocations asked of it, to prove a refusal touched no memory. */
public final class CountingArena implements Arena {
    private final Arena delegate = Arena.ofConfined();
    private int allocations;

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        allocations++;
        return delegate.allocate(byteSize, byteAlignment);
    }

    public int allocations() {
        return allocations;
    }

    @Override
    public MemorySegment.Scope scope() {
        return delegate.scope();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
