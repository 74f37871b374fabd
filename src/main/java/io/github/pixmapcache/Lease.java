package io.github.pixmapcache;

import io.github.pixmapcache.internal.concurrent.ThreadState;
import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.jfr.CacheEvents;
import io.github.pixmapcache.internal.jfr.SharedLeaseCloseEvent;
import io.github.pixmapcache.internal.leak.LeakDetector;
import io.github.pixmapcache.internal.reclaim.Reclaimer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One protection of an entry (a hazard slot or a counted reference, its {@code guard}), and the
 * arena that scopes the read-only view handed out under it. Closing the arena kills the view and
 * everything derived from it before the protection is dropped, so no view ever outlives the
 * memory behind it. A lease knows only its entry and its {@link LeaseContext} (the
 * {@link Reclaimer} that frees it, the {@link LeakDetector} that may watch it, and the cache only
 * as the name in its JFR events); it never calls the cache.
 */
abstract sealed class Lease implements PixmapLease permits Lease.Confined, Lease.Shared {
    private final LeaseContext context;
    private final Entry entry;
    private final int guard;
    private final Arena scope;
    private final Pixmap pixmap;

    /**
     * Takes over the protection {@code guard} of {@code entry}, which the caller holds; {@code me}
     * is the acquiring thread's state, whose random draw decides whether the lease is tracked.
     */
    private Lease(LeaseContext context, Entry entry, int guard, Arena scope, ThreadState me) {
        this.context = context;
        this.entry = entry;
        this.guard = guard;
        this.scope = scope;
        // A sampled lease's scope carries a leak watch; the release captures the protection only.
        LeakDetector leaks = context.leaks();
        Consumer<MemorySegment> leakWatch = leaks.sample(me) ? leaks.track(() -> context.reclaimer().release(entry, guard), entry) : null;
        this.pixmap = Pixmap.viewOf(entry, scope, leakWatch);
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
        // This lease's protection is still held if its scope is alive, so the entry cannot be freed
        // before the new count is in; if it was closed meanwhile, the pin fails on a freed entry.
        if (!scope.scope().isAlive() || !entry.pinUnlessFreed()) {
            throw closed();
        }
        return new Shared(context, entry, ThreadState.current());
    }

    /** Kills the view, then drops the protection; the order is what makes a leaked segment harmless. */
    final void closeScopeAndRelease() {
        scope.close();  // also ends leak tracking: the watch runs as one of the scope's close actions
        context.reclaimer().release(entry, guard);
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

    /**
     * Only the thread that made it may read its view or close it: the view lives in a confined
     * arena (about 10 ns). Closing from another thread throws {@link WrongThreadException} and
     * changes nothing.
     */
    static final class Confined extends Lease {
        /** {@code guard} is a hazard slot this thread claimed, or {@link Reclaimer#COUNTED}. */
        Confined(LeaseContext context, Entry entry, int guard, ThreadState me) {
            super(context, entry, guard, Arena.ofConfined(), me);
        }

        @Override
        public void close() {
            if (isOpen()) {
                closeScopeAndRelease();
            }
        }
    }

    /**
     * Any thread may read and close it; closing is a handshake with every thread. Always a counted
     * reference: a hazard slot belongs to the stripe of the thread that claimed it.
     */
    static final class Shared extends Lease {
        private final AtomicBoolean closing = new AtomicBoolean();

        /** Takes over a counted reference to {@code entry}. */
        Shared(LeaseContext context, Entry entry, ThreadState me) {
            super(context, entry, Reclaimer.COUNTED, Arena.ofShared(), me);
        }

        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                return;
            }
            try {
                SharedLeaseCloseEvent handshake = CacheEvents.sharedCloseStarted();
                closeScopeAndRelease();
                CacheEvents.sharedCloseEnded(handshake, super.context.owner(), super.entry.byteSize());
            } catch (IllegalStateException busy) {  // a segment of the view is in a native call
                closing.set(false);
                throw busy;
            }
        }
    }
}
