package io.github.pixmapcache.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.function.Executable;

/** How a test's access to a pixmap, lease or cache ends: on another thread, or refused as closed. */
public final class Accesses {
    private Accesses() {}

    /** Runs {@code access} on a new platform thread, waits for it, and returns what it threw, or null. */
    public static Throwable thrownOnAnotherThread(Executable access) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                access.execute();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        thread.start();
        thread.join();
        return thrown.get();
    }

    /** The check, for {@code assertAll}, that {@code access} throws {@link IllegalStateException}: closed. */
    public static Executable refusedAsClosed(Executable access) {
        return () -> assertThrows(IllegalStateException.class, access);
    }
}
