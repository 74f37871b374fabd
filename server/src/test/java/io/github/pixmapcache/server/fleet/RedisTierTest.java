package io.github.pixmapcache.server.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tier client against a real redis-server on a loopback port, faults included. */
class RedisTierTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1_000);

    private RedisProcess redis;
    private RedisTier tier;

    @BeforeEach
    void start() throws Exception {
        redis = RedisProcess.start();
        tier = RedisTier.start(config(redis), new TierKeys("t", "v3", 8));
    }

    @AfterEach
    void stop() {
        tier.close();
        redis.close();
    }

    private static FleetConfig config(RedisProcess redis) {
        return FleetConfig.standalone(redis.uri()).withCommandTimeout(TIMEOUT).withBreaker(3, Duration.ofMillis(300));
    }

    @Test
    void aMetatileIsWrittenInOnePipelineWithTtlAndFoundTileByTile() throws Exception {
        Map<String, byte[]> tiles = metatile(tier.keys(), 12, 2040, 1360);
        tier.putAll(tiles).get();
        for (var tile : tiles.entrySet()) {
            var hit = assertInstanceOf(RedisTier.Hit.class, tier.get(tile.getKey()));
            assertArrayEquals(tile.getValue(), bytes(hit.png()));
        }
        String anyKey = tiles.keySet().iterator().next();
        long ttl = Long.parseLong(redis.cli("pttl", anyKey));
        assertTrue(ttl > 0 && ttl <= FleetConfig.DEFAULT_TILE_TTL.toMillis(), "PTTL " + ttl);
        assertEquals(OptionalLong.of(1), tier.fleetRenders());
        assertEquals("up", tier.state());
        assertEquals(1, tier.metrics().snapshot().metatilesWritten());
    }

    @Test
    void getAllReadsAMetatileInOrder() throws Exception {
        Map<String, byte[]> tiles = metatile(tier.keys(), 5, 8, 16);
        tier.putAll(tiles).get();
        List<String> keys = List.copyOf(tiles.keySet());
        List<RedisTier.Lookup> found = tier.getAll(keys);
        for (int i = 0; i < keys.size(); i++) {
            assertArrayEquals(tiles.get(keys.get(i)), bytes(assertInstanceOf(RedisTier.Hit.class, found.get(i)).png()));
        }
        assertInstanceOf(RedisTier.Miss.class, tier.getAll(List.of(tier.keys().tile(5, 0, 0))).getFirst());
    }

    @Test
    void anotherRenderVersionSeesNothingOfThisOne() throws Exception {
        tier.putAll(metatile(tier.keys(), 4, 0, 0)).get();
        try (RedisTier next = RedisTier.start(config(redis), new TierKeys("t", "v4", 8))) {
            assertInstanceOf(RedisTier.Miss.class, next.get(next.keys().tile(4, 0, 0)));
            assertEquals(OptionalLong.of(0), next.fleetRenders());
        }
    }

    @Test
    void truncatedForeignAndCorruptValuesAreRefusedThenOverwritten() throws Exception {
        Map<String, byte[]> tiles = metatile(tier.keys(), 9, 64, 64);
        String key = tiles.keySet().iterator().next();
        byte[] good = TileValueCodec.encode(tier.keys().versionTag(), tiles.get(key));
        byte[] corrupt = good.clone();
        corrupt[corrupt.length - 1] ^= 1;
        for (byte[] bad : List.of(Arrays.copyOf(good, good.length / 2), "not a tile".getBytes(), corrupt,
                TileValueCodec.encode(new TierKeys("t", "v2", 8).versionTag(), tiles.get(key)))) {
            writeRaw(key, bad);
            assertInstanceOf(RedisTier.Invalid.class, tier.get(key));
        }
        assertEquals(4, tier.metrics().snapshot().invalidValues());
        tier.putAll(tiles).get();
        assertArrayEquals(tiles.get(key), bytes(assertInstanceOf(RedisTier.Hit.class, tier.get(key)).png()));
    }

    @Test
    void aKilledRedisOpensTheBreakerThenCostsNothingThenComesBackEmpty() throws Exception {
        String key = tier.keys().tile(3, 1, 1);
        tier.putAll(Map.of(key, TileValueCodecTest.pseudoPng(100))).get();
        int port = redis.port();
        redis.kill();
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(RedisTier.Unavailable.class, tier.get(key));
        }
        assertEquals("down", tier.state());
        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            assertInstanceOf(RedisTier.Unavailable.class, tier.get(key));
        }
        long perCallNanos = (System.nanoTime() - start) / 1_000;
        assertTrue(perCallNanos < 200_000, "an open breaker costs " + perCallNanos + " ns a call");

        redis = redis.restartEmpty();
        assertEquals(port, redis.port());
        awaitUp();
        assertInstanceOf(RedisTier.Miss.class, tier.get(key), "the restarted Redis is empty");
    }

    @Test
    void aHungRedisTimesOutThenOpensTheBreakerAndRecoversAfterSigcont() throws Exception {
        String key = tier.keys().tile(3, 1, 1);
        tier.putAll(Map.of(key, TileValueCodecTest.pseudoPng(100))).get();
        redis.pause();
        try {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                assertInstanceOf(RedisTier.Unavailable.class, tier.get(key));
                long tookMillis = (System.nanoTime() - start) / 1_000_000;
                assertTrue(tookMillis >= TIMEOUT.toMillis() - 5 && tookMillis < 5 * TIMEOUT.toMillis(),
                        "a hung command took " + tookMillis + " ms, timeout " + TIMEOUT);
            }
            assertEquals("down", tier.state());
            long start = System.nanoTime();
            assertInstanceOf(RedisTier.Unavailable.class, tier.get(key));
            assertTrue(System.nanoTime() - start < 5_000_000, "an open breaker answers at once");
        } finally {
            redis.resume();
        }
        awaitUp();
        assertInstanceOf(RedisTier.Hit.class, tier.get(key));
    }

    @Test
    void aRedisDownAtStartIsConnectedLater() throws Exception {
        int port = redis.port();
        tier.close();
        redis.kill();
        tier = RedisTier.start(config(redis), new TierKeys("t", "v3", 8));
        assertEquals("connecting", tier.state());
        assertInstanceOf(RedisTier.Unavailable.class, tier.get(tier.keys().tile(0, 0, 0)));
        redis = redis.restartEmpty();
        assertEquals(port, redis.port());
        awaitUp();
        assertInstanceOf(RedisTier.Miss.class, tier.get(tier.keys().tile(0, 0, 0)));
    }

    /** Polls until a lookup gets through: the breaker's probe found Redis answering again. */
    private void awaitUp() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(tier.get(tier.keys().tile(22, 0, 0)) instanceof RedisTier.Miss)) {
            assertTrue(System.nanoTime() < deadline, "tier still " + tier.state() + " 10 s after Redis came back");
            RedisProcess.sleep(Duration.ofMillis(20));
        }
        assertEquals("up", tier.state());
    }

    private void writeRaw(String key, byte[] value) throws Exception {
        // Through a tier without the codec's framing: Lettuce's plain SET of the bytes.
        RedisTier.await(tier.call(redis -> redis.set(key, value)));
    }

    /** Distinct pseudo-PNG payloads for every tile of the 8x8 metatile at (z, x, y). */
    static Map<String, byte[]> metatile(TierKeys keys, int z, int x, int y) {
        Map<String, byte[]> tiles = new LinkedHashMap<>();
        for (int dy = 0; dy < 8; dy++) {
            for (int dx = 0; dx < 8; dx++) {
                tiles.put(keys.tile(z, x + dx, y + dy), TileValueCodecTest.pseudoPng(1_000 + 37 * (dy * 8 + dx) + z));
            }
        }
        return tiles;
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
