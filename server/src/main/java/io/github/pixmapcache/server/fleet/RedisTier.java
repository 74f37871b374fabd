package io.github.pixmapcache.server.fleet;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shared second tier: encoded tiles in Redis, read and written through Lettuce, every call
 * guarded by a command timeout and a {@link CircuitBreaker}.
 *
 * <p>The guard is the whole fault story. A Redis that is down, hung or slow makes the first calls
 * fail (at once when the connection is known to be down, after the command timeout when it hangs);
 * {@link FleetConfig#breakerFailures()} failures in a row open the breaker, and from then on every
 * call returns {@link Unavailable} without touching the network, so the server renders locally at
 * local speed. Every {@link FleetConfig#breakerOpenFor()} one call probes; when Redis answers again
 * the breaker closes and the tier is back, with no operator action. A Redis that cannot be reached
 * when the server starts is retried in the background at the same pace.
 *
 * <p>A refusal (wrong password, missing ACL rule, untrusted certificate: see {@link Refusal}) is a
 * failure that opens the breaker at once (repeating cannot fix it, so it costs one call per open
 * period). It is counted apart, kept for {@code /health}, and logged once per distinct reason,
 * naming the command. A refused connect is retried ever more slowly, up to every
 * {@link #MAX_REFUSED_RETRY}, since it waits for an operator.
 */
public final class RedisTier implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RedisTier.class.getName());
    /** The slowest pace of connects after refusals: each refusal doubles the pause from the breaker's open time up to it. */
    static final Duration MAX_REFUSED_RETRY = Duration.ofSeconds(30);
    /** Distinct refusal reasons logged; past it, refusals are only counted. */
    private static final int MAX_LOGGED_REFUSALS = 64;

    /** What a tile lookup found. */
    public sealed interface Lookup permits Hit, Miss, Invalid, Unavailable {}

    /** A valid stored tile; {@code png} is a read-only view of the value's payload. */
    public record Hit(ByteBuffer png) implements Lookup {}

    /** No value under the key. */
    public record Miss() implements Lookup {}

    /** A value that failed {@link TileValueCodec#decode}; it is not served, and the next write replaces it. */
    public record Invalid(String reason) implements Lookup {}

    /** Redis was not asked (breaker open, not connected) or did not answer in time. */
    public record Unavailable(String reason) implements Lookup {}

    private final FleetConfig config;
    private final TierKeys keys;
    private final CircuitBreaker breaker;
    private final TierMetrics metrics = new TierMetrics();
    private final SetArgs tileTtl;
    private final Thread connector;
    private volatile LettuceConnections connections;
    private volatile boolean closed;
    /** Refusal reasons already logged, so that a refusal repeated by every request is said once. */
    private final Set<String> loggedRefusals = ConcurrentHashMap.newKeySet();
    /** The pause before the next connect; touched by the starting thread, then by the connector thread it starts. */
    private Duration retryPause;

    private RedisTier(FleetConfig config, TierKeys keys) {
        this.config = config;
        this.keys = keys;
        this.breaker = new CircuitBreaker(config.breakerFailures(), config.breakerOpenFor());
        this.tileTtl = SetArgs.Builder.px(config.tileTtl());
        this.connector = Thread.ofVirtual().name("redis-tier-connector").unstarted(this::connectUntilDone);
        this.retryPause = config.breakerOpenFor();
    }

    /**
     * Connects to Redis, waiting at most a few command timeouts; if no node answers, returns all the
     * same and keeps connecting in the background while every call is {@link Unavailable}.
     */
    public static RedisTier start(FleetConfig config, TierKeys keys) {
        RedisTier tier = new RedisTier(config, keys);
        if (!tier.tryConnect()) {
            tier.connector.start();
        }
        return tier;
    }

    public TierKeys keys() {
        return keys;
    }

    public TierMetrics metrics() {
        return metrics;
    }

    public FleetConfig config() {
        return config;
    }

    /**
     * {@code up} (breaker closed), {@code down} (breaker open: every call refused), {@code probing}
     * (half open: one call out), {@code connecting} (no connection yet) or {@code shut-down}.
     */
    public String state() {
        if (closed) {
            return "shut-down";
        }
        if (connections == null) {
            return "connecting";
        }
        return switch (breaker.state()) {
            case CLOSED -> "up";
            case OPEN -> "down";
            case HALF_OPEN -> "probing";
        };
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** The tile stored under {@code key}; waits at most the command timeout. */
    public Lookup get(String key) {
        try {
            return toLookup(await(call(redis -> redis.get(key))), true);
        } catch (RuntimeException e) {
            return new Unavailable(describe(e));
        }
    }

    /**
     * The tiles under {@code keys}, in order, in one command ({@code MGET}); waits at most the command
     * timeout. Not counted as hits, misses or invalid values, which count the requests' single-tile lookups.
     */
    public List<Lookup> getAll(List<String> keys) {
        try {
            var values = await(call(redis -> redis.mget(keys.toArray(String[]::new))));
            List<Lookup> found = new ArrayList<>(values.size());
            for (var value : values) {
                found.add(toLookup(value.getValueOrElse(null), false));
            }
            return found;
        } catch (RuntimeException e) {
            Lookup unavailable = new Unavailable(describe(e));
            return keys.stream().map(k -> unavailable).toList();
        }
    }

    /**
     * Stores a rendered metatile's encoded tiles ({@code key -> PNG}, keys of one metatile) with the
     * tile TTL in one flush of the write connection, then counts the render fleet-wide. The future
     * completes when Redis has acknowledged every command, or fails; on a single Redis this never
     * blocks, on a cluster it may while the slot's node connection opens (a command timeout or two).
     */
    public CompletableFuture<Void> putAll(Map<String, byte[]> pngByKey) {
        LettuceConnections current = connections;
        if (current == null || !breaker.tryAcquire()) {
            metrics.shortCircuited.increment();
            return CompletableFuture.failedFuture(new TierUnavailableException(state()));
        }
        List<CompletableFuture<?>> replies = new ArrayList<>(pngByKey.size() + 1);
        try {
            current.pipelined(pngByKey.keySet().iterator().next(), redis -> pngByKey.forEach((key, png) ->
                    replies.add(redis.set(key, TileValueCodec.encode(keys.versionTag(), png), tileTtl).toCompletableFuture())));
            replies.add(current.reader().incr(keys.renders()).toCompletableFuture());
        } catch (RuntimeException e) {
            replies.add(CompletableFuture.failedFuture(e));
        }
        return report(CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)), "SET or INCR")
                .thenRun(metrics.metatilesWritten::increment);
    }

    /** Renders of this render version counted by the whole fleet, or empty when Redis cannot say. */
    public OptionalLong fleetRenders() {
        try {
            byte[] count = await(call(redis -> redis.get(keys.renders())));
            return count == null ? OptionalLong.of(0) : OptionalLong.of(Long.parseLong(new String(count, StandardCharsets.US_ASCII)));
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Sends one command through the guard: refused at once while the breaker is open or before the
     * first connection; its outcome (a reply, an error, a timeout) is reported to the breaker.
     */
    <T> CompletableFuture<T> call(Function<RedisClusterAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        LettuceConnections current = connections;
        if (current == null || !breaker.tryAcquire()) {
            metrics.shortCircuited.increment();
            return CompletableFuture.failedFuture(new TierUnavailableException(state()));
        }
        CompletableFuture<T> reply;
        String name = "a command";
        try {
            RedisFuture<T> sent = command.apply(current.reader());
            if (sent instanceof RedisCommand<?, ?, ?> redisCommand) {
                name = redisCommand.getType().toString();
            }
            reply = sent.toCompletableFuture();
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return report(reply, name);
    }

    /** Reports {@code reply}'s outcome to the breaker and the counters; {@code command} names it in a refusal's log line. */
    private <T> CompletableFuture<T> report(CompletableFuture<T> reply, String command) {
        // Lettuce times every command out itself; this bound only catches a reply it never completes.
        return reply.orTimeout(config.commandTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
                .whenComplete((value, failure) -> {
                    if (failure == null) {
                        breaker.onSuccess();
                    } else {
                        metrics.failures.increment();
                        if (noteRefusal(failure, "Redis refused " + command)) {
                            breaker.trip();
                        } else {
                            breaker.onFailure();
                        }
                    }
                });
    }

    /** The future's value; its failure rethrown unwrapped. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TierUnavailableException("interrupted");
        }
    }

    private Lookup toLookup(byte[] value, boolean counted) {
        if (value == null) {
            if (counted) {
                metrics.misses.increment();
            }
            return new Miss();
        }
        return switch (TileValueCodec.decode(value, keys.versionTag())) {
            case TileValueCodec.Valid valid -> {
                if (counted) {
                    metrics.hits.increment();
                }
                yield new Hit(valid.payload());
            }
            case TileValueCodec.Invalid invalid -> {
                if (counted) {
                    metrics.invalidValues.increment();
                }
                yield new Invalid(invalid.reason());
            }
        };
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /**
     * Counts {@code failure} as a refusal if it is one, and logs its reason the first time.
     *
     * @return whether it was a refusal
     */
    private boolean noteRefusal(Throwable failure, String what) {
        Optional<String> refusal = Refusal.of(failure);
        if (refusal.isEmpty()) {
            return false;
        }
        metrics.refusals.increment();
        metrics.lastRefusal = what + ": " + refusal.get();
        if (loggedRefusals.size() < MAX_LOGGED_REFUSALS && loggedRefusals.add(refusal.get())) {
            LOG.severe(() -> "fleet tier: " + what + " (" + config.endpoint() + "): " + refusal.get()
                    + "; rendering locally. Check the user, password, ACL rules and TLS settings (docs/fleet.md, Security)");
        }
        return true;
    }

    private boolean tryConnect() {
        try {
            LettuceConnections opened = LettuceConnections.open(config);
            synchronized (this) {
                if (closed) {
                    opened.close();
                    return true;
                }
                connections = opened;
            }
            LOG.info(() -> "fleet tier connected to " + config.endpoint());
            return true;
        } catch (RuntimeException e) {
            metrics.connectFailures.increment();
            if (noteRefusal(e, "connect refused")) {
                retryPause = min(retryPause.multipliedBy(2), MAX_REFUSED_RETRY);
                return false;
            }
            retryPause = config.breakerOpenFor();
            // Said once; the retries every second would fill the log of a server whose Redis stays away.
            LOG.log(connector.isAlive() ? Level.FINE : Level.WARNING, () -> "fleet tier: " + config.endpoint() + " unreachable ("
                    + describe(e) + "); retrying every " + config.breakerOpenFor().toMillis() + " ms, rendering locally meanwhile");
            return false;
        }
    }

    private void connectUntilDone() {
        while (!closed && !tryConnect()) {
            try {
                Thread.sleep(retryPause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void close() {
        LettuceConnections toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = connections;
            connections = null;
        }
        connector.interrupt();
        if (toClose != null) {
            toClose.close();
        }
    }
}
