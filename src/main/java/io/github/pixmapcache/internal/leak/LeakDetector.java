package io.github.pixmapcache.internal.leak;

import java.lang.System.Logger;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Finds leases that become unreachable without {@code close()}: it reports each through
 * {@link System.Logger} with the stack that acquired it, and releases its pin so that the memory
 * is not held forever.
 *
 * <p><b>What is watched.</b> A tracked lease registers its view's {@link MemorySegment.Scope} with a
 * {@link Cleaner}, not the lease object: every view a caller can keep (the pixmap, its segment,
 * slices, {@code asByteBuffer()} buffers) references that scope, so the pin is released only once
 * nothing that could read the memory is left. The cleaner action holds the unpin and the
 * acquisition stack, never the lease, its arena or a segment.
 *
 * <p><b>Levels</b>, from the system property {@value #LEVEL_PROPERTY}, read when a cache is built:
 * <ul>
 *   <li>{@code off}: nothing is tracked; a leaked lease pins its memory until the JVM exits.
 *   <li>{@code sampled} (the default): about one lease in {@value #SAMPLING_INTERVAL} is tracked.
 *       An untracked lease costs one thread-local random draw and allocates nothing.
 *   <li>{@code all}: every lease is tracked: a stack trace and a cleaner registration per lease
 *       (microseconds), for tests and debugging.
 * </ul>
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

    private LeakDetector(Level level) {
        this.level = level;
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

    /** Whether the lease being acquired now is to be tracked; cheap enough for every find. */
    public boolean sample() {
        return switch (level) {
            case OFF -> false;
            case SAMPLED -> ThreadLocalRandom.current().nextInt(SAMPLING_INTERVAL) == 0;
            case ALL -> true;
        };
    }

    /**
     * Tracks a lease that was just acquired. Call only for a lease {@link #sample()} chose.
     *
     * @param viewScope the scope of every view the lease hands out
     * @param unpin releases the lease's pin; must not reference the lease, its arena or its views
     * @param description names what the lease pins, for the report
     */
    public Tracker track(MemorySegment.Scope viewScope, Runnable unpin, Object description) {
        Tracker tracker = new Tracker(unpin, description, new Acquisition());
        tracker.cleanable = Cleaners.CLEANER.register(viewScope, tracker);
        return tracker;
    }

    /**
     * The pin of one tracked lease, released exactly once: by the owner's {@code close()} or, if
     * every view became unreachable first, by the cleaner, which also reports the leak.
     */
    public static final class Tracker implements Runnable {
        private static final Logger LOGGER = System.getLogger(LOGGER_NAME);

        private final AtomicBoolean released = new AtomicBoolean();
        private final Runnable unpin;
        private final Object description;
        private final Acquisition acquisition;
        private Cleaner.Cleanable cleanable;

        private Tracker(Runnable unpin, Object description, Acquisition acquisition) {
            this.unpin = unpin;
            this.description = description;
            this.acquisition = acquisition;
        }

        /**
         * The owner closed the lease: stops tracking it.
         *
         * @return true if the owner is to unpin, false if the cleaner already has
         */
        public boolean closedByOwner() {
            boolean owner = released.compareAndSet(false, true);
            cleanable.clean();  // deregisters; run() then finds the pin released and does nothing
            return owner;
        }

        /** The cleaner's action: every view is unreachable and the lease was never closed. */
        @Override
        public void run() {
            if (released.compareAndSet(false, true)) {
                unpin.run();  // first, so that a failing logger cannot keep the memory pinned
                LOGGER.log(Logger.Level.WARNING, "LEAK: a PixmapLease on " + description
                        + " became unreachable without close(); its pin is released."
                        + " Close every lease, e.g. with try-with-resources. It was acquired at:", acquisition);
            }
        }
    }

    /** The stack of the thread that acquired a tracked lease. */
    private static final class Acquisition extends Throwable {
        private static final long serialVersionUID = 1L;

        Acquisition() {
            super("lease acquired here", null, false, true);
        }
    }

    /** Starts the cleaner thread only when the first lease is tracked. */
    private static final class Cleaners {
        static final Cleaner CLEANER = Cleaner.create();
    }
}
