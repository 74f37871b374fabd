package io.github.pixmapcache.server.fleet;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides, for a metatile this server lacks, whether the fleet already has it or this server renders
 * it, so that when several servers miss the same metatile at once only one renders.
 *
 * <p>The protocol, for a metatile whose tiles are under {@code tileKeys}:
 * <ol>
 *   <li>All tiles in Redis and valid: {@link Fetched}.</li>
 *   <li>Else try the {@link FleetLock}. Taken: look once more (the previous holder may have written
 *       between step 1 and now; then release and {@link Fetched}), else {@link Render} holding it.</li>
 *   <li>Held by another server: poll the tiles with backoff (2 ms doubling to 50 ms, jittered) until
 *       they appear ({@link Fetched}), or the lock vanishes without them (its holder died or failed:
 *       back to step 2, and whoever takes the lock then renders), or the lock TTL plus a command
 *       timeout has passed ({@link Render} without the lock).</li>
 * </ol>
 * Whenever Redis is unreachable the answer is {@link Render} without the lock, at once.
 */
public final class FleetSingleFlight {

    /** First pause between two polls of a busy metatile. */
    private static final long FIRST_POLL_NANOS = 2_000_000;
    /** Longest pause between two polls; bounds how late a waiter notices the tiles. */
    private static final long LONGEST_POLL_NANOS = 50_000_000;

    /** What to do about the missing metatile. */
    public sealed interface Plan permits Fetched, Render {}

    /** The fleet has it: the PNG of each tile, in the order of {@code tileKeys}. */
    public record Fetched(List<ByteBuffer> pngs) implements Plan {}

    /**
     * Render it here, then {@link #publish} the tiles; {@code lock} is the fleet lock to release then,
     * or null when rendering without it (Redis unreachable, or the wait given up).
     */
    public record Render(FleetLock.Acquired lock) implements Plan {}

    private final RedisTier tier;
    private final FleetLock lock;

    public FleetSingleFlight(RedisTier tier) {
        this.tier = tier;
        this.lock = new FleetLock(tier);
    }

    /** Blocks at most about {@link FleetConfig#lockTtl()} (a render elsewhere), and not at all while Redis is down. */
    public Plan plan(int z, int x, int y, List<String> tileKeys) {
        FetchResult first = fetch(tileKeys);
        if (first.pngs != null) {
            return new Fetched(first.pngs);
        }
        if (first.unreachable) {
            return new Render(null);
        }
        long deadline = System.nanoTime() + tier.config().lockTtl().plus(tier.config().commandTimeout()).toNanos();
        boolean holderVanished = false;
        while (true) {
            switch (lock.tryAcquire(z, x, y)) {
                case FleetLock.Acquired acquired -> {
                    FetchResult again = fetch(tileKeys);
                    if (again.pngs != null) {
                        lock.release(acquired);
                        return new Fetched(again.pngs);
                    }
                    if (holderVanished) {
                        tier.metrics().lockTakeovers.increment();
                    }
                    return new Render(acquired);
                }
                case FleetLock.Unreachable unreachable -> {
                    return new Render(null);
                }
                case FleetLock.Busy busy -> {
                    tier.metrics().lockWaits.increment();
                    Plan waited = awaitHolder(z, x, y, tileKeys, deadline);
                    if (waited != null) {
                        return waited;
                    }
                    holderVanished = true;
                }
            }
        }
    }

    /** Stores the rendered tiles ({@code key -> PNG}) and then releases the lock; never blocks. */
    public CompletableFuture<Void> publish(Render plan, Map<String, byte[]> pngByKey) {
        CompletableFuture<Void> written = tier.putAll(pngByKey);
        if (plan.lock() == null) {
            return written;
        }
        // Released after the write, so that a waiter that sees the lock gone finds the tiles.
        return written.handle((ok, failure) -> null)
                .thenCompose(ignored -> lock.release(plan.lock()).handle((released, failure) -> null))
                .thenCompose(ignored -> written);
    }

    /** Gives the lock back without publishing (the render failed); never blocks. */
    public void abandon(Render plan) {
        if (plan.lock() != null) {
            lock.release(plan.lock());
        }
    }

    /** Polls until the tiles appear (Fetched), Redis fails or time is up (Render alone), or the lock is gone (null). */
    private Plan awaitHolder(int z, int x, int y, List<String> tileKeys, long deadline) {
        long pause = FIRST_POLL_NANOS;
        while (true) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                tier.metrics().waitsGivenUp.increment();
                return new Render(null);
            }
            long jittered = pause / 2 + ThreadLocalRandom.current().nextLong(pause / 2 + 1);
            try {
                Thread.sleep(java.time.Duration.ofNanos(Math.min(jittered, deadline - now)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Render(null);
            }
            pause = Math.min(pause * 2, LONGEST_POLL_NANOS);
            FetchResult found = fetch(tileKeys);
            if (found.pngs != null) {
                return new Fetched(found.pngs);
            }
            if (found.unreachable) {
                return new Render(null);
            }
            try {
                if (RedisTier.await(lock.holders(z, x, y)) == 0) {
                    return null;
                }
            } catch (RuntimeException e) {
                return new Render(null);
            }
        }
    }

    /** {@code pngs} when every tile is present and valid; {@code unreachable} when Redis did not answer. */
    private record FetchResult(List<ByteBuffer> pngs, boolean unreachable) {}

    private FetchResult fetch(List<String> tileKeys) {
        List<RedisTier.Lookup> lookups = tier.getAll(tileKeys);
        List<ByteBuffer> pngs = new ArrayList<>(lookups.size());
        for (RedisTier.Lookup lookup : lookups) {
            switch (lookup) {
                case RedisTier.Hit hit -> pngs.add(hit.png());
                case RedisTier.Unavailable unavailable -> {
                    return new FetchResult(null, true);
                }
                case RedisTier.Miss miss -> {
                    return new FetchResult(null, false);
                }
                case RedisTier.Invalid invalid -> {
                    return new FetchResult(null, false);
                }
            }
        }
        return new FetchResult(pngs, false);
    }
}
