package io.github.pixmapcache.server.tiles;

import io.github.pixmapcache.server.encoded.EncodedTier;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The two tiers: tiles' PNG bytes in an {@link EncodedTier} in front, a metatile tier behind it. A
 * hit is the cached bytes: no encode, no pixel read, no Redis lookup. A miss asks the metatile tier,
 * which cuts and encodes the tile from its cached metatile (rendering it first if need be, or taking
 * the tile's PNG from the fleet's Redis), once for all the requests of that tile meanwhile; the
 * bytes it returns fill the encoded tier, whichever of those paths made them.
 */
public final class EncodedTiles implements TileSource {
    private final EncodedTier<TileKey> tier;
    private final String version;
    private final TileSource metatiles;

    /**
     * Both tiers, the encoded one in front.
     *
     * @param tier      the encoded tier (its budget is {@code --tile-budget})
     * @param version   the picture's version: part of every key, so another renderer's bytes never match
     * @param metatiles where a miss goes: the pixmap cache or the on-heap Caffeine of metatiles
     */
    public EncodedTiles(EncodedTier<TileKey> tier, String version, TileSource metatiles) {
        this.tier = tier;
        this.version = version;
        this.metatiles = metatiles;
    }

    @Override
    public byte[] png(TileAddress tile) {
        return tier.get(new TileKey(version, tile), key -> metatiles.png(key.tile()));
    }

    /** The metatile tier's counters. */
    @Override
    public CacheNumbers numbers() {
        return metatiles.numbers();
    }

    /** The encoded tier's counters. */
    public EncodedTier.Numbers encodedNumbers() {
        return tier.numbers();
    }

    /** The metatile tier behind the encoded one. */
    public TileSource metatiles() {
        return metatiles;
    }

    /** Both tiers' meters: {@code cache=tiles} for the encoded tier, {@code cache=metatiles} for the other. */
    @Override
    public void bindTo(MeterRegistry registry) {
        tier.bindTo(registry);
        metatiles.bindTo(registry);
    }

    @Override
    public void close() {
        tier.invalidateAll();
        metatiles.close();
    }
}
