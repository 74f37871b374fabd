package io.github.pixmapcache.server.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fleet single flight between two clients (two servers) of one real redis-server. */
class FleetSingleFlightTest {

    private static final Duration LOCK_TTL = Duration.ofMillis(1_500);

    @RegisterExtension
    final TwoServersOneRedis fleet = new TwoServersOneRedis(LOCK_TTL);

    @Test
    void thirtyTwoConcurrentMissesOverTwoServersRenderOnce() throws Exception {
        Map<String, byte[]> tiles = RedisTierTest.metatile(fleet.first().keys(), 12, 800, 800);
        List<String> keys = List.copyOf(tiles.keySet());
        AtomicInteger renders = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<FleetSingleFlight.Plan>> plans = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 32; i++) {
                FleetSingleFlight flight = new FleetSingleFlight(i % 2 == 0 ? fleet.first() : fleet.second());
                plans.add(threads.submit(() -> {
                    start.await();
                    FleetSingleFlight.Plan plan = flight.plan(12, 803, 805, keys);
                    if (plan instanceof FleetSingleFlight.Render render) {
                        renders.incrementAndGet();
                        Thread.sleep(300); // the render
                        flight.publish(render, tiles).get();
                    }
                    return plan;
                }));
            }
            start.countDown();
        }
        assertEquals(1, renders.get());
        for (Future<FleetSingleFlight.Plan> plan : plans) {
            if (plan.get() instanceof FleetSingleFlight.Fetched fetched) {
                for (int i = 0; i < keys.size(); i++) {
                    assertArrayEquals(tiles.get(keys.get(i)), RedisTierTest.bytes(fetched.pngs().get(i)));
                }
            } else {
                assertNotNull(assertInstanceOf(FleetSingleFlight.Render.class, plan.get()).lock(), "the one render held the lock");
            }
        }
        assertEquals(1, fleet.first().fleetRenders().getAsLong());
        assertEquals("0", fleet.redis().cli("exists", fleet.first().keys().lock(12, 800, 800)), "lock released");
    }

    @Test
    void aHolderThatDiesIsTakenOverAfterItsLockExpires() throws Exception {
        Map<String, byte[]> tiles = RedisTierTest.metatile(fleet.first().keys(), 7, 0, 0);
        List<String> keys = List.copyOf(tiles.keySet());
        // The TTL runs from the lock's SET, so the lower bound is timed from before it; the upper one from
        // after close(), which on a loaded machine alone took longer than the bound's 200 ms of slack.
        long lockedNanos = System.nanoTime();
        var dead = assertInstanceOf(FleetSingleFlight.Render.class, new FleetSingleFlight(fleet.first()).plan(7, 0, 0, keys));
        assertNotNull(dead.lock());
        fleet.first().close(); // the holder's server dies without publishing or releasing

        long startNanos = System.nanoTime();
        var takeover = assertInstanceOf(FleetSingleFlight.Render.class, new FleetSingleFlight(fleet.second()).plan(7, 0, 0, keys));
        long sinceLockMillis = (System.nanoTime() - lockedNanos) / 1_000_000;
        long waitedMillis = (System.nanoTime() - startNanos) / 1_000_000;
        assertNotNull(takeover.lock());
        assertTrue(takeover.lock().token() > dead.lock().token());
        assertTrue(sinceLockMillis >= LOCK_TTL.toMillis() - 200 && waitedMillis < LOCK_TTL.toMillis() + 1_000,
                "took over " + sinceLockMillis + " ms after the lock was taken, after waiting " + waitedMillis
                        + " ms; lock TTL " + LOCK_TTL);
        assertEquals(1, fleet.second().metrics().snapshot().lockTakeovers());
        assertEquals(1, fleet.second().metrics().snapshot().lockWaits());
    }

    @Test
    void aDeadRedisMeansRenderAtOnceWithoutTheLock() throws Exception {
        fleet.redis().kill();
        List<String> keys = List.copyOf(RedisTierTest.metatile(fleet.first().keys(), 7, 0, 0).keySet());
        FleetSingleFlight flight = new FleetSingleFlight(fleet.first());
        for (int i = 0; i < 10; i++) {
            long start = System.nanoTime();
            assertNull(assertInstanceOf(FleetSingleFlight.Render.class, flight.plan(7, 0, 0, keys)).lock());
            assertTrue(System.nanoTime() - start < 500_000_000L, "a dead Redis answered within half a second");
        }
        assertEquals("down", fleet.first().state());
    }
}
