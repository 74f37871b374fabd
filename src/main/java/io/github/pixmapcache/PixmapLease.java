package io.github.pixmapcache;

/**
 * A pin on a cached pixmap: while the lease is open its pixels stay readable, even if the entry is
 * evicted, removed, replaced or cleared meanwhile. Close it promptly, ideally with
 * try-with-resources.
 *
 * <p>A lease from {@code find} or {@code computeIfAbsent} is <em>confined</em>: only the thread
 * that acquired it may read its pixmap or close it, which makes it cheap (tens of nanoseconds).
 * To hand a pixmap to another thread, take a {@linkplain #share() shared} lease.
 */
public interface PixmapLease extends AutoCloseable {
    /**
     * {@return the pinned pixmap, read-only}. After {@link #close()} every access to its pixels, its
     * {@code segment()}, or any slice or buffer made from that segment throws
     * {@link IllegalStateException}.
     *
     * @throws IllegalStateException if this lease is closed
     */
    Pixmap pixmap();

    /**
     * {@return a new, independent lease on the same pixmap that any thread may read and close}, e.g.
     * to hand the pixmap to a rendering or UI thread. Closing it costs a handshake with every thread (tens
     * of microseconds), so prefer confined leases on hot paths. Both leases must be closed.
     *
     * @throws IllegalStateException if this lease is closed
     */
    PixmapLease share();

    /** Releases the pin. Closing a closed lease does nothing. */
    @Override
    void close();
}
