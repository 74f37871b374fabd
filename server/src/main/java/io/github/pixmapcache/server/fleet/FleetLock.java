package io.github.pixmapcache.server.fleet;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * The fleet-wide render lock of one metatile: a short-lived Redis key taken with {@code SET NX PX},
 * holding a fencing token.
 *
 * <p>Tokens come from a per-metatile counter ({@code INCR}) in the same atomic script that takes the
 * lock, so they grow with every holder: a holder that paused past its TTL and wakes up holds a
 * smaller token than its successor, and its release (a compare-and-delete on the token) cannot
 * delete the successor's lock. A holder that dies never releases; its lock expires after
 * {@link FleetConfig#lockTtl()} and the next server to ask takes it.
 *
 * <p>Tile writes are not fenced: a tile's bytes are a pure function of the render version and the
 * tile, so a late write by a stale holder stores exactly what its successor stores.
 */
public final class FleetLock {

    /** KEYS[1] lock, KEYS[2] fence counter; ARGV[1] lock TTL ms, ARGV[2] counter TTL ms. Returns the token, or 0 if held. */
    private static final String ACQUIRE = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            local token = redis.call('INCR', KEYS[2])
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
            return token""";

    /** KEYS[1] lock; ARGV[1] token. Deletes the lock only if it still holds that token. */
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    /** The outcome of one attempt to take the lock. */
    public sealed interface Attempt permits Acquired, Busy, Unreachable {}

    /** This server holds the lock of {@code lockKey} with {@code token} until it releases or the TTL passes. */
    public record Acquired(String lockKey, long token) implements Attempt {}

    /** Another server holds it. */
    public record Busy() implements Attempt {}

    /** Redis could not be asked; render without the lock. */
    public record Unreachable() implements Attempt {}

    private final RedisTier tier;

    public FleetLock(RedisTier tier) {
        this.tier = tier;
    }

    /** Takes the lock of the metatile holding tile z/x/y if nobody holds it; waits at most the command timeout. */
    public Attempt tryAcquire(int z, int x, int y) {
        TierKeys keys = tier.keys();
        String lockKey = keys.lock(z, x, y);
        FleetConfig config = tier.config();
        try {
            Long token = RedisTier.await(tier.call(redis -> redis.eval(ACQUIRE, ScriptOutputType.INTEGER,
                    new String[] {lockKey, keys.fence(z, x, y)},
                    ascii(config.lockTtl().toMillis()), ascii(config.tileTtl().toMillis()))));
            if (token == 0) {
                return new Busy();
            }
            tier.metrics().locksAcquired.increment();
            return new Acquired(lockKey, token);
        } catch (RuntimeException e) {
            return new Unreachable();
        }
    }

    /** 1 while anyone holds the lock of the metatile holding tile z/x/y, else 0; fails when Redis cannot say. */
    CompletableFuture<Long> holders(int z, int x, int y) {
        return tier.call(redis -> redis.exists(tier.keys().lock(z, x, y)));
    }

    /** Gives the lock up if it is still ours; completes true when it was. Never blocks. */
    public CompletableFuture<Boolean> release(Acquired lock) {
        return tier.<Long>call(redis -> redis.eval(RELEASE, ScriptOutputType.INTEGER,
                        new String[] {lock.lockKey()}, ascii(lock.token())))
                .thenApply(deleted -> deleted == 1);
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
