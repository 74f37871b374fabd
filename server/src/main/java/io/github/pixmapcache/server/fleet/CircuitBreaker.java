package io.github.pixmapcache.server.fleet;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Stops calls to a failing dependency so that it costs no latency while it is down, and lets one
 * probe through now and then to notice that it is back.
 *
 * <ul>
 *   <li>{@code CLOSED}: every call goes through; {@code failureThreshold} failures in a row open it.</li>
 *   <li>{@code OPEN}: no call goes through for {@code openFor}; then the next caller becomes the probe
 *       and the breaker is {@code HALF_OPEN}.</li>
 *   <li>{@code HALF_OPEN}: only the probe is out; its success closes the breaker, its failure opens it
 *       again. A probe that never reports (its caller died) is replaced after another {@code openFor}.</li>
 * </ul>
 *
 * The whole state is one immutable {@link Snapshot} swapped by compare-and-set, so a transition
 * happens once however many threads report at the same time.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** {@code since}: when OPEN was entered, or when the HALF_OPEN probe was let through (nanos). */
    private record Snapshot(State state, int failures, long since) {}

    private final int failureThreshold;
    private final long openForNanos;
    private final LongSupplier nanoClock;
    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(State.CLOSED, 0, 0));
    private final AtomicLong openings = new AtomicLong();

    public CircuitBreaker(int failureThreshold, Duration openFor) {
        this(failureThreshold, openFor, System::nanoTime);
    }

    CircuitBreaker(int failureThreshold, Duration openFor, LongSupplier nanoClock) {
        if (failureThreshold < 1) {
            throw new IllegalArgumentException("failure threshold " + failureThreshold + " is below 1");
        }
        if (openFor.isNegative() || openFor.isZero()) {
            throw new IllegalArgumentException("open duration " + openFor + " is not positive");
        }
        this.failureThreshold = failureThreshold;
        this.openForNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Whether a call may go out now; a {@code true} must be followed by {@link #onSuccess} or {@link #onFailure}. */
    public boolean tryAcquire() {
        while (true) {
            Snapshot current = snapshot.get();
            if (current.state == State.CLOSED) {
                return true;
            }
            long now = nanoClock.getAsLong();
            if (now - current.since < openForNanos) {
                return false;
            }
            if (snapshot.compareAndSet(current, new Snapshot(State.HALF_OPEN, current.failures, now))) {
                return true;
            }
        }
    }

    public void onSuccess() {
        while (true) {
            Snapshot current = snapshot.get();
            if (current.state == State.CLOSED && current.failures == 0) {
                return;
            }
            if (current.state == State.OPEN) {
                return; // a call from before the opening; only the probe may close it
            }
            if (snapshot.compareAndSet(current, new Snapshot(State.CLOSED, 0, 0))) {
                return;
            }
        }
    }

    public void onFailure() {
        while (true) {
            Snapshot current = snapshot.get();
            Snapshot next;
            if (current.state == State.OPEN) {
                return;
            } else if (current.state == State.HALF_OPEN || current.failures + 1 >= failureThreshold) {
                next = new Snapshot(State.OPEN, current.failures + 1, nanoClock.getAsLong());
            } else {
                next = new Snapshot(State.CLOSED, current.failures + 1, 0);
            }
            if (snapshot.compareAndSet(current, next)) {
                if (next.state == State.OPEN) {
                    openings.incrementAndGet();
                }
                return;
            }
        }
    }

    /**
     * Opens the breaker now, whatever the count: for a failure that repeating cannot fix (Redis refused
     * this server), so that it costs one call per {@code openFor} and no more.
     */
    public void trip() {
        while (true) {
            Snapshot current = snapshot.get();
            if (current.state == State.OPEN) {
                return;
            }
            if (snapshot.compareAndSet(current, new Snapshot(State.OPEN, current.failures + 1, nanoClock.getAsLong()))) {
                openings.incrementAndGet();
                return;
            }
        }
    }

    public State state() {
        return snapshot.get().state;
    }

    /** How many times the breaker has opened since it was made. */
    public long openings() {
        return openings.get();
    }
}
