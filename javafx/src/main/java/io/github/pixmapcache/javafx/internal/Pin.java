package io.github.pixmapcache.javafx.internal;

import java.lang.ref.Cleaner;
import java.util.Objects;

/**
 * Keeps native pixels (a shared lease, an arena) for as long as a root object is reachable, and
 * releases them once: when the root becomes unreachable or on {@link #release()}, whichever comes
 * first.
 *
 * <p>The release action must not reach the root, or the root never becomes unreachable.
 */
public final class Pin {
    /** One daemon thread for every pin of this module; each cleanup closes one lease or arena. */
    private static final Cleaner CLEANER = Cleaner.create(task -> {
        Thread thread = new Thread(task, "pixmap-cache-javafx-pins");
        thread.setDaemon(true);
        return thread;
    });

    private final Cleaner.Cleanable cleanable;

    private Pin(Cleaner.Cleanable cleanable) {
        this.cleanable = cleanable;
    }

    /** Runs {@code release} when {@code root} becomes unreachable, unless released earlier. */
    public static Pin whileReachable(Object root, Runnable release) {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(release, "release");
        return new Pin(CLEANER.register(root, release));
    }

    /** Releases now, on the calling thread; later calls, and the cleanup that would have come, do nothing. */
    public void release() {
        cleanable.clean();
    }
}
