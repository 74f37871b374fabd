package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.fleet.FleetConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet tier's flags and variables, value by value, and their refusals. */
class FleetFlagsTest {

    @Test
    void noRedisFlagNoTier() {
        assertNull(parse().fleet());
    }

    @Test
    void aSingleRedisWithEverySetting() {
        FleetConfig fleet = parse("--redis", "redis://127.0.0.1:6380", "--redis-timeout", "150",
                "--redis-lock-ttl=4000", "--redis-ttl", "60", "--redis-prefix", "tiles").fleet();
        assertEquals(new FleetConfig(URI.create("redis://127.0.0.1:6380"), List.of(), "tiles", Duration.ofSeconds(60),
                Duration.ofMillis(150), Duration.ofMillis(4000), FleetConfig.DEFAULT_BREAKER_FAILURES,
                FleetConfig.DEFAULT_BREAKER_OPEN_FOR), fleet);
    }

    @Test
    void clusterSeedsFromTheEnvironment() {
        FleetConfig fleet = ConfigParser.parse(List.of(), Map.of("TILES_REDIS_CLUSTER", "10.0.0.1:7000, 10.0.0.2:7001"))
                .orElseThrow().fleet();
        assertEquals(List.of("10.0.0.1:7000", "10.0.0.2:7001"), fleet.clusterSeeds());
        assertTrue(fleet.isCluster());
        assertEquals(FleetConfig.DEFAULT_COMMAND_TIMEOUT, fleet.commandTimeout());
    }

    @Test
    void badValuesAreRefusedByName() {
        assertRefused("give --redis redis://a:1 or --redis-cluster b:2, not both",
                "--redis", "redis://a:1", "--redis-cluster", "b:2");
        assertRefused("--redis http://a:1: Redis URI \"http://a:1\" is not redis://host:port", "--redis", "http://a:1");
        assertRefused("--redis-cluster a: cluster seed \"a\" is not host:port", "--redis-cluster", "a");
        assertRefused("--redis-timeout 0: not a number of milliseconds in 1..86400000: 0",
                "--redis", "redis://a:1", "--redis-timeout", "0");
        assertRefused("--redis-prefix a:b: key prefix \"a:b\" is not one or more of A-Z a-z 0-9 _ . -",
                "--redis", "redis://a:1", "--redis-prefix", "a:b");
        assertRefused("the Redis tier sits behind the pixmap cache, not behind cache caffeine",
                "--redis", "redis://a:1", "--cache", "caffeine");
    }

    @Test
    void helpListsTheFlags() {
        String usage = ConfigParser.usage();
        for (String flag : List.of("--redis URI", "--redis-cluster SEEDS", "--redis-timeout MS", "--redis-lock-ttl MS",
                "--redis-ttl SECONDS", "--redis-prefix NAME")) {
            assertTrue(usage.contains(flag), flag);
        }
    }

    private static ServerConfig parse(String... args) {
        return ConfigParser.parse(List.of(args), Map.of()).orElseThrow();
    }

    private static void assertRefused(String message, String... args) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage());
    }
}
