package io.github.pixmapcache.javafx.demo;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * Frame times, heap use and GC pauses while the gallery scrolls. Frames are the intervals between
 * pulses (what the user sees); work is the Application Thread's own time per frame (scrolling, and
 * rendering the thumbnails that missed). Collections come from the JVM's GC notifications.
 */
final class Measurements {
    /** Frames at the start left out of the summary: class loading and JIT warm-up. */
    private static final int WARMUP_FRAMES = 60;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private long[] frameNanos = new long[4096];
    private long[] workNanos = new long[4096];
    private int frames;
    private long heapUsedMax;
    /** Per collector: count, total and longest pause (ms). Written by the notification thread. */
    private final Map<String, long[]> collections = new TreeMap<>();
    private long heapAfterGcMax;

    Measurements() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    collected(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
                }
            }, null, null);
        }
    }

    private synchronized void collected(GarbageCollectionNotificationInfo info) {
        long millis = info.getGcInfo().getDuration();
        long[] stats = collections.computeIfAbsent(info.getGcName(), name -> new long[3]);
        stats[0]++;
        stats[1] += millis;
        stats[2] = Math.max(stats[2], millis);
        long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
        heapAfterGcMax = Math.max(heapAfterGcMax, after);
    }

    void frame(long intervalNanos, long workNanosOfFrame) {
        if (frames == frameNanos.length) {
            frameNanos = Arrays.copyOf(frameNanos, frames * 2);
            workNanos = Arrays.copyOf(workNanos, frames * 2);
        }
        frameNanos[frames] = intervalNanos;
        workNanos[frames] = workNanosOfFrame;
        frames++;
        heapUsedMax = Math.max(heapUsedMax, memory.getHeapMemoryUsage().getUsed());
    }

    /** The overlay's line: the last second or so of frames, heap now, collections so far. */
    synchronized String status() {
        int from = Math.max(0, frames - 60);
        long[] recent = Arrays.copyOfRange(frameNanos, from, frames);
        long[] work = Arrays.copyOfRange(workNanos, from, frames);
        return String.format("frame %s ms, work %s ms (last %d frames); heap %.0f MiB; GC %s",
                percentiles(recent), percentiles(work), recent.length,
                memory.getHeapMemoryUsage().getUsed() / (double) (1 << 20), gcSummary());
    }

    /** The run's results as one Markdown table row (see RESULTS.md for the header). */
    synchronized String summaryRow(GalleryOptions options, ThumbnailSource source) {
        int from = Math.min(WARMUP_FRAMES, frames);
        String mode = options.mode() == GalleryOptions.Mode.CACHE
                ? "cache, release " + options.release().name().toLowerCase() : "heap";
        String row = String.format("| %s | %d | %s | %s | %.0f | %.0f | %s | %.1f%% |", mode,
                frames - from, percentiles(Arrays.copyOfRange(frameNanos, from, frames)),
                percentiles(Arrays.copyOfRange(workNanos, from, frames)),
                heapUsedMax / (double) (1 << 20), heapAfterGcMax / (double) (1 << 20), gcSummary(),
                100 * source.hitRate());
        return row + String.format(" %.0f |", liveHeapMiB());
    }

    /** The heap still reachable, after a full collection (run after the measured frames). */
    private double liveHeapMiB() {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed() / (double) (1 << 20);
    }

    private String gcSummary() {
        if (collections.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        collections.forEach((name, stats) -> out.append(out.isEmpty() ? "" : "; ")
                .append(String.format("%s: %d, %d ms total, %d ms max", name, stats[0], stats[1], stats[2])));
        return out.toString();
    }

    /** p50 / p99 / max in milliseconds. */
    private static String percentiles(long[] nanos) {
        if (nanos.length == 0) {
            return "-";
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%.1f / %.1f / %.1f", sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }
}
