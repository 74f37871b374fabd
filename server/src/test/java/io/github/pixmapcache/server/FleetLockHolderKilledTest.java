package io.github.pixmapcache.server;

import static io.github.pixmapcache.server.TestServer.assertMandelbrot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.fleet.RedisProcess;
import io.github.pixmapcache.server.fleet.TierKeys;
import io.github.pixmapcache.server.http.TileHandler;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A server process killed (SIGKILL) while it holds a metatile's fleet render lock: another server renders it once the lock expires. */
class FleetLockHolderKilledTest {

    private static final long LOCK_TTL_MS = 3_000;

    @Test
    void anotherServerRendersAfterTheDeadHoldersLockExpires() throws Exception {
        TileAddress tile = new TileAddress(5, 2, 30);
        String lockKey = new TierKeys("pxc", TileHandler.PICTURE_VERSION, 8).lock(tile.z(), tile.x(), tile.y());
        try (RedisProcess redis = RedisProcess.start()) {
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process holder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), StuckRenderServerMain.class.getName(),
                    "--port", "0", "--redis", redis.uri().toString(), "--redis-lock-ttl", Long.toString(LOCK_TTL_MS))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (HttpClient client = HttpClient.newHttpClient();
                 TestServer survivor = TestServer.start("--redis", redis.uri().toString())) {
                URI holderUri = URI.create(new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine());
                client.sendAsync(HttpRequest.newBuilder(holderUri.resolve("/tiles/" + tile + ".png")).build(),
                        HttpResponse.BodyHandlers.discarding());
                FleetTestSupport.await(() -> exists(redis, lockKey), Duration.ofSeconds(30), () -> "the holder never took " + lockKey);
                holder.destroyForcibly(); // SIGKILL, mid-render, lock held
                assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
                long lockTtlLeft = Long.parseLong(redis.cli("pttl", lockKey));
                assertTrue(lockTtlLeft > 0, "the dead holder's lock is still there: PTTL " + lockTtlLeft);

                long start = System.nanoTime();
                assertMandelbrot(tile, survivor.tile(tile));
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(1, survivor.server.renders());
                assertEquals(1, survivor.server.fleet().counts().lockWaits());
                assertEquals(1, survivor.server.fleet().counts().lockTakeovers());
                assertTrue(tookMillis >= lockTtlLeft - 100, "rendered after " + tookMillis + " ms, lock had " + lockTtlLeft + " ms left");
                FleetTestSupport.awaitPublished(survivor, 1);
                assertEquals("0", redis.cli("exists", lockKey), "the survivor released its lock");
            } finally {
                holder.destroyForcibly();
                holder.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean exists(RedisProcess redis, String key) {
        try {
            return redis.cli("exists", key).equals("1");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
