package io.github.pixmapcache.server.fleet;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real 3-master Redis Cluster on loopback: three {@link RedisProcess} nodes joined by {@code redis-cli --cluster create}. */
public final class RedisClusterProcesses implements AutoCloseable {

    private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisProcess> nodes;

    private RedisClusterProcesses(List<RedisProcess> nodes) {
        this.nodes = nodes;
    }

    public static RedisClusterProcesses start() throws IOException, InterruptedException {
        return start(RedisProcess.Launch.PLAIN);
    }

    /** Three nodes started as {@code launch} says (a TLS launch puts the cluster bus on TLS too), joined into one cluster. */
    public static RedisClusterProcesses start(RedisProcess.Launch launch) throws IOException, InterruptedException {
        List<RedisProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(RedisProcess.startClusterNode(launch));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli"));
            create.addAll(launch.cliArgs());
            create.addAll(List.of("--cluster", "create"));
            nodes.forEach(node -> create.add(node.hostAndPort()));
            create.add("--cluster-yes");
            RedisProcess.run(create);
            long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
            for (RedisProcess node : nodes) {
                while (!node.cli("cluster", "info").contains("cluster_state:ok")) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("cluster on " + nodes.stream().map(RedisProcess::port).toList()
                                + " not ok after " + FORM_TIMEOUT);
                    }
                    RedisProcess.sleep(Duration.ofMillis(100));
                }
            }
            return new RedisClusterProcesses(List.copyOf(nodes));
        } catch (IOException | InterruptedException | RuntimeException e) {
            nodes.forEach(RedisProcess::close);
            throw e;
        }
    }

    public List<RedisProcess> nodes() {
        return nodes;
    }

    public List<String> seeds() {
        return nodes.stream().map(RedisProcess::hostAndPort).toList();
    }

    /** The node that serves {@code key}'s slot, by asking the cluster itself. */
    public RedisProcess ownerOf(String key) throws IOException, InterruptedException {
        int slot = Integer.parseInt(nodes.getFirst().cli("cluster", "keyslot", key));
        for (RedisProcess node : nodes) {
            String[] lines = node.cli("cluster", "nodes").split("\n");
            for (String line : lines) {
                if (line.contains("myself")) {
                    for (String field : line.split(" ")) {
                        if (field.matches("[0-9]+-[0-9]+")) {
                            String[] range = field.split("-");
                            if (slot >= Integer.parseInt(range[0]) && slot <= Integer.parseInt(range[1])) {
                                return node;
                            }
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("no node of " + seeds() + " serves slot " + slot + " of " + key);
    }

    @Override
    public void close() {
        nodes.forEach(RedisProcess::close);
    }
}
