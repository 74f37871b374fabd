package io.github.pixmapcache;

import java.lang.ref.WeakReference;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The periodic task that runs a cache's {@link PixmapCache#cleanUp()} on the user's scheduler.
 * It holds the cache weakly, so that scheduling keeps no cache alive; it stops when the cache is
 * closed or collected. Whatever a run throws is logged by the cache's listener delivery or caught
 * here, so that the scheduler never drops the task for an exception.
 */
final class ScheduledMaintenance implements Runnable {
    private final WeakReference<PixmapCache<?>> cache;
    private volatile Future<?> schedule;

    private ScheduledMaintenance(PixmapCache<?> cache) {
        this.cache = new WeakReference<>(cache);
    }

    /** Schedules {@code cache}'s maintenance every {@code periodNanos} on {@code scheduler}; returns the schedule. */
    static Future<?> start(PixmapCache<?> cache, ScheduledExecutorService scheduler, long periodNanos) {
        ScheduledMaintenance task = new ScheduledMaintenance(cache);
        Future<?> schedule = scheduler.scheduleWithFixedDelay(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        task.schedule = schedule;
        return schedule;
    }

    @Override
    public void run() {
        PixmapCache<?> target = cache.get();
        if (target == null || !target.cleanUpIfOpen()) {
            Future<?> own = schedule;
            if (own != null) {
                own.cancel(false);
            }
        }
    }
}
