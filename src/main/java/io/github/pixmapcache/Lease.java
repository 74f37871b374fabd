package io.github.pixmapcache;

import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.jfr.CacheEvents;
import io.github.pixmapcache.internal.jfr.SharedLeaseCloseEvent;
import io.github.pixmapcache.internal.leak.LeakDetector;
import io.github.pixmapcache.internal.memory.NativeMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A pin on one entry, and the arena that scopes the read-only view handed out under it. Closing
 * the arena kills the view and everything derived from it before the pin is dropped, so no view
 * ever outlives the memory behind it.
 */
abstract sealed class Lease implements PixmapLease permits Lease.Confined, Lease.Shared {
    private final PixmapCache<?> cache;
    private final Entry entry;
    private final Arena scope;
    private final Pixmap pixmap;

    /** Takes over one reference to {@code entry}, which the caller has already pinned. */
    private Lease(PixmapCache<?> cache, Entry entry, Arena scope) {
        this.cache = cache;
        this.entry = entry;
        this.scope = scope;
        LeakDetector leaks = cache.leakDetector();
        // A sampled lease's scope carries a leak watch; the unpin captures the cache and entry only.
        Consumer<MemorySegment> leakWatch = leaks.sample() ? leaks.track(() -> cache.unpin(entry), entry) : null;
        this.pixmap = Pixmap.wrap(NativeMemory.view(entry.address(), entry.byteSize(), scope, leakWatch).asReadOnly(),
                entry.width(), entry.height(), entry.format());
    }

    /** A lease only the calling thread may use: its view lives in a confined arena (about 10 ns). */
    static PixmapLease confined(PixmapCache<?> cache, Entry pinned) {
        return new Confined(cache, pinned);
    }

    @Override
    public final Pixmap pixmap() {
        if (!scope.scope().isAlive()) {
            throw closed();
        }
        return pixmap;
    }

    @Override
    public final PixmapLease share() {
        if (!scope.scope().isAlive() || !entry.tryPin()) {
            throw closed();
        }
        return new Shared(cache, entry);
    }

    /** Kills the view, then drops the pin; the order is what makes a leaked segment harmless. */
    final void closeScopeAndUnpin() {
        scope.close();  // also ends leak tracking: the watch runs as one of the scope's close actions
        cache.unpin(entry);
    }

    final boolean isOpen() {
        return scope.scope().isAlive();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "Lease[" + entry + (isOpen() ? "" : ", closed") + "]";
    }

    private IllegalStateException closed() {
        return new IllegalStateException("the lease is closed: " + this);
    }

    /** Closing from another thread throws {@link WrongThreadException} and changes nothing. */
    static final class Confined extends Lease {
        Confined(PixmapCache<?> cache, Entry pinned) {
            super(cache, pinned, Arena.ofConfined());
        }

        @Override
        public void close() {
            if (isOpen()) {
                closeScopeAndUnpin();
            }
        }
    }

    /** Any thread may read and close it; closing is a handshake with every thread. */
    static final class Shared extends Lease {
        private final AtomicBoolean closing = new AtomicBoolean();

        Shared(PixmapCache<?> cache, Entry pinned) {
            super(cache, pinned, Arena.ofShared());
        }

        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                return;
            }
            try {
                SharedLeaseCloseEvent handshake = CacheEvents.sharedCloseStarted();
                closeScopeAndUnpin();
                CacheEvents.sharedCloseEnded(handshake, super.cache, super.entry.byteSize());
            } catch (IllegalStateException busy) {  // a segment of the view is in a native call
                closing.set(false);
                throw busy;
            }
        }
    }
}
