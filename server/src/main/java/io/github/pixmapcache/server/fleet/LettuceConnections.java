package io.github.pixmapcache.server.fleet;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The Lettuce client and its two connections, to one Redis or to a Redis Cluster: a reader shared by
 * every request (Lettuce pipelines concurrent commands on it) and a writer whose commands are flushed
 * together, so that a metatile's tiles leave in one write. On a cluster the batch goes to the node
 * connection of the metatile's slot (its keys share one, see {@link TierKeys}): Lettuce's cluster
 * connection does not flush node connections still opening when {@code flushCommands} runs
 * (lettuce#2420), which lost writes here.
 *
 * <p>Options chosen for a tier that must never hold a request up: commands time out after the
 * configured timeout; while the connection to a single Redis is down commands are rejected at once
 * instead of queued (Lettuce's default would queue them until the reconnect); reconnects back off
 * from 10 ms to 1 s so that a Redis that comes back is used again within a second. On a cluster,
 * commands are queued while a node connection opens (Lettuce opens one per node and intent at its
 * first command, and rejecting would fail those first commands): a dead node then costs command
 * timeouts until the breaker opens. The cluster topology is refreshed on MOVED/ASK redirects and
 * reconnects, and every 10 s.
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
    /** The writer as a cluster connection, or null on a single Redis. */
    private final StatefulRedisClusterConnection<String, byte[]> clusterWriter;
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
        this.clusterWriter = writerConnection instanceof StatefulRedisClusterConnection<String, byte[]> cluster ? cluster : null;
        if (clusterWriter == null) {
            writerConnection.setAutoFlushCommands(false);
        }
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
            SslOptions ssl = sslOptions(config.security());
            if (config.isCluster()) {
                String scheme = config.security().tls() ? "rediss://" : "redis://";
                List<RedisURI> seeds = config.clusterSeeds().stream().map(seed -> uri(scheme + seed, config.security())).toList();
                RedisClusterClient client = RedisClusterClient.create(resources, seeds);
                client.setOptions(ClusterClientOptions.builder()
                        .socketOptions(socket)
                        .sslOptions(ssl)
                        .timeoutOptions(TimeoutOptions.enabled(timeout))
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                        .requestQueueSize(REQUEST_QUEUE)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enableAllAdaptiveRefreshTriggers()
                                .enablePeriodicRefresh(Duration.ofSeconds(10))
                                .build())
                        .build());
                try {
                    StatefulRedisClusterConnection<String, byte[]> reader = client.connect(CODEC);
                    StatefulRedisClusterConnection<String, byte[]> writer = client.connect(CODEC);
                    connectToEveryMaster(reader);
                    connectToEveryMaster(writer);
                    return new LettuceConnections(resources, client, reader, reader.async(), writer, writer.async());
                } catch (RuntimeException e) {
                    client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                    throw e;
                }
            }
            RedisClient client = RedisClient.create(resources, uri(config.standalone().toString(), config.security()));
            client.setOptions(ClientOptions.builder()
                    .socketOptions(socket)
                    .sslOptions(ssl)
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

    /**
     * Opens the connection to every master now (Lettuce opens them at a node's first command), so that
     * the first requests' commands do not spend their timeout connecting.
     */
    private static void connectToEveryMaster(StatefulRedisClusterConnection<String, byte[]> connection) {
        for (RedisClusterNode node : connection.getPartitions()) {
            if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                connection.getConnection(node.getNodeId()).sync().ping();
            }
        }
    }

    /** {@code text} (no credentials in it) with the user and password, TLS and its hostname check of {@code security}. */
    private static RedisURI uri(String text, FleetSecurity security) {
        RedisURI uri = RedisURI.create(text);
        uri.setTimeout(CONNECT_TIMEOUT);
        uri.setSsl(security.tls());
        uri.setVerifyPeer(security.verifyHostname() ? SslVerifyMode.FULL : SslVerifyMode.CA);
        if (security.password() != null) {
            if (security.username() != null) {
                uri.setAuthentication(security.username(), security.password().chars());
            } else {
                uri.setAuthentication(security.password().chars());
            }
        }
        return uri;
    }

    /**
     * The trust and key material of {@code security}: a PEM trust store is read as certificates, any
     * other as a key store of its type (PKCS#12 or JKS, which the JDK tells apart by itself); with no
     * trust store the JDK's CAs are trusted.
     */
    private static SslOptions sslOptions(FleetSecurity security) {
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().handshakeTimeout(CONNECT_TIMEOUT);
        if (security.trustStore() != null) {
            File trust = security.trustStore().toFile();
            if (isPem(security.trustStore())) {
                ssl.trustManager(trust);
            } else {
                ssl.truststore(trust, security.trustStorePassword() == null ? null
                        : new String(security.trustStorePassword().chars()));
            }
        }
        if (security.keyStore() != null) {
            ssl.keystore(security.keyStore().toFile(),
                    security.keyStorePassword() == null ? null : security.keyStorePassword().chars());
        }
        return ssl.build();
    }

    private static boolean isPem(Path file) {
        try (var in = Files.newInputStream(file)) {
            return new String(in.readNBytes(64), StandardCharsets.US_ASCII).contains("-----BEGIN");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Redis trust store " + file, e);
        }
    }

    /** The shared connection for single commands. */
    RedisClusterAsyncCommands<String, byte[]> reader() {
        return reader;
    }

    /**
     * Issues {@code commands}, whose keys all hash to the slot of {@code slotKey}, on the writer and
     * sends them in one flush. On a cluster this may block while the slot's node connection opens.
     */
    void pipelined(String slotKey, Consumer<RedisClusterAsyncCommands<String, byte[]>> commands) {
        writeLock.lock();
        try {
            if (clusterWriter == null) {
                try {
                    commands.accept(writer);
                } finally {
                    writerConnection.flushCommands();
                }
                return;
            }
            RedisClusterNode node = clusterWriter.getPartitions().getPartitionBySlot(SlotHash.getSlot(slotKey));
            if (node == null) {
                throw new RedisException("no node of the cluster serves slot " + SlotHash.getSlot(slotKey) + " of " + slotKey);
            }
            StatefulRedisConnection<String, byte[]> nodeConnection = clusterWriter.getConnection(node.getNodeId());
            nodeConnection.setAutoFlushCommands(false);
            try {
                commands.accept(nodeConnection.async());
            } finally {
                nodeConnection.flushCommands();
                nodeConnection.setAutoFlushCommands(true);
            }
        } finally {
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
