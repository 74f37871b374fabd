package io.github.pixmapcache.server;

import static io.github.pixmapcache.server.FleetTestSupport.SMALL_CACHE;
import static io.github.pixmapcache.server.FleetTestSupport.awaitPublished;
import static io.github.pixmapcache.server.FleetTestSupport.sleep;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.fleet.RedisClusterProcesses;
import io.github.pixmapcache.server.fleet.RedisProcess;
import io.github.pixmapcache.server.fleet.TierKeys;
import io.github.pixmapcache.server.http.TileHandler;
import io.github.pixmapcache.server.tiles.TileAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The tier on a real 3-master Redis Cluster on loopback. */
class FleetClusterTest {

    @Test
    void tilesSpreadOverTheMastersAreFoundThroughAnyNodeAndALostMasterFailsNoRequest() throws Exception {
        try (RedisClusterProcesses cluster = RedisClusterProcesses.start()) {
            List<RedisProcess> nodes = cluster.nodes();
            Map<TileAddress, byte[]> expected;
            try (TestServer first = TestServer.start(flags(nodes.get(0)))) {
                expected = FleetTestSupport.cheapTiles(first);
                awaitPublished(first, 16);
            }
            TierKeys keys = new TierKeys("pxc", TileHandler.PICTURE_VERSION, 2);
            Set<Integer> owners = new HashSet<>();
            for (TileAddress tile : expected.keySet()) {
                owners.add(cluster.ownerOf(keys.tile(tile.z(), tile.x(), tile.y())).port());
            }
            assertEquals(3, owners.size(), "the 16 metatiles' slots are on masters " + owners);
            for (RedisProcess node : nodes) {
                assertTrue(Long.parseLong(node.cli("dbsize")) > 0, "node " + node.port() + " holds no key");
            }

            // Through another seed, a server with an empty cache finds every tile without rendering.
            try (TestServer second = TestServer.start(flags(nodes.get(2)))) {
                for (var tile : expected.entrySet()) {
                    HttpResponse<byte[]> response = second.get("/tiles/" + tile.getKey() + ".png");
                    assertEquals(200, response.statusCode());
                    assertArrayEquals(tile.getValue(), response.body(), tile.getKey().toString());
                }
                assertEquals(0, second.server.renders(), () -> second.server.fleet().counts().toString());
                assertEquals(64, second.server.fleet().counts().hits());

                // A master dies under load: every response still right, by rendering locally.
                List<BoundedLoad.Sample> samples;
                try (BoundedLoad load = new BoundedLoad(4, n -> second.server.uri(), expected)) {
                    load.awaitFirstResponses();
                    sleep(Duration.ofMillis(500));
                    nodes.get(1).kill();
                    sleep(Duration.ofSeconds(3));
                    samples = load.stop();
                }
                assertEquals(List.of(), BoundedLoad.failures(samples).stream().limit(5).toList());
                assertTrue(second.server.renders() > 0, "tiles of the dead master's slots were rendered locally");
            }
        }
    }

    /** A server whose only seed is {@code node}: it learns the other masters from the cluster. */
    private static String[] flags(RedisProcess node) {
        List<String> flags = new ArrayList<>(List.of("--redis-cluster", node.hostAndPort(), "--redis-timeout", "500"));
        flags.addAll(List.of(SMALL_CACHE));
        return flags.toArray(String[]::new);
    }
}
