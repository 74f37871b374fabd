package io.github.pixmapcache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import io.github.pixmapcache.Pixmap;
import io.github.pixmapcache.PixmapCache;
import io.github.pixmapcache.PixmapLease;
import java.lang.foreign.Arena;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The garbage collector's view of a full cache: fills one structure with {@value #GIB} GiB of
 * 256x256 pixmaps, then runs a steady load of {@value #READS_PER_TICK} finds and
 * {@value #INSERTS_PER_TICK} replacing inserts every {@value #TICK_MILLIS} ms (Zipf-drawn names)
 * for the given number of seconds, and prints what it saw as {@code key=value} lines. Run it in a
 * JVM of its own with {@code -Xlog:gc:file=...:uptime}; the report reads the pauses from that log
 * between {@code steadyStartMillis} and {@code steadyEndMillis} (JVM uptime).
 *
 * <pre>java -Xlog:gc:file=gc.log:uptime -cp benchmarks.jar io.github.pixmapcache.bench.GcImpact ours|caffeine|empty SECONDS</pre>
 *
 * <p>{@code ours} and {@code caffeine} hold the pixels in our cache and in Caffeine as
 * {@code byte[]}; {@code empty} runs the same loop against our cache with a budget of zero, so
 * finds miss and inserts are refused: the baseline of a JVM that caches nothing.
 */
public final class GcImpact {
    static final int GIB = 4;
    static final int SIDE = 256;
    static final int READS_PER_TICK = 200;
    static final int INSERTS_PER_TICK = 10;
    static final int TICK_MILLIS = 10;

    private GcImpact() {}

    public static void main(String[] args) {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: GcImpact ours|caffeine|empty SECONDS");
        }
        String mode = args[0];
        int seconds = Integer.parseInt(args[1]);
        int bytesPerEntry = SIDE * SIDE * 4;
        int entries = (int) (((long) GIB << 30) / bytesPerEntry);
        Store store = switch (mode) {
            case "ours" -> new Ours(((long) GIB << 30));
            case "caffeine" -> new Caffeine(((long) GIB << 30));
            case "empty" -> new Ours(0);
            default -> throw new IllegalArgumentException("no mode " + mode + ": ours, caffeine or empty");
        };
        String[] names = new String[entries];
        for (int i = 0; i < entries; i++) {
            names[i] = "gc/photo-" + i + ".jpg@" + SIDE + "x" + SIDE;
        }
        ZipfKeys keys = ZipfKeys.of(entries, Dataset.ZIPF_S, 42);
        try (Arena arena = Arena.ofConfined()) {
            Pixmap pixmap = Pixmap.allocate(arena, SIDE, SIDE, Dataset.FORMAT);
            pixmap.fill(0xFF336699);
            for (String name : names) {
                store.insert(name, pixmap);
            }
            System.gc();
            long collectionsBefore = collections();
            long collectionMillisBefore = collectionMillis();
            long start = uptimeMillis();
            long operations = 0;
            long checksum = 0;
            int position = 0;
            long tickNanos = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
            long next = System.nanoTime();
            long end = next + TimeUnit.SECONDS.toNanos(seconds);
            while (next < end) {
                for (int i = 0; i < READS_PER_TICK; i++) {
                    checksum += store.read(names[keys.at(position++)], SIDE / 2);
                }
                for (int i = 0; i < INSERTS_PER_TICK; i++) {
                    store.insert(names[keys.at(position++)], pixmap);
                }
                operations += READS_PER_TICK + INSERTS_PER_TICK;
                next += tickNanos;
                LockSupport.parkNanos(next - System.nanoTime());
            }
            long steadyEnd = uptimeMillis();
            long collections = collections() - collectionsBefore;
            long collectionMillis = collectionMillis() - collectionMillisBefore;
            System.gc();
            long heapAfterFullGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.println("mode=" + mode);
            System.out.println("entries=" + store.size());
            System.out.println("pixelBytes=" + (long) store.size() * bytesPerEntry);
            System.out.println("operations=" + operations);
            System.out.println("seconds=" + seconds);
            System.out.println("steadyStartMillis=" + start);
            System.out.println("steadyEndMillis=" + steadyEnd);
            System.out.println("collections=" + collections);
            System.out.println("collectionMillis=" + collectionMillis);
            System.out.println("heapUsedAfterFullGc=" + heapAfterFullGc);
            System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory());
            System.out.println("checksum=" + checksum);
        }
    }

    private static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long collectionMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** The structure under load: a find that reads one pixel, and an insert that copies one. */
    private interface Store {
        void insert(String name, Pixmap pixmap);

        /** The probed pixel of the entry, or 0 on a miss. */
        int read(String name, int probe);

        long size();
    }

    private static final class Ours implements Store {
        private final PixmapCache<String> cache;

        Ours(long budget) {
            cache = Peers.ours(budget);
        }

        @Override
        public void insert(String name, Pixmap pixmap) {
            cache.insert(name, pixmap);
        }

        @Override
        public int read(String name, int probe) {
            try (PixmapLease lease = cache.find(name)) {
                return lease == null ? 0 : lease.pixmap().getArgb(probe, probe);
            }
        }

        @Override
        public long size() {
            return cache.size();
        }
    }

    private static final class Caffeine implements Store {
        private final Cache<String, byte[]> cache;

        Caffeine(long budget) {
            cache = Peers.caffeine(budget);
        }

        @Override
        public void insert(String name, Pixmap pixmap) {
            cache.put(name, Dataset.bytesOf(pixmap));
        }

        @Override
        public int read(String name, int probe) {
            byte[] pixels = cache.getIfPresent(name);
            return pixels == null ? 0 : pixels[(probe * SIDE + probe) * 4];
        }

        @Override
        public long size() {
            cache.cleanUp();
            return cache.estimatedSize();
        }
    }
}
