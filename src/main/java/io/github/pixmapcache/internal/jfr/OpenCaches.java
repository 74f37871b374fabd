package io.github.pixmapcache.internal.jfr;

import io.github.pixmapcache.PixmapCache;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * The caches whose counters {@link StatisticsEvent} reports, held weakly, so that a cache dropped
 * without {@code close()} is not kept alive here. The periodic hook is registered once JFR is
 * initialized: registering it earlier would initialize JFR (and load the event class) in every
 * program that builds a cache.
 */
final class OpenCaches {
    private static final Map<PixmapCache<?>, Boolean> CACHES = Collections.synchronizedMap(new WeakHashMap<>());

    static {
        if (FlightRecorder.isAvailable()) {  // false on a JVM built without JFR
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    FlightRecorder.addPeriodicEvent(StatisticsEvent.class, OpenCaches::recordStatistics);
                }
            });
        }
    }

    private OpenCaches() {}

    static void add(PixmapCache<?> cache) {
        CACHES.put(cache, Boolean.TRUE);
    }

    static void remove(PixmapCache<?> cache) {
        CACHES.remove(cache);
    }

    /** JFR's periodic hook: runs only while a recording has the statistics event on. */
    private static void recordStatistics() {
        List<PixmapCache<?>> caches;
        synchronized (CACHES) {
            caches = new ArrayList<>(CACHES.keySet());
        }
        caches.forEach(StatisticsEvent::record);
    }
}
