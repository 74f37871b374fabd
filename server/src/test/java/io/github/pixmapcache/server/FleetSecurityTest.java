package io.github.pixmapcache.server;

import static io.github.pixmapcache.server.FleetTestSupport.await;
import static io.github.pixmapcache.server.FleetTestSupport.awaitPublished;
import static io.github.pixmapcache.server.FleetTestSupport.awaitState;
import static io.github.pixmapcache.server.FleetTestSupport.text;
import static io.github.pixmapcache.server.TestServer.assertMandelbrot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.fleet.RedisClusterProcesses;
import io.github.pixmapcache.server.fleet.RedisProcess;
import io.github.pixmapcache.server.fleet.SecureRedis;
import io.github.pixmapcache.server.fleet.TestCertificates;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet tier lets in only its own servers: a standalone Redis and a 3-master cluster, each TLS
 * only with client certificates and an ACL user, shared by two tile servers; and each way in that
 * must fail (wrong password, no CA, a certificate for another host, an expired one, a missing ACL
 * rule) fails loudly, is counted, and leaves the server serving. The password is searched for in
 * everything the servers said. One Redis, one cluster and one set of certificates serve every test.
 */
class FleetSecurityTest {

    private static TestCertificates certs;
    private static CapturedOutput output;
    private static RedisProcess redis;
    private static RedisClusterProcesses cluster;
    private static Path passwordFile;
    private static Path storePasswordFile;

    @BeforeAll
    static void startRedis() throws Exception {
        output = new CapturedOutput();
        certs = TestCertificates.shared();
        passwordFile = certs.secretFile("fleet-password", SecureRedis.FLEET_PASSWORD);
        storePasswordFile = certs.secretFile("store-password", TestCertificates.STORE_PASSWORD);
        redis = RedisProcess.start(SecureRedis.launch(certs, "redis"));
        cluster = RedisClusterProcesses.start(SecureRedis.launch(certs, "redis"));
    }

    @AfterAll
    static void stopRedis() {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
        output.close();
    }

    @AfterEach
    void theSecretWasNeverSaid() {
        assertNoSecret("the servers' output", output.text());
    }

    @Test
    void twoServersShareTilesThroughAStandaloneRedisOverMutualTlsAsTheLeastPrivilegedUser() throws Exception {
        String[] flags = flags(redis.uri().toString(), SecureRedis.FLEET_USER, passwordFile,
                "--redis-trust-store", certs.caPem().toString());
        redis.cli("acl", "log", "reset");
        try (TestServer first = TestServer.start(flags); TestServer second = TestServer.start(flags)) {
            assertSharedThroughRedis(first, second, new TileAddress(5, 9, 12));
        }
        assertEquals("", redis.cli("acl", "log"), "a command or key the documented rules do not allow was refused");
    }

    @Test
    void twoServersShareTilesThroughAClusterOverMutualTlsWithAPkcs12TrustStore() throws Exception {
        for (RedisProcess node : cluster.nodes()) {
            node.cli("acl", "log", "reset");
        }
        String seeds = String.join(",", cluster.seeds().stream().map(seed -> "rediss://" + seed).toList());
        String[] flags = flags(seeds, SecureRedis.FLEET_USER, passwordFile,
                "--redis-trust-store", certs.trustStore().toString(), "--redis-trust-store-password-file", storePasswordFile.toString());
        flags[0] = "--redis-cluster";
        try (TestServer first = TestServer.start(flags)) {
            // Seeded with one node only: the others are found through it, over TLS, as the same user.
            String[] secondFlags = flags.clone();
            secondFlags[1] = "rediss://" + cluster.seeds().getLast();
            assertEquals("--metatile", secondFlags[2]);
            try (TestServer second = TestServer.start(secondFlags)) {
                assertSharedThroughRedis(first, second, new TileAddress(5, 17, 12));
            }
        }
        for (RedisProcess node : cluster.nodes()) {
            assertEquals("", node.cli("acl", "log"), "node " + node.port() + " refused a command or key");
        }
    }

    @Test
    void aWrongPasswordIsRefusedCountedAndNotRetriedInATightLoop() throws Exception {
        Path wrong = certs.secretFile("wrong-password", "Wr0ng-s3cret-41e9");
        redis.cli("acl", "log", "reset");
        try (TestServer server = TestServer.start(flags(redis.uri().toString(), SecureRedis.FLEET_USER, wrong,
                "--redis-trust-store", certs.caPem().toString()))) {
            assertRefusedAndServing(server, "WRONGPASS invalid username-password pair or user is disabled.");
            FleetTestSupport.sleep(Duration.ofSeconds(3));
            // Tries at 0 s and then after 2 s, 4 s, ... (each refusal doubles the pause): 2 or 3 by now.
            long attempts = server.server.fleet().counts().connectFailures();
            assertTrue(attempts >= 1 && attempts <= 3, "connect attempts in 3 s: " + attempts);
            long refusedAtRedis = refusedAtRedis("auth");
            assertTrue(refusedAtRedis >= 1 && refusedAtRedis <= 3 * 2, "AUTH failures Redis saw: " + refusedAtRedis);
            assertNoSecret("its output", output.text(), "Wr0ng-s3cret-41e9");
        }
    }

    @Test
    void aServerWithoutTheCaRefusesRedisAndNeverFallsBackToPlainText() throws Exception {
        try (TestServer server = TestServer.start(flags(redis.uri().toString(), SecureRedis.FLEET_USER, passwordFile))) {
            assertRefusedAndServing(server, "PKIX path building failed");
        }
    }

    @Test
    void aRedisCertificateForAnotherHostIsRefusedUnlessTheHostCheckIsTurnedOff() throws Exception {
        try (RedisProcess elsewhere = RedisProcess.start(SecureRedis.launch(certs, "otherhost"))) {
            String[] flags = flags(elsewhere.uri().toString(), SecureRedis.FLEET_USER, passwordFile,
                    "--redis-trust-store", certs.caPem().toString());
            try (TestServer server = TestServer.start(flags)) {
                assertRefusedAndServing(server, "No subject alternative names matching IP address 127.0.0.1 found");
            }
            // The same certificate is otherwise good: only the host name was wrong.
            List<String> chainOnly = new ArrayList<>(List.of(flags));
            chainOnly.addAll(List.of("--redis-tls-verify", "ca"));
            try (TestServer server = TestServer.start(chainOnly.toArray(String[]::new))) {
                awaitState(server, "up", Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void anExpiredRedisCertificateIsRefused() throws Exception {
        try (RedisProcess expired = RedisProcess.start(SecureRedis.launch(certs, "expired"))) {
            try (TestServer server = TestServer.start(flags(expired.uri().toString(), SecureRedis.FLEET_USER, passwordFile,
                    "--redis-trust-store", certs.caPem().toString()))) {
                assertRefusedAndServing(server, "(certificate_expired) PKIX path validation failed");
            }
        }
    }

    @Test
    void aUserMissingOneAclRuleIsRefusedTheNamedCommandAndTheBreakerOpens() throws Exception {
        redis.cli("acl", "log", "reset");
        try (TestServer server = TestServer.start(flags(redis.uri().toString(), SecureRedis.NO_EVAL_USER, passwordFile,
                "--redis-trust-store", certs.caPem().toString()))) {
            awaitState(server, "up", Duration.ofSeconds(10));
            TileAddress tile = new TileAddress(5, 25, 3);
            assertMandelbrot(tile, server.tile(tile)); // the lock's EVAL is refused: rendered without the lock
            assertEquals("down", server.server.fleet().state(), "one refusal opens the breaker");
            String health = text(server.get("/health"));
            assertTrue(health.startsWith("ok\nfleet tier: "), health);
            assertTrue(health.contains("fleet tier refused: Redis refused EVAL: NOPERM this user has no permissions to run the 'eval' command"),
                    health);
            assertTrue(output.text().contains("Redis refused EVAL (Redis rediss://127.0.0.1:" + redis.port()
                    + "): NOPERM this user has no permissions to run the 'eval' command"), "the log names the command");
            // Each refusal opens the breaker for a second: the refused command is not sent again in between.
            long start = System.nanoTime();
            for (int x = 0; x < 6; x++) {
                TileAddress next = new TileAddress(5, 2 * x, 30);
                assertMandelbrot(next, server.tile(next));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long refusedEvals = refusedAtRedis("eval");
            assertTrue(refusedEvals >= 1 && refusedEvals <= 2 + seconds, refusedEvals + " EVALs refused in " + seconds + " s");
            assertCounted(server);

            // The operator adds the rule: the breaker's next probe finds Redis answering, and locks are taken again.
            redis.cli("acl", "setuser", SecureRedis.NO_EVAL_USER, "+eval");
            try {
                int[] metatile = {0};
                await(() -> {
                    int i = metatile[0]++;
                    TileAddress next = new TileAddress(6, 2 * (i % 32), 60 - 2 * (i / 32)); // a new 2x2 metatile each time
                    assertMandelbrot(next, server.tile(next));
                    return server.server.fleet().counts().locksAcquired() > 0;
                }, Duration.ofSeconds(15), () -> "no lock taken after +eval");
            } finally {
                redis.cli("acl", "setuser", SecureRedis.NO_EVAL_USER, "-eval");
            }
        }
    }

    /** How many times Redis refused {@code what} (a command, or {@code auth}) since its ACL log was reset, by that log. */
    private static long refusedAtRedis(String what) throws Exception {
        long refused = 0;
        // Each entry: count N, reason (auth, command, key), context, object (the command), ...
        Matcher entry = Pattern.compile("count\\n(\\d+)\\nreason\\n(\\w+)\\ncontext\\n\\w+\\nobject\\n([^\\n]*)")
                .matcher(redis.cli("acl", "log"));
        while (entry.find()) {
            if (entry.group(2).equalsIgnoreCase(what) || entry.group(3).equalsIgnoreCase(what)) {
                refused += Long.parseLong(entry.group(1));
            }
        }
        return refused;
    }

    /** The first server renders {@code tile}, the second serves it from Redis without rendering; both report the tier up. */
    private static void assertSharedThroughRedis(TestServer first, TestServer second, TileAddress tile) {
        HttpResponse<byte[]> rendered = first.get("/tiles/" + tile + ".png");
        assertEquals(200, rendered.statusCode());
        assertMandelbrot(tile, TestServer.decode(rendered.body()));
        awaitPublished(first, 1);
        HttpResponse<byte[]> shared = second.get("/tiles/" + tile + ".png");
        assertEquals(200, shared.statusCode());
        assertArrayEquals(rendered.body(), shared.body());
        assertEquals(0, second.server.renders(), "the second server rendered");
        assertEquals(OptionalLong.of(1), second.server.fleet().fleetRenders());
        assertEquals("ok\nfleet tier: up\n", text(second.get("/health")));
        for (TestServer server : List.of(first, second)) {
            assertEquals(0, server.server.fleet().counts().refusals());
            assertNoSecret("/stats", text(server.get("/stats")));
            assertNoSecret("/metrics", text(server.get("/metrics")));
        }
    }

    /** The server started, is refused, says so on /health, /stats and /metrics and in its log, and serves by rendering. */
    private static void assertRefusedAndServing(TestServer server, String refusal) {
        await(() -> server.server.fleet().lastRefusal() != null, Duration.ofSeconds(10), () -> "no refusal noted");
        String noted = server.server.fleet().lastRefusal();
        assertTrue(noted.startsWith("connect refused: ") && noted.contains(refusal), noted);
        assertEquals("connecting", server.server.fleet().state(), "never connected, never in plain text");
        TileAddress tile = new TileAddress(4, 3, 5);
        assertMandelbrot(tile, server.tile(tile));
        assertEquals(1, server.server.renders());
        String health = text(server.get("/health"));
        assertTrue(health.startsWith("ok\nfleet tier: connecting\nfleet tier refused: connect refused: ") && health.contains(refusal),
                health);
        assertTrue(output.text().contains(refusal), "the log says why");
        assertCounted(server);
    }

    private static void assertCounted(TestServer server) {
        String stats = text(server.get("/stats"));
        assertTrue(Pattern.compile("\"refusals\":[1-9]").matcher(stats).find(), stats);
        String metrics = text(server.get("/metrics"));
        assertTrue(Pattern.compile("fleet_tier_refusals_total [1-9]").matcher(metrics).find(), metrics);
        assertNoSecret("/stats", stats);
        assertNoSecret("/metrics", metrics);
    }

    private static void assertNoSecret(String where, String text, String... moreSecrets) {
        List<String> secrets = new ArrayList<>(List.of(SecureRedis.FLEET_PASSWORD, TestCertificates.STORE_PASSWORD));
        secrets.addAll(List.of(moreSecrets));
        for (String secret : secrets) {
            assertFalse(text.contains(secret), () -> where + " holds the secret " + secret);
        }
    }

    /** Flags for a tier at {@code endpoint} as {@code user}, the password in {@code passwordFile}, with this server's client certificate. */
    private static String[] flags(String endpoint, String user, Path passwordFile, String... more) {
        // 2x2 metatiles publish in milliseconds; a long command timeout, since TLS on 2 busy cores is slow and latency is not tested here.
        List<String> flags = new ArrayList<>(List.of("--redis", endpoint, "--metatile", "2", "--redis-timeout", "1000", "--redis-user", user,
                "--redis-password-file", passwordFile.toString(),
                "--redis-key-store", certs.clientKeyStore().toString(), "--redis-key-store-password-file", storePasswordFile.toString()));
        flags.addAll(List.of(more));
        return flags.toArray(String[]::new);
    }

    @Test
    void theDocumentedRulesAreTheTestedRules() throws Exception {
        String guide = Files.readString(Path.of("..", "docs", "fleet.md"));
        String rules = String.join(" ", SecureRedis.FLEET_RULES);
        assertTrue(guide.contains(rules), "docs/fleet.md does not give the rules " + rules);
    }
}
