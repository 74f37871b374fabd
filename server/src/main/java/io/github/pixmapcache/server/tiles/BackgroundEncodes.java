package io.github.pixmapcache.server.tiles;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The encodes of {@code --encode after-render}, bounded: {@code threads} platform threads and at most
 * {@code queue} metatiles waiting. A metatile offered when all are taken is skipped, not queued: its
 * tiles are then encoded on their first request, as with {@code on-request}. So a burst of renders
 * never piles up background work that competes with requests for the CPU (one virtual thread per
 * render did: unbounded).
 */
final class BackgroundEncodes implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final LongAdder skipped = new LongAdder();

    /**
     * @param threads threads that encode (at least 1)
     * @param queue   metatiles that may wait for a thread (at least 1)
     */
    BackgroundEncodes(int threads, int queue) {
        AtomicInteger ids = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                task -> {
                    Thread thread = new Thread(task, "encode-after-render-" + ids.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                (task, full) -> skipped.increment());
    }

    /** Runs {@code encodes} on a background thread, or skips it (counted) if every thread and place is taken. */
    void offer(Runnable encodes) {
        try {
            executor.execute(encodes);
        } catch (RejectedExecutionException closed) {
            skipped.increment(); // shutting down: the tiles are encoded on request, if any comes
        }
    }

    /** {@return the metatiles whose background encodes were skipped because the queue was full} */
    long skipped() {
        return skipped.sum();
    }

    /** Stops taking work and waits for the encodes already taken (queued ones included). */
    @Override
    public void close() {
        executor.close();
    }
}
