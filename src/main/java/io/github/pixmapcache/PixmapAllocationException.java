package io.github.pixmapcache;

import java.io.Serial;

/**
 * Native memory could not be had: the allocator failed, or a table reached its named maximum.
 * Thrown by {@code insert}, {@code replace}, {@code computeIfAbsent} and {@link PixmapAllocator};
 * the cache is left exactly as it was before the call.
 */
public class PixmapAllocationException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The size of the allocation that failed, in bytes. */

    private final long requestedBytes;

    /**
     * An exception for a failed allocation of {@code requestedBytes}.
     *
     * @param requestedBytes the size of the allocation that failed
     * @param reason why it failed, without the size (the message adds it)
     */
    public PixmapAllocationException(long requestedBytes, String reason) {
        super("could not allocate " + requestedBytes + " bytes of native memory: " + reason);
        this.requestedBytes = requestedBytes;
    }

    /** {@return the size of the allocation that failed, in bytes} */
    public long requestedBytes() {
        return requestedBytes;
    }
}
