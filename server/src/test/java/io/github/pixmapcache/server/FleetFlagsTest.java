package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.fleet.FleetConfig;
import io.github.pixmapcache.server.fleet.FleetSecurity;
import io.github.pixmapcache.server.fleet.Secret;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
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
                FleetConfig.DEFAULT_BREAKER_OPEN_FOR, FleetSecurity.NONE), fleet);
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
        assertRefused("--redis http://a:1: Redis URI \"http://a:1\" is not redis://host:port or rediss://host:port",
                "--redis", "http://a:1");
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
                "--redis-ttl SECONDS", "--redis-prefix NAME", "--redis-user NAME", "--redis-password-file PATH",
                "--redis-trust-store PATH", "--redis-trust-store-password-file PATH", "--redis-key-store PATH",
                "--redis-key-store-password-file PATH", "--redis-tls-verify MODE", "TILES_REDIS_PASSWORD",
                "TILES_REDIS_TRUST_STORE_PASSWORD", "TILES_REDIS_KEY_STORE_PASSWORD", "Secrets never go in a flag's value")) {
            assertTrue(usage.contains(flag), flag);
        }
    }

    @Test
    void aPasswordInTheUriIsTakenOutOfItAndWarnedAbout() {
        List<String> warnings = new ArrayList<>();
        List<String> none = new ArrayList<>();
        FleetConfig fleet = withWarnings(warnings, () -> parse("--redis", "rediss://pxc:s3cret%2Bx@127.0.0.1:6380").fleet());
        assertEquals(URI.create("rediss://127.0.0.1:6380"), fleet.standalone());
        assertEquals("pxc", fleet.security().username());
        assertEquals(Secret.of("s3cret+x"), fleet.security().password());
        assertTrue(fleet.security().tls());
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.getFirst().contains("TILES_REDIS_PASSWORD"), warnings::toString);
        assertNoSecret("s3cret", fleet.toString(), warnings.getFirst(), parse("--redis", "redis://pxc:s3cret@a:1").toString(),
                fleet.endpoint());
        // The variable is not shown by ps: no warning.
        withWarnings(none, () -> ConfigParser.parse(List.of(), Map.of("TILES_REDIS", "redis://s3cret@a:1")).orElseThrow());
        assertEquals(List.of(), none);
        FleetConfig cluster = withWarnings(none, () -> ConfigParser.parse(List.of(),
                Map.of("TILES_REDIS_CLUSTER", "rediss://u:s3cret@a:1,rediss://u:s3cret@b:2")).orElseThrow().fleet());
        assertEquals(List.of("a:1", "b:2"), cluster.clusterSeeds());
        assertEquals(Secret.of("s3cret"), cluster.security().password());
        assertTrue(cluster.security().tls());
        assertNoSecret("s3cret", cluster.toString());
    }

    @Test
    void secretsComeFromAVariableOrAFileNeverFromAFlag() throws Exception {
        String refused = assertThrows(IllegalArgumentException.class,
                () -> parse("--redis", "redis://a:1", "--redis-password", "s3cret")).getMessage();
        assertEquals("--redis-password: a secret in a flag shows in ps and in shell history; put it in TILES_REDIS_PASSWORD"
                + " or in a file named by --redis-password-file", refused);
        assertRefused("--redis-key-store-password: a secret in a flag shows in ps and in shell history; put it in "
                + "TILES_REDIS_KEY_STORE_PASSWORD or in a file named by --redis-key-store-password-file",
                "--redis-key-store-password=s3cret");

        Path file = Files.createTempFile("redis-password", ".txt");
        try {
            Files.writeString(file, "s3cret\n");
            FleetConfig fromFile = parse("--redis", "redis://a:1", "--redis-user", "pxc", "--redis-password-file", file.toString()).fleet();
            assertEquals(new FleetSecurity("pxc", Secret.of("s3cret"), false, null, null, null, null, true), fromFile.security());
            FleetConfig fromVariable = ConfigParser.parse(List.of("--redis", "redis://a:1"),
                    Map.of("TILES_REDIS_PASSWORD", "s3cret")).orElseThrow().fleet();
            assertEquals(Secret.of("s3cret"), fromVariable.security().password());
            assertEquals(null, fromVariable.security().username());
            assertEquals("the secret is given by TILES_REDIS_PASSWORD and --redis-password-file: give it once",
                    assertThrows(IllegalArgumentException.class, () -> ConfigParser.parse(List.of("--redis", "redis://a:1",
                            "--redis-password-file", file.toString()), Map.of("TILES_REDIS_PASSWORD", "other"))).getMessage());
            assertEquals("TILES_REDIS_PASSWORD is set but empty", assertThrows(IllegalArgumentException.class,
                    () -> ConfigParser.parse(List.of("--redis", "redis://a:1"), Map.of("TILES_REDIS_PASSWORD", ""))).getMessage());
            Files.writeString(file, "\n");
            assertRefused("--redis-password-file " + file + ": the secret file " + file + " is empty",
                    "--redis", "redis://a:1", "--redis-password-file", file.toString());
        } finally {
            Files.delete(file);
        }
        assertRefused("--redis-password-file /no/such/file: cannot read the secret file /no/such/file: NoSuchFileException",
                "--redis", "redis://a:1", "--redis-password-file", "/no/such/file");
        assertRefused("Redis security: Redis user pxc has no password (TILES_REDIS_PASSWORD or --redis-password-file)",
                "--redis", "redis://a:1", "--redis-user", "pxc");
    }

    @Test
    void tlsSettings() throws Exception {
        Path store = Files.createTempFile("store", ".p12");
        try {
            FleetConfig fleet = ConfigParser.parse(List.of("--redis-cluster", "rediss://a:1,rediss://b:2",
                            "--redis-trust-store", store.toString(), "--redis-key-store", store.toString(), "--redis-tls-verify", "ca"),
                    Map.of("TILES_REDIS_TRUST_STORE_PASSWORD", "t", "TILES_REDIS_KEY_STORE_PASSWORD", "k")).orElseThrow().fleet();
            assertEquals(new FleetSecurity(null, null, true, store, Secret.of("t"), store, Secret.of("k"), false), fleet.security());
            assertEquals("Redis Cluster rediss://a:1,b:2", fleet.endpoint());
            assertTrue(parse("--redis", "rediss://a:1").fleet().security().verifyHostname(), "hostnames are verified by default");
            assertRefused("Redis security: a trust store or key store is given but the Redis connection is not TLS: use rediss://",
                    "--redis", "redis://a:1", "--redis-trust-store", store.toString());
        } finally {
            Files.delete(store);
        }
        assertRefused("Redis security: the Redis trust store /no/such.p12 is not a readable file",
                "--redis", "rediss://a:1", "--redis-trust-store", "/no/such.p12");
        assertRefused("--redis-tls-verify none: expected full or ca: none", "--redis", "rediss://a:1", "--redis-tls-verify", "none");
        assertRefused("--redis-cluster redis://a:1,rediss://b:2: the cluster seeds disagree on TLS or credentials: give them once for all",
                "--redis-cluster", "redis://a:1,rediss://b:2");
    }

    @Test
    void aRefusedUriNeverRepeatsItsPassword() {
        String message = assertThrows(IllegalArgumentException.class, () -> parse("--redis", "http://u:s3cret@a:1")).getMessage();
        assertTrue(message.startsWith("--redis http://****@a:1: "), message);
        assertNoSecret("s3cret", message,
                assertThrows(IllegalArgumentException.class, () -> parse("--redis-cluster", "redis://u:s3cret@a")).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> parse("--redis", "redis://u:s3cret@a:1 b")).getMessage(),
                assertThrows(IllegalArgumentException.class,
                        () -> parse("--redis", "redis://u:s3cret@a:1", "--redis-cluster", "b:2")).getMessage());
    }

    private static void assertNoSecret(String secret, String... texts) {
        for (String text : texts) {
            assertFalse(text.contains(secret), text);
        }
    }

    /** Runs {@code parse} with the parser's log warnings collected into {@code warnings}. */
    private static <T> T withWarnings(List<String> warnings, java.util.function.Supplier<T> parse) {
        Logger logger = Logger.getLogger(ConfigParser.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(new SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            return parse.get();
        } finally {
            logger.removeHandler(handler);
        }
    }

    private static ServerConfig parse(String... args) {
        return ConfigParser.parse(List.of(args), Map.of()).orElseThrow();
    }

    private static void assertRefused(String message, String... args) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> parse(args)).getMessage());
    }
}
