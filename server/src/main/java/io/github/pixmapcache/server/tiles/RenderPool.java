package io.github.pixmapcache.server.tiles;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded render queue and the threads that render. At most {@code queue} blocks (a metatile, or
 * a tile without a cache) are admitted at once, running or waiting; one more is refused at once with
 * {@link Overloaded}, so a burst costs 503s, never an unbounded queue or an OutOfMemoryError. An
 * admitted block is cut into bands of rows that the {@code threads} workers render in parallel while
 * the admitting thread waits.
 */
public final class RenderPool implements AutoCloseable {
    /** Rows a worker renders at a time: small enough to balance, large enough to amortise a task. */
    private static final int BAND_ROWS = 32;

    private final Picture picture;
    private final Semaphore admission;
    private final int queue;
    private final ExecutorService workers;
    private final AtomicInteger renders = new AtomicInteger();

    public RenderPool(Picture picture, int threads, int queue) {
        this.picture = picture;
        this.queue = queue;
        this.admission = new Semaphore(queue);
        AtomicInteger ids = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "render-" + ids.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Takes a place in the queue for one block; render it through the admission, then close it.
     *
     * @throws Overloaded if the queue is full
     */
    public Admission admit() {
        if (!admission.tryAcquire()) {
            throw new Overloaded(queue);
        }
        return new Admission();
    }

    /** A place in the render queue, held from {@link #admit} to {@link #close}. */
    public final class Admission implements AutoCloseable {
        private boolean closed;

        private Admission() {
        }

        /**
         * Renders a {@code width x height} block of the picture at {@code zoom}, its top-left at global
         * pixel ({@code originX}, {@code originY}), into {@code target} ({@code stride} bytes a row), cut
         * into bands that the workers render in parallel. The target must be writable from any thread.
         */
        public void render(MemorySegment target, long stride, int zoom, long originX, long originY,
                           int width, int height) {
            List<Future<?>> bands = new ArrayList<>();
            for (int from = 0; from < height; from += BAND_ROWS) {
                int rowFrom = from;
                int rowTo = Math.min(height, from + BAND_ROWS);
                bands.add(workers.submit(() ->
                        picture.render(target, stride, zoom, originX, originY, width, rowFrom, rowTo)));
            }
            awaitAll(bands);
            renders.incrementAndGet();
        }

        /** Gives the place back; idempotent. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                admission.release();
            }
        }
    }

    /** Blocks rendered to completion since start (a failed render is not counted). */
    public int renders() {
        return renders.get();
    }

    /** Blocks admitted now, rendering or waiting. */
    public int admitted() {
        return queue - admission.availablePermits();
    }

    /** Waits for every band, even after one failed, so that no worker writes the target after we return. */
    private static void awaitAll(List<Future<?>> bands) {
        RuntimeException failure = null;
        boolean interrupted = false;
        for (Future<?> band : bands) {
            while (true) {
                try {
                    band.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops the workers after the bands already submitted. */
    @Override
    public void close() {
        workers.shutdown();
        try {
            workers.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
