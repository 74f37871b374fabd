package io.github.pixmapcache.testing;

import io.github.pixmapcache.RemovalCause;
import io.github.pixmapcache.RemovalListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A {@link RemovalListener} that keeps every notification, in order, from any number of threads. */
public final class RecordingListener implements RemovalListener {
    /** One notification. */
    public record Removal(Object key, RemovalCause cause) {
        @Override
        public String toString() {
            return key + ":" + cause;
        }
    }

    private final List<Removal> removals = new ArrayList<>();
    private final Map<RemovalCause, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void onRemoval(Object key, RemovalCause cause) {
        synchronized (removals) {
            removals.add(new Removal(key, cause));
        }
        counts.computeIfAbsent(cause, c -> new LongAdder()).increment();
    }

    /** Every notification so far, in order. */
    public List<Removal> removals() {
        synchronized (removals) {
            return List.copyOf(removals);
        }
    }

    public long count(RemovalCause cause) {
        LongAdder count = counts.get(cause);
        return count == null ? 0 : count.sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }
}
