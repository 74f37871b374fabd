package io.github.pixmapcache.server.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.fleet.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofNanos(100), now::get);

    @Test
    void opensAfterTheThresholdOfFailuresInARow() {
        fail(2);
        assertEquals(State.CLOSED, breaker.state());
        assertTrue(breaker.tryAcquire());
        fail(1);
        assertEquals(State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire());
        assertEquals(1, breaker.openings());
    }

    @Test
    void aTripOpensAtOnceFromClosedOrHalfOpenAndCountsOneOpening() {
        assertTrue(breaker.tryAcquire());
        breaker.trip();
        assertEquals(State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire());
        breaker.trip(); // already open: the open period does not start again
        now.addAndGet(100);
        assertTrue(breaker.tryAcquire());
        assertEquals(State.HALF_OPEN, breaker.state());
        breaker.trip(); // the probe refused
        assertEquals(State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire());
        assertEquals(2, breaker.openings());
    }

    @Test
    void aSuccessResetsTheCount() {
        fail(2);
        breaker.onSuccess();
        fail(2);
        assertEquals(State.CLOSED, breaker.state());
    }

    @Test
    void afterTheOpenTimeOneProbeGoesOut() {
        fail(3);
        now.addAndGet(99);
        assertFalse(breaker.tryAcquire());
        now.addAndGet(1);
        assertTrue(breaker.tryAcquire());
        assertEquals(State.HALF_OPEN, breaker.state());
        assertFalse(breaker.tryAcquire(), "a second caller while the probe is out");
    }

    @Test
    void aSuccessfulProbeCloses() {
        fail(3);
        now.addAndGet(100);
        assertTrue(breaker.tryAcquire());
        breaker.onSuccess();
        assertEquals(State.CLOSED, breaker.state());
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void aFailedProbeOpensForAnotherPeriod() {
        fail(3);
        now.addAndGet(100);
        assertTrue(breaker.tryAcquire());
        breaker.onFailure();
        assertEquals(State.OPEN, breaker.state());
        now.addAndGet(99);
        assertFalse(breaker.tryAcquire());
        now.addAndGet(1);
        assertTrue(breaker.tryAcquire());
        assertEquals(2, breaker.openings());
    }

    @Test
    void aProbeThatNeverReportsIsReplaced() {
        fail(3);
        now.addAndGet(100);
        assertTrue(breaker.tryAcquire());
        now.addAndGet(100);
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void aLateSuccessOfACallFromBeforeTheOpeningDoesNotClose() {
        fail(3);
        breaker.onSuccess();
        assertEquals(State.OPEN, breaker.state());
    }

    @Test
    void concurrentFailuresOpenOnce() throws InterruptedException {
        CircuitBreaker shared = new CircuitBreaker(5, Duration.ofSeconds(60));
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger admitted = new AtomicInteger();
        Thread[] threads = new Thread[8];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 1_000; i++) {
                    if (shared.tryAcquire()) {
                        admitted.incrementAndGet();
                        shared.onFailure();
                    }
                }
            });
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(State.OPEN, shared.state());
        assertEquals(1, shared.openings());
        assertTrue(admitted.get() < 5 + threads.length, "calls admitted around the opening: " + admitted.get());
    }

    @Test
    void badSettingsNameTheValue() {
        assertEquals("failure threshold 0 is below 1",
                assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker(0, Duration.ofSeconds(1))).getMessage());
        assertEquals("open duration PT0S is not positive",
                assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker(1, Duration.ZERO)).getMessage());
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertTrue(breaker.tryAcquire());
            breaker.onFailure();
        }
    }
}
