package io.github.pixmapcache.server.fleet;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The Lettuce client and its two connections, to one Redis or to a Redis Cluster: a reader shared by
 * every request (Lettuce pipelines concurrent commands on it) and a writer whose commands are flushed
 * together, so that a metatile's tiles leave in one write.
 *
 * <p>Options chosen for a tier that must never hold a request up: commands time out after the
 * configured timeout; while a connection is down commands are rejected at once instead of queued
 * (Lettuce's default would queue them until the reconnect); reconnects back off from 10 ms to 1 s so
 * that a Redis that comes back is used again within a second; the cluster topology is refreshed on
 * MOVED/ASK redirects and reconnects, and every 10 s.
 */
final class LettuceConnections implements AutoCloseable {

    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    /** Commands a connection holds while waiting for replies; past it, calls fail rather than queue. */
    private static final int REQUEST_QUEUE = 10_000;
    /** For the TCP connect and the handshake only; commands get the configured timeout. A cold JVM needs ~1 s here. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<String, byte[]> readerConnection;
    private final RedisClusterAsyncCommands<String, byte[]> reader;
    private final StatefulConnection<String, byte[]> writerConnection;
    private final RedisClusterAsyncCommands<String, byte[]> writer;
    /** Guards the writer's auto-flush-off window: one pipeline at a time. */
    private final ReentrantLock writeLock = new ReentrantLock();

    private LettuceConnections(ClientResources resources, AbstractRedisClient client,
                               StatefulConnection<String, byte[]> readerConnection, RedisClusterAsyncCommands<String, byte[]> reader,
                               StatefulConnection<String, byte[]> writerConnection, RedisClusterAsyncCommands<String, byte[]> writer) {
        this.resources = resources;
        this.client = client;
        this.readerConnection = readerConnection;
        this.reader = reader;
        this.writerConnection = writerConnection;
        this.writer = writer;
        writerConnection.setAutoFlushCommands(false);
    }

    /** Connects, or throws Lettuce's {@code RedisException} when no node answers within the timeout. */
    static LettuceConnections open(FleetConfig config) {
        ClientResources resources = ClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        Duration timeout = config.commandTimeout();
        SocketOptions socket = SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build();
        try {
            if (config.isCluster()) {
                List<RedisURI> seeds = config.clusterSeeds().stream().map(seed -> uri("redis://" + seed)).toList();
                RedisClusterClient client = RedisClusterClient.create(resources, seeds);
                client.setOptions(ClusterClientOptions.builder()
                        .socketOptions(socket)
                        .timeoutOptions(TimeoutOptions.enabled(timeout))
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .requestQueueSize(REQUEST_QUEUE)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers()
                                .enablePeriodicRefresh(Duration.ofSeconds(10))
                                .build())
                        .build());
                try {
                    StatefulRedisClusterConnection<String, byte[]> reader = client.connect(CODEC);
                    StatefulRedisClusterConnection<String, byte[]> writer = client.connect(CODEC);
                    return new LettuceConnections(resources, client, reader, reader.async(), writer, writer.async());
                } catch (RuntimeException e) {
                    client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                    throw e;
                }
            }
            RedisClient client = RedisClient.create(resources, uri(config.standalone().toString()));
            client.setOptions(ClientOptions.builder()
                    .socketOptions(socket)
                    .timeoutOptions(TimeoutOptions.enabled(timeout))
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .requestQueueSize(REQUEST_QUEUE)
                    .build());
            try {
                StatefulRedisConnection<String, byte[]> reader = client.connect(CODEC);
                StatefulRedisConnection<String, byte[]> writer = client.connect(CODEC);
                return new LettuceConnections(resources, client, reader, reader.async(), writer, writer.async());
            } catch (RuntimeException e) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                throw e;
            }
        } catch (RuntimeException e) {
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static RedisURI uri(String text) {
        RedisURI uri = RedisURI.create(text);
        uri.setTimeout(CONNECT_TIMEOUT);
        return uri;
    }

    /** The shared connection for single commands. */
    RedisClusterAsyncCommands<String, byte[]> reader() {
        return reader;
    }

    /** Issues {@code commands} on the writer connection and sends them in one flush. */
    void pipelined(Consumer<RedisClusterAsyncCommands<String, byte[]>> commands) {
        writeLock.lock();
        try {
            commands.accept(writer);
        } finally {
            writerConnection.flushCommands();
            writeLock.unlock();
        }
    }

    @Override
    public void close() {
        readerConnection.close();
        writerConnection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
