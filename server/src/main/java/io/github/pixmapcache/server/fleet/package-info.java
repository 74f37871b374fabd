/**
 * The fleet tier: a shared Redis (standalone or Cluster) behind each server's in-process pixmap
 * cache, so that a tile rendered by one server is served by every other without a render.
 *
 * <p>One concern per class: {@link io.github.pixmapcache.server.fleet.TileValueCodec} frames the
 * bytes stored under a tile key, {@link io.github.pixmapcache.server.fleet.TierKeys} names the keys,
 * {@link io.github.pixmapcache.server.fleet.CircuitBreaker} stops calls to a Redis that fails,
 * {@link io.github.pixmapcache.server.fleet.RedisTier} is the guarded Lettuce client and
 * {@link io.github.pixmapcache.server.fleet.FleetLock} the fleet-wide single flight. Nothing in
 * this package is needed, or started, when no Redis is configured.
 */
package io.github.pixmapcache.server.fleet;
