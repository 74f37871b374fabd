package io.github.pixmapcache;

import io.github.pixmapcache.internal.concurrent.ThreadState;
import io.github.pixmapcache.internal.index.Entry;
import io.github.pixmapcache.internal.jfr.CacheEvents;
import io.github.pixmapcache.internal.jfr.SharedLeaseCloseEvent;
import io.github.pixmapcache.internal.leak.LeakDetector;
import io.github.pixmapcache.internal.memory.NativeMemory;
import io.github.pixmapcache.internal.reclaim.Reclaimer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One protection of an entry (a hazard slot or a counted reference, its {@code guard}) and the
 * read-only pixmap handed out under it, in one object: the lease is its own {@link #pixmap()}. A
 * lease knows only its entry and its {@link LeaseContext} (the {@link Reclaimer} that frees it, the
 * {@link LeakDetector} that may watch it, and the cache only as the name in its JFR events); it
 * never calls the cache.
 *
 * <p>Views ({@link #segment()}, and slices and buffers of it) live in an arena of the lease. Closing
 * it kills them before the protection is dropped, so no view ever outlives the memory behind it.
 *
 * <p>A lease keeps no pixmap fields: its size and format are its entry's, so that a confined lease
 * is 40 bytes (compressed oops) and the pixmap-only {@link Scoped} that {@code read} hands its
 * reader is the same object without the {@link PixmapLease} interface.
 */
abstract sealed class Lease extends Pixmap permits Lease.Scoped, Lease.Shared {
    private final LeaseContext context;
    private final Entry entry;
    private final int guard;

    /** Takes over the protection {@code guard} of {@code entry}, which the caller holds. */
    private Lease(LeaseContext context, Entry entry, int guard) {
        this.context = context;
        this.entry = entry;
        this.guard = guard;
    }

    @Override
    public final int width() {
        return entry.width();
    }

    @Override
    public final int height() {
        return entry.height();
    }

    @Override
    public final PixelFormat format() {
        return entry.format();
    }

    /** {@link PixmapLease#pixmap()}: the lease itself, while open. */
    public final Pixmap pixmap() {
        if (!isOpen()) {
            throw closed();
        }
        return this;
    }

    /** {@link PixmapLease#share()}: a shared lease on the same entry, with a counted reference of its own. */
    public final PixmapLease share() {
        // This lease's protection is still held if it is open, so the entry cannot be freed before
        // the new count is in; if it was closed meanwhile, the pin fails on a freed entry.
        if (!isOpen() || !entry.pinUnlessFreed()) {
            throw closed();
        }
        return new Shared(context, entry, ThreadState.current());
    }

    /** {@return whether this lease still holds its protection}; exact on the thread that may close it. */
    abstract boolean isOpen();

    /**
     * {@return a new leak watch on the protection {@code guard} of {@code entry}, to attach to the
     * view's arena of a lease the detector sampled}; it captures the protection only, never the
     * lease. Static, so that the lease does not escape into the rare tracking branch and escape
     * analysis can still remove it.
     */
    static Consumer<MemorySegment> leakWatch(LeaseContext context, Entry entry, int guard) {
        Reclaimer reclaimer = context.reclaimer();
        return context.leaks().track(() -> reclaimer.release(entry, guard), entry);
    }

    /** {@return a read-only view of {@code entry}'s pixels that dies with {@code scope}; {@code onClose} runs when it closes} */
    static MemorySegment viewIn(Entry entry, Arena scope, Consumer<MemorySegment> onClose) {
        return NativeMemory.rescoped(entry.base(), scope, onClose);  // one segment, also without escape analysis
    }

    final Entry entry() {
        return entry;
    }

    /** Drops the protection; the caller has killed every view first. */
    final void release() {
        context.reclaimer().release(entry, guard);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "Lease[" + entry + (isOpen() ? "" : ", closed") + "]";
    }

    final IllegalStateException closed() {
        return new IllegalStateException("the lease is closed: " + this);
    }

    /**
     * A confined, lazily scoped pixmap under a protection: only the thread that made it may read its
     * pixels or close it; another thread's access or close throws {@link WrongThreadException} and
     * changes nothing. It is what {@code read} hands its reader (and closes when the reader returns);
     * {@link Confined}, the lease of a find, is the same with the {@link PixmapLease} interface.
     *
     * <p><b>The lazy scope.</b> An untracked lease has no arena: its accessors ({@code getArgb},
     * {@code contentEquals}, copies) check the owner themselves and read the block by address, which
     * the protection keeps allocated while the lease is open on this thread. The arena (80 bytes) and
     * the view (40) are made on the first {@link #segment()}, and closed with the lease, so every view
     * handed out still dies by the FFM runtime's own check. A leak-tracked lease makes them at once,
     * its watch a close action of the arena: then the lease (through its arena) and every view (through
     * the arena's session) keep the watch reachable, and the pin is released only when all are gone.
     *
     * <p>Its fields are not final (they change when it closes or makes its view) and are read only
     * after the owner check: a thread that got the lease through a data race reads either its owner
     * (and is refused with {@link WrongThreadException}) or null (refused as closed), never the pixels.
     */
    static sealed class Scoped extends Lease permits Confined {
        /** The acquiring thread while open, null once closed; written by that thread only. */
        private Thread owner;
        /** The arena of the views: null until the first segment(), or from the start if leak-tracked. */
        private Arena scope;
        /** The view in {@code scope}, made with it. */
        private MemorySegment view;

        /**
         * {@code guard} is a hazard slot this thread claimed, or {@link Reclaimer#COUNTED};
         * {@code tracked}: the leak detector watches it (only a lease that is handed to the caller).
         */
        Scoped(LeaseContext context, Entry entry, int guard, boolean tracked) {
            super(context, entry, guard);
            this.owner = Thread.currentThread();
            if (tracked) {  // the rare branch calls out with values only, so the lease can still be scalar-replaced
                Arena arena = Arena.ofConfined();
                scope = arena;
                view = viewIn(entry, arena, leakWatch(context, entry, guard));
            }
        }

        @Override
        public MemorySegment segment() {
            requireReadable();
            MemorySegment made = view;
            if (made == null) {
                Arena arena = Arena.ofConfined();
                scope = arena;
                made = viewIn(entry(), arena, null);
                view = made;
            }
            return made;
        }

        @Override
        MemorySegment view() {
            return view;
        }

        @Override
        MemorySegment readable() {
            requireReadable();
            return NativeMemory.everything();  // the check above is what keeps the block allocated
        }

        @Override
        long origin() {
            return entry().address();
        }

        @Override
        MemorySegment writable() {
            requireReadable();
            throw new IllegalArgumentException("a leased pixmap is read-only: " + this);
        }

        @Override
        void requireReadable() {
            Thread current = owner;
            if (current != Thread.currentThread()) {
                throw current == null ? closed() : confinedTo(current);
            }
        }

        @Override
        boolean isOpen() {
            return owner != null;
        }

        /**
         * Closes the arena (killing every view), marks the lease closed and drops the protection; a
         * no-op once closed.
         *
         * @throws WrongThreadException if called from another thread than the owner, changing nothing
         */
        public void close() {
            Thread current = owner;
            if (current != Thread.currentThread()) {
                if (current == null) {
                    return;  // closed already
                }
                throw confinedTo(current);
            }
            if (scope != null) {
                scope.close();  // kills every view; runs the leak watch, if any. Throws, changing nothing, if a view is in a native call
            }
            owner = null;  // every accessor throws from here on
            release();
        }

        private WrongThreadException confinedTo(Thread current) {
            return new WrongThreadException("the lease is confined to thread \"" + current.getName()
                    + "\", accessed from \"" + Thread.currentThread().getName() + "\": " + this);
        }
    }

    /** The lease of a find: a {@link Scoped} pixmap the caller closes, which the leak detector may sample. */
    static final class Confined extends Scoped implements PixmapLease {
        /** {@code guard} is a hazard slot this thread, whose state is {@code me}, claimed, or {@link Reclaimer#COUNTED}. */
        Confined(LeaseContext context, Entry entry, int guard, ThreadState me) {
            super(context, entry, guard, context.leaks().sample(me));
        }
    }

    /**
     * Any thread may read and close it; closing is a handshake with every thread. Always a counted
     * reference: a hazard slot belongs to the stripe of the thread that claimed it. Its view is made
     * at once, and every access goes through it, so the FFM runtime checks each one against a
     * concurrent close.
     */
    static final class Shared extends Lease implements PixmapLease {
        private final Arena scope = Arena.ofShared();
        private final MemorySegment view;
        private final AtomicBoolean closing = new AtomicBoolean();

        /** Takes over a counted reference to {@code entry}. */
        Shared(LeaseContext context, Entry entry, ThreadState me) {
            super(context, entry, Reclaimer.COUNTED);
            this.view = viewIn(entry, scope, context.leaks().sample(me) ? leakWatch(context, entry, Reclaimer.COUNTED) : null);
        }

        @Override
        public MemorySegment segment() {
            requireReadable();
            return view;
        }

        @Override
        MemorySegment view() {
            return view;
        }

        @Override
        MemorySegment readable() {
            return view;
        }

        @Override
        long origin() {
            return 0;
        }

        @Override
        MemorySegment writable() {
            return view;
        }

        @Override
        void requireReadable() {
            if (!isOpen()) {
                throw closed();
            }
        }

        @Override
        boolean isOpen() {
            return scope.scope().isAlive();
        }

        @Override
        public void close() {
            if (!closing.compareAndSet(false, true)) {
                return;
            }
            try {
                SharedLeaseCloseEvent handshake = CacheEvents.sharedCloseStarted();
                scope.close();  // kills every view on every thread; ends leak tracking
                release();
                CacheEvents.sharedCloseEnded(handshake, super.context.owner(), super.entry.byteSize());
            } catch (IllegalStateException busy) {  // a segment of the view is in a native call
                closing.set(false);
                throw busy;
            }
        }
    }
}
