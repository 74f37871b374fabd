package io.github.pixmapcache.server.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The after-render encodes are bounded: a full queue skips a metatile (counted) rather than piling up work. */
class BackgroundEncodesTest {

    @Test
    void aFullQueueSkipsAndCountsAndEverythingTakenStillRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try (BackgroundEncodes encodes = new BackgroundEncodes(1, 3)) {
            encodes.offer(() -> {
                started.countDown();
                await(release);
                ran.incrementAndGet();
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            for (int i = 0; i < 5; i++) { // 3 wait for the thread, 2 find the queue full
                encodes.offer(ran::incrementAndGet);
            }
            assertEquals(2, encodes.skipped());
            release.countDown();
        }
        assertEquals(4, ran.get(), "the running encode and the three queued ones ran; close waited for them");
    }

    @Test
    void anOfferAfterCloseIsSkippedNotThrown() {
        BackgroundEncodes encodes = new BackgroundEncodes(1, 1);
        encodes.close();
        encodes.offer(() -> { throw new AssertionError("must not run"); });
        assertEquals(1, encodes.skipped());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
