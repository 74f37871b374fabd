package io.github.pixmapcache.internal.leak;

import io.github.pixmapcache.internal.jfr.CacheEvents;
import java.lang.System.Logger;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Finds leases that become unreachable without {@code close()}: it reports each through
 * {@link System.Logger} with the stack that acquired it, and releases its pin so that the memory
 * is not held forever.
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
     * Tracks a lease being acquired. Call only for a lease {@link #sample()} chose, and attach the
     * returned watch to the scope of the lease's views as a close action
     * ({@code reinterpret(size, arena, watch)}): the scope then holds the only strong reference to
     * it, so it becomes unreachable exactly when nothing that could read the memory is left.
     *
     * @param unpin releases the lease's pin; must not reference the lease, its arena or its views
     * @param description names what the lease pins, for the report
     */
    public Consumer<MemorySegment> track(Runnable unpin, Object description) {
        Leak leak = new Leak(unpin, description, new Acquisition());
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
                    + " Close every lease, e.g. with try-with-resources. It was acquired at:", acquisition);
            CacheEvents.leaseLeaked(description, acquisition);
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
