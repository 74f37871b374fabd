package io.github.pixmapcache.server.fleet;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the fleet tier is configured with, validated in one place.
 *
 * @param standalone      {@code redis://host:port} or {@code rediss://host:port} (TLS) of a single Redis, without
 *                        credentials, or null when {@code clusterSeeds} is used
 * @param clusterSeeds    {@code host:port} of one or more nodes of a Redis Cluster, or empty
 * @param keyPrefix       namespace of the fleet's keys (see {@link TierKeys})
 * @param tileTtl         how long a stored tile lives without being rewritten
 * @param commandTimeout  the longest a request waits for one Redis command before rendering locally
 * @param lockTtl         how long a fleet render lock lives; a dead holder's lock expires after it,
 *                        so it must exceed the slowest render (else two servers may render one metatile)
 * @param breakerFailures failures in a row that open the circuit breaker
 * @param breakerOpenFor  how long the open breaker keeps every call away from Redis before one probe
 * @param security        the ACL user, password and TLS settings; TLS on exactly when {@code standalone} is {@code rediss://}
 */
public record FleetConfig(URI standalone, List<String> clusterSeeds, String keyPrefix, Duration tileTtl,
                          Duration commandTimeout, Duration lockTtl, int breakerFailures, Duration breakerOpenFor,
                          FleetSecurity security) {

    public static final String DEFAULT_PREFIX = "pxc";
    public static final Duration DEFAULT_TILE_TTL = Duration.ofHours(24);
    /** Loopback Redis answers in well under 1 ms; 200 ms leaves room for a loaded 2-core machine's pauses. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(200);
    /** Deep-zoom metatiles take a few seconds on 2 cores. */
    public static final Duration DEFAULT_LOCK_TTL = Duration.ofSeconds(15);
    public static final int DEFAULT_BREAKER_FAILURES = 3;
    public static final Duration DEFAULT_BREAKER_OPEN_FOR = Duration.ofSeconds(1);

    public FleetConfig {
        clusterSeeds = List.copyOf(clusterSeeds);
        if ((standalone == null) == clusterSeeds.isEmpty()) {
            throw new IllegalArgumentException("give exactly one of a standalone Redis URI (" + standalone
                    + ") and cluster seeds (" + clusterSeeds + ")");
        }
        Objects.requireNonNull(security, "security");
        if (standalone != null) {
            if (standalone.getRawUserInfo() != null) {
                throw new IllegalArgumentException("Redis URI " + standalone.getScheme() + "://****@" + standalone.getHost()
                        + ":" + standalone.getPort() + " holds credentials: give them apart (FleetSecurity)");
            }
            if (!"redis".equals(standalone.getScheme()) && !"rediss".equals(standalone.getScheme())) {
                throw new IllegalArgumentException("Redis URI \"" + standalone + "\" is not redis://host:port or rediss://host:port");
            }
            if ("rediss".equals(standalone.getScheme()) != security.tls()) {
                throw new IllegalArgumentException("Redis URI \"" + standalone + "\" and TLS " + (security.tls() ? "on" : "off")
                        + " disagree: TLS is rediss://");
            }
        }
        for (String seed : clusterSeeds) {
            int colon = seed.lastIndexOf(':');
            if (colon <= 0 || !seed.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("cluster seed \"" + seed + "\" is not host:port");
            }
        }
        positive("tile TTL", tileTtl);
        positive("command timeout", commandTimeout);
        positive("lock TTL", lockTtl);
        positive("breaker open duration", breakerOpenFor);
        if (breakerFailures < 1) {
            throw new IllegalArgumentException("breaker failures " + breakerFailures + " is below 1");
        }
        new TierKeys(keyPrefix, "0", 1); // validates the prefix
    }

    /** A single Redis, without credentials, TLS exactly when the URI is {@code rediss://}, every other setting at its default. */
    public static FleetConfig standalone(URI uri) {
        return new FleetConfig(uri, List.of(), DEFAULT_PREFIX, DEFAULT_TILE_TTL, DEFAULT_COMMAND_TIMEOUT,
                DEFAULT_LOCK_TTL, DEFAULT_BREAKER_FAILURES, DEFAULT_BREAKER_OPEN_FOR,
                FleetSecurity.NONE.withTls("rediss".equals(uri.getScheme())));
    }

    /** A Redis Cluster reached through {@code seeds}, without credentials or TLS, every other setting at its default. */
    public static FleetConfig cluster(List<String> seeds) {
        return new FleetConfig(null, seeds, DEFAULT_PREFIX, DEFAULT_TILE_TTL, DEFAULT_COMMAND_TIMEOUT,
                DEFAULT_LOCK_TTL, DEFAULT_BREAKER_FAILURES, DEFAULT_BREAKER_OPEN_FOR, FleetSecurity.NONE);
    }

    public FleetConfig withCommandTimeout(Duration timeout) {
        return new FleetConfig(standalone, clusterSeeds, keyPrefix, tileTtl, timeout, lockTtl, breakerFailures, breakerOpenFor, security);
    }

    public FleetConfig withLockTtl(Duration ttl) {
        return new FleetConfig(standalone, clusterSeeds, keyPrefix, tileTtl, commandTimeout, ttl, breakerFailures, breakerOpenFor, security);
    }

    public FleetConfig withKeyPrefix(String prefix) {
        return new FleetConfig(standalone, clusterSeeds, prefix, tileTtl, commandTimeout, lockTtl, breakerFailures, breakerOpenFor, security);
    }

    public FleetConfig withTileTtl(Duration ttl) {
        return new FleetConfig(standalone, clusterSeeds, keyPrefix, ttl, commandTimeout, lockTtl, breakerFailures, breakerOpenFor, security);
    }

    public FleetConfig withBreaker(int failures, Duration openFor) {
        return new FleetConfig(standalone, clusterSeeds, keyPrefix, tileTtl, commandTimeout, lockTtl, failures, openFor, security);
    }

    /**
     * This with other AUTH and TLS settings.
     *
     * @param settings the user, password and TLS; a standalone URI's scheme must agree with its TLS
     * @return a copy with {@code settings}
     */
    public FleetConfig withSecurity(FleetSecurity settings) {
        return new FleetConfig(standalone, clusterSeeds, keyPrefix, tileTtl, commandTimeout, lockTtl, breakerFailures,
                breakerOpenFor, settings);
    }

    /**
     * Where Redis is, for log lines: scheme, hosts and ports, never a credential.
     *
     * @return e.g. {@code Redis rediss://10.0.0.1:6380} or {@code Redis Cluster redis://10.0.0.1:7000,10.0.0.2:7000}
     */
    public String endpoint() {
        return isCluster() ? "Redis Cluster " + (security.tls() ? "rediss://" : "redis://") + String.join(",", clusterSeeds)
                : "Redis " + standalone;
    }

    public boolean isCluster() {
        return standalone == null;
    }

    private static void positive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " " + value + " is not positive");
        }
    }
}
