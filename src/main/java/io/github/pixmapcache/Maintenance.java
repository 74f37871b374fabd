package io.github.pixmapcache;

import io.github.pixmapcache.internal.concurrent.GuardedBy;
import java.time.Duration;

/**
 * When expiry and idle trimming are due; off unless the builder turned them on. The cache's
 * maintenance run ({@link PixmapCache#cleanUp()}, the scheduler's task, and for expiry also every
 * locked operation) asks it under the cache lock, and the Engine removes what it names.
 *
 * <p>Idle trimming follows Qt's {@code QPixmapCache}: once per period, if nothing was found,
 * missed or inserted since the last period ended, a quarter of the bytes leave, least valuable
 * first (in the eviction policy's order), until the cache is empty; any use stops it.
 */
final class Maintenance {
    /** What an idle period keeps of the used bytes: Qt's three quarters. */
    static final double KEPT_PER_IDLE_PERIOD = 0.75;

    private final Ticker ticker;
    /** Nanoseconds an entry may go unread before it expires, or 0 for no expiry. */
    private final long expireAfterAccessNanos;
    /** Nanoseconds between idle checks, or 0 for no idle trimming. */
    private final long trimPeriodNanos;

    @GuardedBy("the cache lock")
    private long lastCheck;
    /** Finds, misses and insertions counted at the last idle check; -1 before the first. */
    @GuardedBy("the cache lock")
    private long lastActivity = -1;

    Maintenance(Ticker ticker, Duration expireAfterAccess, Duration trimPeriod) {
        this.ticker = ticker;
        this.expireAfterAccessNanos = nanosOrZero(expireAfterAccess);
        this.trimPeriodNanos = nanosOrZero(trimPeriod);
        this.lastCheck = ticker.read();
    }

    boolean expires() {
        return expireAfterAccessNanos > 0;
    }

    boolean trims() {
        return trimPeriodNanos > 0;
    }

    long now() {
        return ticker.read();
    }

    /** Entries last accessed at or before this time have expired. */
    long expiryDeadline(long now) {
        return now - expireAfterAccessNanos;
    }

    /**
     * How often a scheduler runs maintenance: every trimming period, and often enough that an
     * entry outlives its expiry by at most a quarter of it (but not more often than every
     * millisecond); 0 if there is nothing to schedule.
     */
    long scheduleNanos() {
        long expiry = expires() ? Math.max(1_000_000, expireAfterAccessNanos / 4) : Long.MAX_VALUE;
        long trim = trims() ? trimPeriodNanos : Long.MAX_VALUE;
        long every = Math.min(expiry, trim);
        return every == Long.MAX_VALUE ? 0 : every;
    }

    /**
     * The byte size to trim the cache to now, or -1 to keep it: a period has passed since the last
     * check, and {@code activity} (finds, misses and insertions so far) has not changed since.
     */
    @GuardedBy("the cache lock")
    long trimTarget(long now, long activity, long usedBytes) {
        if (!trims() || now - lastCheck < trimPeriodNanos) {
            return -1;
        }
        lastCheck = now;
        boolean idle = activity == lastActivity;
        lastActivity = activity;
        return idle && usedBytes > 0 ? (long) (usedBytes * KEPT_PER_IDLE_PERIOD) : -1;
    }

    /** Longer durations are taken as this (73 years), so that time differences never overflow. */
    private static final long LONGEST_NANOS = Long.MAX_VALUE / 4;

    private static long nanosOrZero(Duration duration) {
        if (duration == null) {
            return 0;
        }
        return duration.compareTo(Duration.ofNanos(LONGEST_NANOS)) > 0 ? LONGEST_NANOS : duration.toNanos();
    }
}
