package io.github.pixmapcache.bench;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs JMH's benchmark threads as virtual threads, where a find records its reads in shared ring
 * stripes with a CAS instead of a ring of its own. JMH 1.37 has no virtual executor, so pass
 * {@code -jvmArgsAppend "-Djmh.executor=CUSTOM -Djmh.executor.class=io.github.pixmapcache.bench.VirtualThreadExecutor"}.
 */
public final class VirtualThreadExecutor extends AbstractExecutorService {
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /**
     * The constructor JMH calls for a custom executor.
     *
     * @param maxThreads JMH's thread count; one virtual thread per task needs no pool to size
     * @param prefix JMH's thread name prefix; unused
     */
    public VirtualThreadExecutor(int maxThreads, String prefix) {
        // one virtual thread per task: no pool to size or name
    }

    @Override
    public void execute(Runnable task) {
        threads.execute(task);
    }

    @Override
    public void shutdown() {
        threads.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return threads.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return threads.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return threads.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return threads.awaitTermination(timeout, unit);
    }
}
