package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * With the server's malloc setting, strips taken from JDK arenas (malloc) and freed, as IIIF passes
 * churn them on several threads, leave the resident set: it grows by little more than what is still
 * live. Without the setting glibc's sliding threshold keeps the freed gaps resident (hundreds of MiB
 * here), so this test fails.
 */
class MallocTuningTest {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final int THREADS = 4;
    private static final int ROUNDS = 60;
    private static final int LIVE_PER_THREAD = 6;
    private static final long MIB = 1 << 20;

    @Test
    void freedStripsFromJdkArenasLeaveTheResidentSet() throws Exception {
        assumeTrue(Files.isReadable(STATUS), "Linux only: /proc");
        assumeTrue(MallocTuning.mapLargeBlocks(), "glibc's mallopt");
        long before = residentBytes();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Arena> survivors = new ArrayList<>();
        long kept = 0;
        try {
            List<Future<Arena>> churns = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                churns.add(threads.submit(() -> churn(seed)));
            }
            for (Future<Arena> churn : churns) {
                survivors.add(churn.get());
            }
            kept = THREADS * 24 * MIB;
            long grown = residentBytes() - before;
            assertTrue(grown < kept + 64 * MIB, "resident memory grew by " + grown / MIB
                    + " MiB with at most " + kept / MIB + " MiB of strips still live");
        } finally {
            threads.shutdown();
            survivors.forEach(Arena::close);
        }
    }

    /** Churns 9–24 MiB strips, each in its own shared arena, touching every page; returns the last one's arena, open. */
    private static Arena churn(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Deque<Arena> live = new ArrayDeque<>();
        for (int round = 0; round < ROUNDS; round++) {
            if (live.size() == LIVE_PER_THREAD) {
                List<Arena> order = new ArrayList<>(live);
                Arena victim = order.get(random.nextInt(order.size() - 1));  // never the newest
                live.remove(victim);
                victim.close();
            }
            long bytes = (9 + random.nextInt(16)) * MIB - random.nextInt(1, 4096) * 64L;
            Arena arena = Arena.ofShared();
            MemorySegment strip = arena.allocate(bytes);  // malloc; zeroed, so every page is resident
            strip.set(ValueLayout.JAVA_BYTE, bytes - 1, (byte) 7);
            live.addLast(arena);
        }
        Arena last = live.removeLast();
        live.forEach(Arena::close);
        return last;
    }

    /** VmRSS of this process. */
    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in " + STATUS);
    }
}
