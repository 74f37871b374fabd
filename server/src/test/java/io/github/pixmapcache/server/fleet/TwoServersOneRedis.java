package io.github.pixmapcache.server.fleet;

import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real redis-server and two tier clients on it, as two servers of a fleet hold them: started
 * before each test and stopped after it (the clients first, then the process, by its own pid).
 * Register it on an instance field: {@code @RegisterExtension final TwoServersOneRedis fleet =
 * new TwoServersOneRedis(lockTtl);}
 */
final class TwoServersOneRedis implements BeforeEachCallback, AfterEachCallback {
    private final Duration lockTtl;
    private RedisProcess redis;
    private RedisTier first;
    private RedisTier second;

    TwoServersOneRedis(Duration lockTtl) {
        this.lockTtl = lockTtl;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        redis = RedisProcess.start();
        FleetConfig config = FleetConfig.standalone(redis.uri()).withCommandTimeout(Duration.ofMillis(1_000))
                .withLockTtl(lockTtl);
        first = RedisTier.start(config, new TierKeys("t", "v1", 8));
        second = RedisTier.start(config, new TierKeys("t", "v1", 8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        first.close();
        second.close();
        redis.close();
    }

    RedisProcess redis() {
        return redis;
    }

    RedisTier first() {
        return first;
    }

    RedisTier second() {
        return second;
    }
}
