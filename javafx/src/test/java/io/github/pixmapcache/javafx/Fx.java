package io.github.pixmapcache.javafx;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/** The JavaFX toolkit, started once per test JVM (headless: see the pom's fx.headless), and ways to wait on it. */
final class Fx {
    private static final long TIMEOUT_SECONDS = 30;

    static {
        Platform.startup(() -> {
        });
        Platform.setImplicitExit(false);
    }

    private Fx() {
    }

    /** Runs {@code task} on the JavaFX Application Thread and returns its result; rethrows what it threw. */
    static <T> T call(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return await(result);
    }

    static void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Waits until JavaFX has run {@code count} more pulses, each of which renders what changed. */
    static void awaitPulses(int count) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        run(() -> new AnimationTimer() {
            private int seen;

            @Override
            public void handle(long now) {
                if (++seen > count) {
                    stop();
                    done.complete(null);
                }
            }
        }.start());
        await(done);
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("JavaFX did not answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }
}
