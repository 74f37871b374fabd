package io.github.pixmapcache;

import java.lang.System.Logger;
import java.util.ArrayList;
import java.util.List;

/**
 * The removals one locked operation made, to be told to the {@link RemovalListener} after it
 * unlocks: collected under the lock, delivered by the thread that made them, with no lock held.
 * Without a listener nothing is collected. Not thread-safe: it belongs to one operation.
 */
final class Removals {
    /** Where a listener's exceptions are logged, at WARNING. */
    static final String LOGGER_NAME = "io.github.pixmapcache.removals";
    private static final Logger LOGGER = System.getLogger(LOGGER_NAME);

    /** Collects nothing: for caches without a listener, shared, as it never changes. */
    private static final Removals NONE = new Removals(null);

    private final RemovalListener listener;
    /** Keys and causes in the order the entries left; null until the first. */
    private List<Object> keys;
    private List<RemovalCause> causes;

    private Removals(RemovalListener listener) {
        this.listener = listener;
    }

    /** The removals of one operation, for {@code listener}, or a shared no-op if it is null. */
    static Removals to(RemovalListener listener) {
        return listener == null ? NONE : new Removals(listener);
    }

    void add(Object key, RemovalCause cause) {
        if (listener == null) {
            return;
        }
        if (keys == null) {
            keys = new ArrayList<>();
            causes = new ArrayList<>();
        }
        keys.add(key);
        causes.add(cause);
    }

    /** Tells the listener of each removal, in order; one that throws is logged and the rest still told. */
    void deliver() {
        if (keys == null) {
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            try {
                listener.onRemoval(keys.get(i), causes.get(i));
            } catch (Throwable e) {  // a sneaky checked exception too
                if (e instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
                LOGGER.log(Logger.Level.WARNING, "the removal listener threw on " + keys.get(i) + " ("
                        + causes.get(i) + "); the cache is unaffected", e);
            }
        }
    }
}
