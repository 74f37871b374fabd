package io.github.pixmapcache.server.iiif;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.PixmapCache;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The IIIF Image API 3.0 service over a folder of images: identifiers to sources, the sources'
 * headers (probed once per file version), and the renderer that makes each request's bytes. Its
 * routes are {@link IiifHandler}'s.
 */
public final class IiifService implements AutoCloseable {
    /** The largest strip: 16 MiB of pixels, or an eighth of a smaller budget. */
    private static final long MAX_STRIP_BYTES = 16L << 20;

    /**
     * Strips leave least recently used first, whatever {@code --policy} says for metatiles: a pass
     * makes a source's strips together, and each is worth that pass, not its size. The frequency per
     * byte of the default policy evicted a newly decoded photograph's 16 MiB strips at once in favour
     * of the earlier sources' (measured: one source passed over 6 times in 30 s, one pass each with LRU).
     */
    private static final EvictionPolicy STRIP_POLICY = EvictionPolicy.LRU;

    private final Supplier<SourceFolder> folder;
    private final ImageRenderer renderer;
    private final DerivativeStore derivatives;
    private final Limits limits = Limits.STANDARD;
    private final Map<Path, SourceImage> headers = new ConcurrentHashMap<>();

    private IiifService(Supplier<SourceFolder> folder, ImageRenderer renderer, DerivativeStore derivatives) {
        this.folder = folder;
        this.renderer = renderer;
        this.derivatives = derivatives;
    }

    /**
     * A service over {@code images}, or over {@link DefaultImages#folder()} (made on first use) when
     * it is null.
     *
     * @param images the folder of source images, or null for the default one
     * @param decodeOnce true: decode each source once into a pixmap cache of {@code budgetBytes};
     *     false: decode per request, as Cantaloupe's Java2D path does
     * @param budgetBytes the pixmap cache's budget for decoded strips, evicted least recently used first
     * @param derivatives where encoded derivatives are kept
     * @return the service; close it to free the cache
     */
    public static IiifService create(Path images, boolean decodeOnce, long budgetBytes, DerivativeStore derivatives) {
        Supplier<SourceFolder> folder = images != null ? memoize(() -> new SourceFolder(images))
                : memoize(() -> new SourceFolder(DefaultImages.ensure(DefaultImages.folder())));
        if (images != null) {
            folder.get();   // a bad --images fails at start, not at the first request
        }
        ImageRenderer renderer = decodeOnce
                ? new CachedRenderer(PixmapCache.<StripKey>builder().maximumBytes(budgetBytes).evictionPolicy(STRIP_POLICY).build(),
                        Math.min(MAX_STRIP_BYTES, Math.max(1L << 20, budgetBytes / 8)))
                : new PerRequestRenderer();
        return new IiifService(folder, renderer, derivatives);
    }

    private static <T> Supplier<T> memoize(Supplier<T> make) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = make.get();
                }
                return value;
            }
        };
    }

    /** The source of {@code identifier}: 400 for a bad identifier, 404 for none, {@link SourceRefused} for a bad file. */
    SourceImage source(String identifier) {
        Path file = folder.get().file(identifier);
        SourceImage known = headers.get(file);
        if (known != null && known.current()) {
            return known;
        }
        SourceImage probed = SourceImage.probe(file);
        headers.put(file, probed);
        return probed;
    }

    String info(String id, SourceImage source) {
        return InfoJson.of(id, source, renderer.scaleFactors(source), limits);
    }

    byte[] image(SourceImage source, ImageRequest request) {
        ImageRequest.Plan plan = request.resolve(source.width(), source.height(), limits);
        return derivatives.get(source.file() + "|" + source.version() + "|" + plan, () -> renderer.render(source, plan));
    }

    /** {@return the identifiers of every image in the folder, sorted} */
    public List<String> identifiers() {
        return folder.get().identifiers();
    }

    /** {@return source decodes so far: strips with the cache, whole requests without} */
    public long decodes() {
        return renderer.decodes();
    }

    /**
     * Strips that requests leased, counted once each.
     *
     * @param hits   found cached
     * @param misses made by a pass, run for the lease or waited for
     */
    public record StripLeases(long hits, long misses) {
    }

    /** {@return the strips requests leased so far, or null when decoding per request} */
    public StripLeases stripLeases() {
        return renderer instanceof CachedRenderer cached ? cached.stripLeases() : null;
    }

    /** {@return the cache of decoded strips, or null when decoding per request} */
    public PixmapCache<?> cache() {
        return renderer instanceof CachedRenderer cached ? cached.cache() : null;
    }

    @Override
    public void close() {
        renderer.close();
    }
}
