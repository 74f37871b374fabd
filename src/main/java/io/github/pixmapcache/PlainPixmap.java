package io.github.pixmapcache;

import java.lang.foreign.MemorySegment;

/**
 * A pixmap over a segment it does not own (a caller's arena, or a load's shared arena): every access
 * goes through the segment, which checks its own lifetime and thread. All fields are final, so a
 * plain pixmap handed to another thread through a data race still shows its segment and size.
 */
final class PlainPixmap extends Pixmap {
    private final MemorySegment segment;
    private final int width;
    private final int height;
    private final PixelFormat format;

    /** {@code segment} holds the {@code Require.pixmapBytes} of this shape. */
    PlainPixmap(MemorySegment segment, int width, int height, PixelFormat format) {
        this.segment = segment;
        this.width = width;
        this.height = height;
        this.format = format;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public PixelFormat format() {
        return format;
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    MemorySegment view() {
        return segment;
    }

    @Override
    MemorySegment readable() {
        return segment;
    }

    @Override
    long origin() {
        return 0;
    }

    @Override
    MemorySegment writable() {
        return segment;
    }

    @Override
    void requireReadable() {
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("the memory of " + this + " is already released");
        }
    }
}
