package io.github.pixmapcache.server.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fleet render lock between two clients (two servers) of one real redis-server. */
class FleetLockTest {

    private static final Duration LOCK_TTL = Duration.ofMillis(400);

    @RegisterExtension
    final TwoServersOneRedis fleet = new TwoServersOneRedis(LOCK_TTL);

    @Test
    void oneHolderAtATimeAndTokensGrow() throws Exception {
        var held = assertInstanceOf(FleetLock.Acquired.class, new FleetLock(fleet.first()).tryAcquire(10, 17, 9));
        assertInstanceOf(FleetLock.Busy.class, new FleetLock(fleet.second()).tryAcquire(10, 16, 15), "same metatile, other tile");
        assertInstanceOf(FleetLock.Acquired.class, new FleetLock(fleet.second()).tryAcquire(10, 24, 9), "the neighbouring metatile");
        long ttl = Long.parseLong(fleet.redis().cli("pttl", held.lockKey()));
        assertTrue(ttl > 0 && ttl <= LOCK_TTL.toMillis(), "PTTL " + ttl);

        assertTrue(new FleetLock(fleet.first()).release(held).get());
        var next = assertInstanceOf(FleetLock.Acquired.class, new FleetLock(fleet.second()).tryAcquire(10, 17, 9));
        assertTrue(next.token() > held.token(), "token " + next.token() + " after " + held.token());
        assertEquals(Long.toString(next.token()), fleet.redis().cli("get", next.lockKey()));
    }

    @Test
    void aDeadHoldersLockExpiresAndItsLateReleaseCannotFreeTheSuccessor() throws Exception {
        var stale = assertInstanceOf(FleetLock.Acquired.class, new FleetLock(fleet.first()).tryAcquire(3, 0, 0));
        assertInstanceOf(FleetLock.Busy.class, new FleetLock(fleet.second()).tryAcquire(3, 0, 0));
        RedisProcess.sleep(LOCK_TTL.plusMillis(50));
        var successor = assertInstanceOf(FleetLock.Acquired.class, new FleetLock(fleet.second()).tryAcquire(3, 0, 0));
        assertTrue(successor.token() > stale.token());

        assertFalse(new FleetLock(fleet.first()).release(stale).get(), "the stale holder released nothing");
        assertEquals(Long.toString(successor.token()), fleet.redis().cli("get", successor.lockKey()));
        assertInstanceOf(FleetLock.Busy.class, new FleetLock(fleet.first()).tryAcquire(3, 0, 0));
    }

    @Test
    void aDeadRedisIsUnreachableNotBusy() throws Exception {
        fleet.redis().kill();
        assertInstanceOf(FleetLock.Unreachable.class, new FleetLock(fleet.first()).tryAcquire(3, 0, 0));
    }
}
