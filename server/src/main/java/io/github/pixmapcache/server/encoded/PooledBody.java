package io.github.pixmapcache.server.encoded;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;

/**
 * A body holding a copy of some native bytes in a direct buffer of Jetty's pool, given back to the
 * pool when the body is closed: the body owns its memory, so it pins nothing of the cache it came
 * from, and any thread may write it and close it.
 */
final class PooledBody implements EncodedBody {
    private final RetainableByteBuffer pooled;
    private final int length;
    private final LongAdder open;
    /** Set by the one close that gives the buffer back. */
    private final AtomicBoolean closed = new AtomicBoolean();

    private PooledBody(RetainableByteBuffer pooled, int length, LongAdder open) {
        this.pooled = pooled;
        this.length = length;
        this.open = open;
        open.increment();
    }

    /**
     * A body of the first {@code length} bytes of {@code source}, copied into a direct buffer taken from
     * {@code buffers}; {@code source} may die as soon as this returns.
     *
     * @param open counts the bodies not closed yet: incremented here, decremented by the close
     */
    static PooledBody copyOf(MemorySegment source, int length, ByteBufferPool buffers, LongAdder open) {
        RetainableByteBuffer pooled = buffers.acquire(length, true);
        try {
            ByteBuffer target = pooled.getByteBuffer();
            target.clear(); // fill mode over the whole capacity (at least length)
            MemorySegment.copy(source, 0, MemorySegment.ofBuffer(target), 0, length);
            target.limit(length); // flush mode: position 0, the body's bytes only
            return new PooledBody(pooled, length, open);
        } catch (RuntimeException | Error e) {
            pooled.release();
            throw e;
        }
    }

    /** {@return the bytes, read-only; throws once the body is closed (its buffer went back to the pool)} */
    @Override
    public ByteBuffer buffer() {
        if (closed.get()) {
            throw new IllegalStateException("the body is closed: its buffer is back in the pool");
        }
        return pooled.getByteBuffer().asReadOnlyBuffer();
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            pooled.release();
            open.decrement();
        }
    }
}
