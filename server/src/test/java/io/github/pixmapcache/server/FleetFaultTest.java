package io.github.pixmapcache.server;

import static io.github.pixmapcache.server.FleetTestSupport.SMALL_CACHE;
import static io.github.pixmapcache.server.FleetTestSupport.awaitPublished;
import static io.github.pixmapcache.server.FleetTestSupport.awaitState;
import static io.github.pixmapcache.server.FleetTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.fleet.RedisProcess;
import io.github.pixmapcache.server.fleet.TierMetrics;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults of a real redis-server under a bounded load, every response checked byte for byte: the
 * client never sees them. The server's cache holds a quarter of the tiles requested, so requests keep
 * asking Redis throughout.
 */
class FleetFaultTest {

    private static final int CLIENTS = 4;
    private static final long TIMEOUT_MS = 200;
    /** Failures the breaker lets through: 3 to open, one probe a second, one in flight per client. */
    private static final int BREAKER_FAILURES = 3;

    private RedisProcess redis;
    private TestServer server;
    private Map<TileAddress, byte[]> expected;

    @BeforeEach
    void start() throws Exception {
        redis = RedisProcess.start();
        List<String> flags = new ArrayList<>(List.of("--redis", redis.uri().toString(), "--redis-timeout", Long.toString(TIMEOUT_MS)));
        flags.addAll(List.of(SMALL_CACHE));
        server = TestServer.start(flags.toArray(String[]::new));
        expected = FleetTestSupport.cheapTiles(server);
        awaitPublished(server, 16);
    }

    @AfterEach
    void stop() {
        server.close();
        redis.close();
    }

    @Test
    void sigkillOfRedisMidLoadFailsNoRequestAndARestartedEmptyRedisIsRefilled() throws Exception {
        List<BoundedLoad.Sample> samples;
        long killedAt;
        long restartedAt;
        TierMetrics.Snapshot beforeKill;
        TierMetrics.Snapshot beforeRestart;
        try (BoundedLoad load = new BoundedLoad(CLIENTS, n -> server.server.uri(), expected)) {
            load.awaitFirstResponses();
            sleep(Duration.ofSeconds(1));
            beforeKill = server.server.fleet().counts();
            killedAt = load.now();
            redis.kill();
            sleep(Duration.ofSeconds(3));
            assertTrue(List.of("down", "probing").contains(server.server.fleet().state()), server.server.fleet().state());
            beforeRestart = server.server.fleet().counts();
            long publishedBeforeRestart = beforeRestart.metatilesWritten();
            redis = redis.restartEmpty();
            restartedAt = load.now();
            awaitState(server, "up", Duration.ofSeconds(10));
            FleetTestSupport.await(() -> server.server.fleet().counts().metatilesWritten() > publishedBeforeRestart,
                    Duration.ofSeconds(10), () -> "nothing published to the restarted Redis");
            sleep(Duration.ofSeconds(1));
            samples = load.stop();
        }
        assertEquals(List.of(), BoundedLoad.failures(samples).stream().limit(5).toList());
        long failuresWhileDown = beforeRestart.failures() - beforeKill.failures();
        assertTrue(failuresWhileDown <= BREAKER_FAILURES + CLIENTS + 4,
                "Redis calls that failed in the 3 s it was dead: " + failuresWhileDown);
        long refusedWhileDown = beforeRestart.shortCircuited() - beforeKill.shortCircuited();
        // How many calls the open breaker refused depends on how fast this machine rendered meanwhile; that it did is the point.
        assertTrue(refusedWhileDown > 0, "the breaker refused no call while Redis was dead");
        double healthyP50 = BoundedLoad.latencyMillis(samples, 0, killedAt, 0.5);
        double p50 = BoundedLoad.latencyMillis(samples, killedAt + 1_000_000_000L, restartedAt, 0.5);
        assertNoTimeoutInTheMedian("Redis dead", healthyP50, p50);
        assertTrue(server.server.fleet().fleetRenders().orElseThrow() >= 1, "renders counted in the new Redis");
        System.out.printf("SIGKILL: %d requests, 0 failed, %d Redis failures and %d refused calls while dead; "
                        + "p50 %.1f ms healthy, %.1f ms dead, %.1f ms after the restart%n",
                samples.size(), failuresWhileDown, refusedWhileDown, healthyP50, p50,
                BoundedLoad.latencyMillis(samples, restartedAt, Long.MAX_VALUE, 0.5));
    }

    @Test
    void aHungRedisCostsTimeoutsUntilTheBreakerOpensAndIsUsedAgainAfterSigcont() throws Exception {
        List<BoundedLoad.Sample> samples;
        long pausedAt;
        long resumedAt;
        TierMetrics.Snapshot beforePause;
        TierMetrics.Snapshot beforeResume;
        try (BoundedLoad load = new BoundedLoad(CLIENTS, n -> server.server.uri(), expected)) {
            load.awaitFirstResponses();
            sleep(Duration.ofSeconds(1));
            beforePause = server.server.fleet().counts();
            pausedAt = load.now();
            redis.pause();
            try {
                sleep(Duration.ofSeconds(3));
                // open, or for the 200 ms of a probe timing out each second, half open
                assertTrue(List.of("down", "probing").contains(server.server.fleet().state()), server.server.fleet().state());
                beforeResume = server.server.fleet().counts();
            } finally {
                redis.resume();
            }
            resumedAt = load.now();
            awaitState(server, "up", Duration.ofSeconds(10));
            long hitsAtRecovery = server.server.fleet().counts().hits();
            FleetTestSupport.await(() -> server.server.fleet().counts().hits() > hitsAtRecovery + 10,
                    Duration.ofSeconds(10), () -> "no Redis hits after SIGCONT");
            samples = load.stop();
        }
        assertEquals(List.of(), BoundedLoad.failures(samples).stream().limit(5).toList());
        long timeouts = beforeResume.failures() - beforePause.failures();
        assertTrue(timeouts >= BREAKER_FAILURES, "timeouts while hung: " + timeouts);
        assertTrue(timeouts <= BREAKER_FAILURES + CLIENTS + 4, "timeouts while hung: " + timeouts);
        double healthyP50 = BoundedLoad.latencyMillis(samples, 0, pausedAt, 0.5);
        double hungP50 = BoundedLoad.latencyMillis(samples, pausedAt + 1_000_000_000L, resumedAt, 0.5);
        assertNoTimeoutInTheMedian("Redis hung, breaker open", healthyP50, hungP50);
        System.out.printf("SIGSTOP: %d requests, 0 failed, %d timeouts; p50 %.1f ms healthy, %.1f ms hung, %.1f ms after SIGCONT%n",
                samples.size(), timeouts, healthyP50, hungP50,
                BoundedLoad.latencyMillis(samples, resumedAt, Long.MAX_VALUE, 0.5));
    }

    /**
     * The median request during the fault did not wait out a Redis timeout: it took less than the
     * same test's healthy median plus one timeout. Relative to the healthy phase, so that a loaded
     * machine, which slows both phases alike, does not fail it; a request that paid the timeout
     * (the breaker not open) still does.
     */
    private static void assertNoTimeoutInTheMedian(String fault, double healthyP50, double faultP50) {
        assertTrue(faultP50 < healthyP50 + TIMEOUT_MS, "median latency with " + fault + ": " + faultP50
                + " ms, healthy " + healthyP50 + " ms: the median request waited out a " + TIMEOUT_MS + " ms timeout");
    }
}
