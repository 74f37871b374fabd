package io.github.pixmapcache.internal.leak;

import io.github.pixmapcache.internal.concurrent.ThreadState;
import io.github.pixmapcache.internal.jfr.CacheEvents;
import java.lang.System.Logger;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Finds leases that become unreachable without {@code close()}: it reports each through
 * {@link System.Logger} (with the stack that acquired it at level {@code all}), and releases its
 * pin so that the memory is not held forever.
 *
 * <p><b>What is watched.</b> Not the lease object: a tracked lease attaches a small watch to its
 * views' scope as a close action, and the {@link Cleaner} watches that. Every view a caller can keep
 * (the pixmap, its segment, slices, {@code asByteBuffer()} buffers) references the scope, and only
 * the scope references the watch, so the pin is released only once nothing that could read the
 * memory is left. The scope itself is never handed to the cleaner, so it does not escape, and an
 * untracked lease's arena and views can still be removed by escape analysis. The cleaner action
 * holds the unpin and the acquisition stack, never the lease, its arena or a segment.
 *
 * <p><b>Levels</b>, from the system property {@value #LEVEL_PROPERTY}, read when a cache is built:
 * <ul>
 *   <li>{@code off}: nothing is tracked; a leaked lease pins its memory until the JVM exits.
 *   <li>{@code sampled} (the default): about one lease in {@value #SAMPLING_INTERVAL} is tracked,
 *       without a stack trace (as Netty's {@code SIMPLE} level): a report names the pixmap and the
 *       acquiring thread. An untracked lease costs one xorshift step on its thread's state and allocates
 *       nothing; a tracked one a cleaner registration and a close action (about a microsecond).
 *   <li>{@code all}: every lease is tracked with the stack that acquired it: tens of microseconds
 *       per lease once C2 has inlined the caller's frames, for tests and debugging.
 * </ul>
 *
 * <p>Why {@code sampled} records no stack: capturing one walks every (inlined) frame and costs
 * 5 to 100 microseconds; one lease in {@value #SAMPLING_INTERVAL} paying that doubled the average
 * find and made its rate swing fivefold from one second to the next.
 */
public final class LeakDetector {
    /** The system property that chooses the level: {@code off}, {@code sampled} or {@code all}. */
    public static final String LEVEL_PROPERTY = "io.github.pixmapcache.leakDetection";
    /** At level {@code sampled}, one lease in this many is tracked, on average. */
    public static final int SAMPLING_INTERVAL = 128;
    /** The logger leaks are reported to, at {@link Logger.Level#WARNING}. */
    public static final String LOGGER_NAME = "io.github.pixmapcache.leaks";

    private enum Level { OFF, SAMPLED, ALL }

    private final Level level;
    /** Whether a tracked lease records the stack that acquired it: only at level {@code all}. */
    private final boolean recordsStacks;

    private LeakDetector(Level level) {
        this.level = level;
        this.recordsStacks = level == Level.ALL;
    }

    /**
     * The detector at the level {@value #LEVEL_PROPERTY} names; {@code sampled} if unset.
     *
     * @throws IllegalArgumentException if the property names no level
     */
    public static LeakDetector fromSystemProperty() {
        String value = System.getProperty(LEVEL_PROPERTY, "sampled");
        try {
            return new LeakDetector(Level.valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    LEVEL_PROPERTY + " must be off, sampled or all, was \"" + value + "\"", e);
        }
    }

    /**
     * Whether the lease being acquired now by the thread whose state is {@code me} is to be tracked;
     * a few instructions on the thread's own state, cheap enough for every find.
     */
    public boolean sample(ThreadState me) {
        return switch (level) {
            case OFF -> false;
            case SAMPLED -> me.oneIn(SAMPLING_INTERVAL);
            case ALL -> true;
        };
    }

    /**
     * Tracks a lease being acquired. Call only for a lease {@link #sample()} chose, and attach the
     * returned watch to the scope of the lease's views as a close action
     * ({@code reinterpret(size, arena, watch)}): the scope then holds the only strong reference to
     * it, so it becomes unreachable exactly when nothing that could read the memory is left.
     *
     * @param unpin releases the lease's pin; must not reference the lease, its arena or its views
     * @param description names what the lease pins, for the report
     */
    public Consumer<MemorySegment> track(Runnable unpin, Object description) {
        Leak leak = new Leak(unpin, description, new Acquisition(recordsStacks));
        CloseWatch watch = new CloseWatch(leak);
        watch.cleanable = Cleaners.CLEANER.register(watch, leak);
        return watch;
    }

    /**
     * Rides in a tracked lease's scope. Closing the scope runs it: the owner closed the lease, so
     * tracking ends quietly. If the scope becomes unreachable unclosed, the cleaner runs the leak.
     */
    private static final class CloseWatch implements Consumer<MemorySegment> {
        private final Leak leak;
        private Cleaner.Cleanable cleanable;

        CloseWatch(Leak leak) {
            this.leak = leak;
        }

        @Override
        public void accept(MemorySegment closing) {
            leak.closedByOwner = true;
            cleanable.clean();  // deregisters now; the leak's run() finds the lease closed
        }
    }

    /** The cleaner's action for one tracked lease; it never references the lease's scope. */
    private static final class Leak implements Runnable {
        private static final Logger LOGGER = System.getLogger(LOGGER_NAME);

        private final Runnable unpin;
        private final Object description;
        private final Acquisition acquisition;
        private volatile boolean closedByOwner;

        Leak(Runnable unpin, Object description, Acquisition acquisition) {
            this.unpin = unpin;
            this.description = description;
            this.acquisition = acquisition;
        }

        /** Runs once: at the owner's close, or when the scope became unreachable unclosed. */
        @Override
        public void run() {
            if (closedByOwner) {
                return;
            }
            unpin.run();  // first, so that a failing logger cannot keep the memory pinned
            LOGGER.log(Logger.Level.WARNING, "LEAK: a PixmapLease on " + description
                    + " became unreachable without close(); its pin is released."
                    + " Close every lease, e.g. with try-with-resources. " + acquisition.getMessage(), acquisition);
            CacheEvents.leaseLeaked(description, acquisition);
        }
    }

    /** The thread that acquired a tracked lease, and at level {@code all} its stack. */
    private static final class Acquisition extends Throwable {
        private static final long serialVersionUID = 1L;

        /** The acquiring thread's name: a reference, so that sampling builds no string. */
        private final String thread = Thread.currentThread().getName();

        /** {@code withStack}: capture the stack now (microseconds); else nothing but the thread. */
        Acquisition(boolean withStack) {
            super(null, null, false, withStack);
        }

        @Override
        public String getMessage() {
            return getStackTrace().length > 0
                    ? "It was acquired on thread \"" + thread + "\" at:"
                    : "It was acquired on thread \"" + thread + "\"; set " + LEVEL_PROPERTY
                            + "=all to record where.";
        }
    }

    /** Starts the cleaner thread only when the first lease is tracked. */
    private static final class Cleaners {
        static final Cleaner CLEANER = Cleaner.create();
    }
}
