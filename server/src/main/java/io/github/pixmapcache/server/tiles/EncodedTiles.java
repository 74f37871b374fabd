package io.github.pixmapcache.server.tiles;

import io.github.pixmapcache.server.encoded.EncodedBody;
import io.github.pixmapcache.server.encoded.EncodedTier;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.io.ByteBufferPool;

/**
 * The two tiers: tiles' PNG bytes in an {@link EncodedTier} in front, a metatile tier behind it. A
 * hit is the cached bytes: no encode, no pixel read, no Redis lookup. A miss asks the metatile tier,
 * which cuts and encodes the tile from its cached metatile (rendering it first if need be, or taking
 * the tile's PNG from the fleet's Redis), once for all the requests of that tile meanwhile; the
 * bytes it returns fill the encoded tier, whichever of those paths made them.
 *
 * <p>When the other tiles of a rendered metatile are encoded is {@link Encoding}: each on its first
 * request (the default), or all of them right after the render, in the background, as mod_tile does.
 */
public final class EncodedTiles implements TileSource {
    private static final System.Logger LOG = System.getLogger(EncodedTiles.class.getName());
    /** Metatiles waiting for their background encodes at most, beyond those being encoded. */
    private static final int AFTER_RENDER_QUEUE = 64;

    /** When the tiles of a freshly rendered metatile are encoded. */
    public enum Encoding {
        /** Each tile when it is first asked for: no encode for a tile nobody asks for. */
        ON_REQUEST,
        /**
         * The requested tile at once, then its metatile's other tiles in the background, so that their
         * first requests are hits: mod_tile's way, paying encodes for tiles nobody may ask for.
         */
        AFTER_RENDER
    }

    private final EncodedTier<TileKey> tier;
    private final String version;
    private final TileSource metatiles;
    private final int metatileSize;
    /** Encodes a rendered metatile's other tiles ({@link Encoding#AFTER_RENDER}); null for {@link Encoding#ON_REQUEST}. */
    private final BackgroundEncodes afterRender;

    /**
     * Both tiers, the encoded one in front, encoding each tile on its first request.
     *
     * @param tier      the encoded tier (its budget is {@code --tile-budget})
     * @param version   the picture's version: part of every key, so another renderer's bytes never match
     * @param metatiles where a miss goes: the pixmap cache or the on-heap Caffeine of metatiles
     */
    public EncodedTiles(EncodedTier<TileKey> tier, String version, TileSource metatiles) {
        this(tier, version, metatiles, 1, Encoding.ON_REQUEST);
    }

    /**
     * Both tiers, the encoded one in front.
     *
     * @param tier         the encoded tier (its budget is {@code --tile-budget})
     * @param version      the picture's version: part of every key, so another renderer's bytes never match
     * @param metatiles    where a miss goes: the pixmap cache or the on-heap Caffeine of metatiles
     * @param metatileSize tiles per side of the metatiles behind (for {@link Encoding#AFTER_RENDER})
     * @param encoding     when a rendered metatile's tiles are encoded
     */
    public EncodedTiles(EncodedTier<TileKey> tier, String version, TileSource metatiles, int metatileSize,
                        Encoding encoding) {
        this.tier = tier;
        this.version = version;
        this.metatiles = metatiles;
        this.metatileSize = metatileSize;
        this.afterRender = encoding == Encoding.AFTER_RENDER
                ? new BackgroundEncodes(Math.max(1, Runtime.getRuntime().availableProcessors() / 2), AFTER_RENDER_QUEUE)
                : null;
    }

    @Override
    public byte[] png(TileAddress tile, Runnable rendered) {
        return tier.get(new TileKey(version, tile), key -> encode(key, rendered));
    }

    /**
     * As {@link #png(TileAddress)}, from the encoded tier's memory: native for {@code --cache pixmap}.
     *
     * @param tile    the tile
     * @param buffers where the native tier copies the bytes to
     * @return its PNG bytes, to write and then close
     */
    @Override
    public EncodedBody body(TileAddress tile, ByteBufferPool buffers) {
        return tier.body(new TileKey(version, tile), key -> encode(key, () -> { }), buffers);
    }

    /** A miss of the encoded tier: the metatile tier's PNG, and after a render the others' encodes if asked. */
    private byte[] encode(TileKey key, Runnable rendered) {
        return metatiles.png(key.tile(), () -> {
            rendered.run();
            if (afterRender != null) {
                afterRender.offer(() -> encodeTheOthers(key.tile()));
            }
        });
    }

    /**
     * Fills the encoded tier with the tiles of {@code rendered}'s metatile other than {@code rendered}
     * itself, each from the cached metatile (never rendering again: one evicted meanwhile is skipped),
     * each once however many requests for it arrive meanwhile.
     */
    private void encodeTheOthers(TileAddress rendered) {
        Metatile metatile = Metatile.of(rendered, metatileSize);
        int firstX = metatile.column() * metatile.size();
        int firstY = metatile.row() * metatile.size();
        for (int y = firstY; y < firstY + metatile.tilesPerSide(); y++) {
            for (int x = firstX; x < firstX + metatile.tilesPerSide(); x++) {
                TileAddress tile = new TileAddress(rendered.z(), x, y);
                if (!tile.equals(rendered)) {
                    fill(tile);
                }
            }
        }
    }

    /** One tile's background encode: a failure is logged and costs that tile alone (its request encodes it). */
    private void fill(TileAddress tile) {
        try {
            tier.fill(new TileKey(version, tile), key -> metatiles.pngIfCached(key.tile()));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the background encode of tile " + tile + " failed", e);
        }
    }

    /** The bytes in the encoded tier, else null; never asks the metatile tier. */
    @Override
    public byte[] pngIfCached(TileAddress tile) {
        return tier.getIfPresent(new TileKey(version, tile));
    }

    /** The metatile tier's counters. */
    @Override
    public CacheNumbers numbers() {
        return metatiles.numbers();
    }

    /**
     * {@return the rendered metatiles whose other tiles were not encoded in the background because the
     * background queue was full (their tiles are encoded on request); 0 for {@link Encoding#ON_REQUEST}}
     */
    public long afterRenderSkipped() {
        return afterRender == null ? 0 : afterRender.skipped();
    }

    /** The encoded tier's counters. */
    public EncodedTier.Numbers encodedNumbers() {
        return tier.numbers();
    }

    /** {@return the encoded tier in front} */
    public EncodedTier<TileKey> encodedTier() {
        return tier;
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

    /** Stops the background encodes first (those running finish), then lets go of both tiers. */
    @Override
    public void close() {
        if (afterRender != null) {
            afterRender.close();
        }
        tier.close();
        metatiles.close();
    }
}
