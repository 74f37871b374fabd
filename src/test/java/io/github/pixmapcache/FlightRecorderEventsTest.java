package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.internal.index.KeyTable;
import io.github.pixmapcache.testing.CacheFixture;
import io.github.pixmapcache.testing.TestAllocator;
import java.io.InputStreamReader;
import java.io.Reader;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JFR events: each recorded where docs/observability.md says, with the fields it documents, and only
 * then. Most tests run a {@link Recording} around the operations and read it back through
 * {@link RecordingFile}; the leak test streams, since a leak is reported whenever the GC finds it.
 */
class FlightRecorderEventsTest {
    private static final String LOAD = "io.github.pixmapcache.Load";
    private static final String EVICTION = "io.github.pixmapcache.Eviction";
    private static final String ALLOCATION_FAILURE = "io.github.pixmapcache.AllocationFailure";
    private static final String LEAKED_LEASE = "io.github.pixmapcache.LeakedLease";
    private static final String SHARED_LEASE_CLOSE = "io.github.pixmapcache.SharedLeaseClose";
    private static final String STATISTICS = "io.github.pixmapcache.Statistics";
    private static final List<String> ALL = List.of(LOAD, EVICTION, ALLOCATION_FAILURE, LEAKED_LEASE,
            SHARED_LEASE_CLOSE, STATISTICS);

    @RegisterExtension
    final CacheFixture caches = new CacheFixture();

    private final Arena arena = caches.arena();

    @TempDir
    Path dir;

    @Test
    void aLoaderRunIsRecordedWithItsKeyBytesDurationAndOutcome() throws Exception {
        PixmapCache<String> cache = caches.cache(EvictionPolicy.LRU, 1 << 20);

        List<RecordedEvent> events = record(LOAD, () -> {
            cache.computeIfAbsent("12/2048/1361", (key, pixels) -> {
                sleep(30);
                return pixels.allocate(16, 16, PixelFormat.BGRA_8888_PRE);
            }).close();
            cache.computeIfAbsent("12/2048/1361", (key, pixels) -> {
                throw new AssertionError("a hit runs no loader");
            }).close();
        });

        RecordedEvent load = single(events);
        assertEquals("12/2048/1361", load.getString("key"));
        assertEquals(16 * 16 * 4, load.getLong("bytes"));
        assertEquals("cached", load.getString("outcome"));
        assertTrue(load.getDuration().compareTo(Duration.ofMillis(30)) >= 0, "the loader's time: " + load);
        assertTrue(load.getString("cache").startsWith("PixmapCache@"), load.toString());
    }

    @Test
    void everyOutcomeOfALoadIsNamed() throws Exception {
        PixmapCache<Object> cache = caches.track(caches.allocator().<Object>builder().maximumBytes(1024).evictionPolicy(EvictionPolicy.LRU).build());
        Pixmap small = Pixmap.allocate(arena, 4, 4, PixelFormat.BGRA_8888_PRE);

        List<RecordedEvent> events = record(LOAD, () -> {
            assertThrows(IllegalStateException.class, () -> cache.computeIfAbsent("failing", (key, pixels) -> {
                throw new IllegalStateException("no such tile");
            }));
            cache.computeIfAbsent("too large", (key, pixels) -> pixels.allocate(32, 32, PixelFormat.BGRA_8888_PRE)).close();
            cache.computeIfAbsent("raced", (key, pixels) -> {
                assertTrue(cache.insert(key, small));  // arrives while the loader runs: it stays
                return pixels.allocate(2, 2, PixelFormat.BGRA_8888_PRE);
            }).close();
            cache.computeIfAbsent(new UnprintableKey(), (key, pixels) -> pixels.allocate(1, 1, PixelFormat.GRAY_8)).close();
        });
        cache.close();

        assertEquals(List.of("failing=failed: java.lang.IllegalStateException", "too large=not cached",
                "raced=superseded", "<" + UnprintableKey.class.getName() + ".toString() threw "
                        + "java.lang.UnsupportedOperationException: no text>=cached"),
                events.stream().map(e -> e.getString("key") + "=" + e.getString("outcome")).toList());
        assertEquals(List.of(0L, 32L * 32 * 4, 2L * 2 * 4, 4L),
                events.stream().map(e -> e.getLong("bytes")).toList());
    }

    @Test
    void anEvictionBatchIsRecordedWithItsCountBytesAndPolicy() throws Exception {
        PixmapCache<String> cache = caches.cache(EvictionPolicy.LRU, 3 * 1024);
        Pixmap pixmap = Pixmap.allocate(arena, 16, 16, PixelFormat.BGRA_8888_PRE);  // 1024 bytes

        List<RecordedEvent> events = record(EVICTION, () -> {
            for (String key : List.of("a", "b", "c", "d")) {  // d evicts a
                cache.insert(key, pixmap);
            }
            cache.setMaximumBytes(0);  // evicts b, c and d at once
        });

        assertEquals(List.of("1 pixmaps, 1024 bytes, LRU", "3 pixmaps, 3072 bytes, LRU"), events.stream()
                .map(e -> e.getInt("count") + " pixmaps, " + e.getLong("bytes") + " bytes, " + e.getString("policy"))
                .toList());
    }

    @Test
    void anAllocationFailureIsRecordedWithTheRequestedBytesAndItsSite() throws Exception {
        PixmapCache<String> cache = caches.cache(EvictionPolicy.LRU, 1 << 20);
        Pixmap pixmap = Pixmap.allocate(arena, 8, 8, PixelFormat.BGRA_8888_PRE);  // 256 bytes
        PixmapCache.Key key = cache.insert(pixmap);
        for (int i = 1; i < KeyTable.INITIAL_CAPACITY; i++) {
            cache.insert(pixmap);  // the key table is full
        }
        TestAllocator allocator = caches.allocator();

        List<RecordedEvent> events = record(ALLOCATION_FAILURE, () -> {
            allocator.failNextAllocation();
            assertThrows(PixmapAllocationException.class, () -> cache.insert("k", pixmap));
            allocator.failNextAllocation();
            assertThrows(PixmapAllocationException.class, () -> cache.replace(key, pixmap));
            allocator.failNextAllocation();
            assertThrows(PixmapAllocationException.class, () -> cache.computeIfAbsent("loaded",
                    (k, pixels) -> pixels.allocate(4, 4, PixelFormat.GRAY_8)));
            allocator.failAllocation(allocator.allocationAttempts() + 2);  // pixels, then the table
            assertThrows(PixmapAllocationException.class, () -> cache.insert(pixmap));
        });

        assertEquals(List.of("PixmapCache.insert: pixels 256", "PixmapCache.replace: pixels 256",
                        "PixmapAllocator.allocate: pixels 16",
                        "PixmapCache.insert: key table " + 2 * KeyTable.INITIAL_CAPACITY * 16),
                events.stream().map(e -> e.getString("site") + " " + e.getLong("requestedBytes")).toList());
    }

    @Test
    void aSharedLeaseCloseIsRecordedWithItsHandshakeAndAConfinedOneIsNot() throws Exception {
        PixmapCache<String> cache = caches.cache(EvictionPolicy.LRU, 1 << 20);
        cache.insert("k", Pixmap.allocate(arena, 8, 4, PixelFormat.RGBA_8888));

        List<RecordedEvent> events = record(SHARED_LEASE_CLOSE, () -> {
            try (PixmapLease confined = cache.find("k")) {
                confined.share().close();
            }
        });

        RecordedEvent close = single(events);
        assertEquals(8 * 4 * 4, close.getLong("bytes"));
        assertTrue(close.getDuration().compareTo(Duration.ZERO) > 0, "a handshake takes time: " + close);
    }

    @Test
    void theStatisticsOfEveryOpenCacheAreRecordedPeriodically() throws Exception {
        PixmapCache<String> open = caches.cache(EvictionPolicy.WINDOW_TINY_LFU, 4096);
        PixmapCache<String> closed = caches.cache(EvictionPolicy.LRU, 4096);
        Pixmap pixmap = Pixmap.allocate(arena, 8, 8, PixelFormat.BGRA_8888_PRE);
        open.insert("k", pixmap);
        open.find("k").close();
        assertEquals(null, open.find("missing"));
        closed.close();
        CacheStats expected = open.stats();

        List<RecordedEvent> events = record(Map.of(STATISTICS + "#enabled", "true", STATISTICS + "#period", "100 ms"),
                () -> sleep(350));

        List<RecordedEvent> ofOpen = events.stream().filter(e -> e.getString("cache").equals(idOf(open))).toList();
        assertTrue(ofOpen.size() >= 2, "one every 100 ms: " + events);
        assertTrue(events.stream().noneMatch(e -> e.getString("cache").equals(idOf(closed))), "a closed cache: " + events);
        RecordedEvent last = ofOpen.getLast();
        assertEquals(expected, new CacheStats(last.getLong("hits"), last.getLong("misses"),
                last.getLong("insertions"), last.getLong("evictions"), last.getLong("rejectedInsertions"),
                last.getLong("allocationFailures"), last.getInt("entries"), last.getLong("usedBytes"),
                last.getLong("leasedDetachedBytes")));
        assertEquals(4096, last.getLong("maximumBytes"));
        assertEquals(0.5, last.getDouble("hitRate"));
    }

    @Test
    void aLeakedLeaseIsRecordedWithTheStackThatAcquiredIt() throws Exception {
        PixmapCache<String> cache = caches.cacheAtLeakLevel("all", EvictionPolicy.LRU, 1 << 20);
        cache.insert("k", Pixmap.allocate(arena, 4, 4, PixelFormat.GRAY_8));
        AtomicReference<RecordedEvent> leak = new AtomicReference<>();
        try (RecordingStream stream = new RecordingStream()) {
            stream.enable(LEAKED_LEASE);
            stream.onEvent(LEAKED_LEASE, leak::set);
            stream.startAsync();

            acquireAndDropALease(cache);
            for (int collections = 0; leak.get() == null && collections < 300; collections++) {
                System.gc();
                TimeUnit.MILLISECONDS.sleep(50);  // the stream delivers about once a second
            }
        }

        RecordedEvent event = leak.get();
        assertNotNull(event, "no leak recorded after 300 collections");
        assertTrue(event.getString("lease").contains("Entry["), event.toString());
        assertTrue(event.getString("acquiredAt").contains("acquireAndDropALease"), event.toString());
    }

    @Test
    void theShippedSettingsEnableEveryEventAndRecordStatisticsEverySecond() throws Exception {
        Configuration configuration;
        try (Reader jfc = new InputStreamReader(Objects.requireNonNull(
                PixmapCache.class.getResourceAsStream("/META-INF/jfr/pixmap-cache.jfc")), StandardCharsets.UTF_8)) {
            configuration = Configuration.create(jfc);
        }

        for (String event : ALL) {
            assertEquals("true", configuration.getSettings().get(event + "#enabled"), event);
        }
        assertEquals("1 s", configuration.getSettings().get(STATISTICS + "#period"));
        assertEquals("0 ms", configuration.getSettings().get(LOAD + "#threshold"));
    }

    @Test
    void nothingIsRecordedWhileTheEventsAreOff() throws Exception {
        PixmapCache<String> cache = caches.cache(EvictionPolicy.LRU, 1024);
        Pixmap pixmap = Pixmap.allocate(arena, 16, 16, PixelFormat.BGRA_8888_PRE);

        Map<String, String> settings = new HashMap<>(Map.of("jdk.GarbageCollection#enabled", "true"));
        ALL.forEach(event -> settings.put(event + "#enabled", "false"));

        List<RecordedEvent> events = record(settings, () -> {
            cache.computeIfAbsent("a", (key, pixels) -> pixels.allocate(16, 16, PixelFormat.BGRA_8888_PRE)).close();
            cache.insert("b", pixmap);  // evicts a
            try (PixmapLease lease = cache.find("b")) {
                lease.share().close();
            }
            System.gc();
        });

        assertFalse(events.isEmpty(), "the recording itself ran");
        assertTrue(events.stream().noneMatch(e -> e.getEventType().getName().startsWith("io.github.pixmapcache.")),
                events.toString());
    }

    /** JFR must reach event classes in a package the module does not export. */
    @Test
    void theEventsAreRecordedWithTheLibraryOnTheModulePath() throws Exception {
        Path jfc = ModulePathRun.locationOf(PixmapCache.class).resolve("META-INF/jfr/pixmap-cache.jfc");
        Path file = dir.resolve("workout.jfr");

        ModulePathRun.Run run = ModulePathRun.run("--enable-native-access=io.github.pixmapcache",
                "-XX:StartFlightRecording:settings=default,settings=" + jfc + ",filename=" + file);

        assertEquals(0, run.exitCode(), run.output());
        List<String> names = RecordingFile.readAllEvents(file).stream().map(e -> e.getEventType().getName()).toList();
        for (String event : List.of(LOAD, EVICTION, STATISTICS)) {
            assertTrue(names.contains(event), event + " in " + new TreeSet<>(names));
        }
    }

    // ------------------------------------------------------------------ helpers

    private interface Action {
        void run() throws Exception;
    }

    /** The events named {@code eventName} that {@code action} caused, in commit order. */
    private List<RecordedEvent> record(String eventName, Action action) throws Exception {
        return record(Map.of(eventName + "#enabled", "true", eventName + "#threshold", "0 ms"), action).stream()
                .filter(e -> e.getEventType().getName().equals(eventName))
                .toList();
    }

    /** Every event a recording with {@code settings} took while {@code action} ran, in time order. */
    private List<RecordedEvent> record(Map<String, String> settings, Action action) throws Exception {
        Path file = dir.resolve("recording-" + System.nanoTime() + ".jfr");
        try (Recording recording = new Recording(settings)) {
            recording.start();
            action.run();
            recording.stop();
            recording.dump(file);
        }
        try {
            return RecordingFile.readAllEvents(file).stream()
                    .sorted((a, b) -> a.getEndTime().compareTo(b.getEndTime()))
                    .toList();
        } finally {
            Files.delete(file);
        }
    }

    /** The name events give {@code cache}: its identity hash. */
    private static String idOf(PixmapCache<?> cache) {
        return "PixmapCache@" + Integer.toHexString(System.identityHashCode(cache));
    }

    private static RecordedEvent single(List<RecordedEvent> events) {
        assertEquals(1, events.size(), events.toString());
        return events.getFirst();
    }

    private static void acquireAndDropALease(PixmapCache<String> cache) {
        assertNotNull(cache.find("k"));  // dropped unclosed
    }

    private static void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A user key whose toString() throws: the load event must still be recorded. */
    private record UnprintableKey() {
        @Override
        public String toString() {
            throw new UnsupportedOperationException("no text");
        }
    }
}
