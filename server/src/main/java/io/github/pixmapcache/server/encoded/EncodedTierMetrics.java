package io.github.pixmapcache.server.encoded;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/** The meters of an {@link EncodedTier}, in the shape of the metatile cache's and Caffeine's. */
final class EncodedTierMetrics extends CacheMeterBinder<EncodedTier<?>> {
    private final EncodedTier<?> tier;

    EncodedTierMetrics(EncodedTier<?> tier) {
        super(tier, tier.name(), Tags.empty());
        this.tier = tier; // held strongly: the tier lives as long as the server, the meters with it
    }

    @Override
    protected Long size() {
        return tier.numbers().entries();
    }

    @Override
    protected long hitCount() {
        return tier.numbers().hits();
    }

    @Override
    protected Long missCount() {
        return tier.numbers().misses();
    }

    @Override
    protected Long evictionCount() {
        return tier.numbers().evictions();
    }

    @Override
    protected long putCount() {
        EncodedTier.Numbers numbers = tier.numbers();
        return numbers.encodes() + numbers.puts();
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        Iterable<io.micrometer.core.instrument.Tag> tags = getTagsWithCacheName();
        counter(registry, "cache.load", "success", "Encodes run and cached", EncodedTier.Numbers::encodes);
        counter(registry, "cache.load", "failure", "Encodes that threw", EncodedTier.Numbers::encodeFailures);
        FunctionCounter.builder("cache.load.waits", tier, t -> t.numbers().waits()).tags(tags)
                .description("Misses that waited for another request's encode of the same key").register(registry);
        TimeGauge.builder("cache.load.duration", tier, TimeUnit.NANOSECONDS, t -> t.numbers().encodeNanos())
                .tags(tags).description("Time spent in encodes, in total").register(registry);
        Gauge.builder("cache.used", tier, t -> t.numbers().usedBytes()).tags(tags).baseUnit(BaseUnits.BYTES)
                .description("Bytes of encoded values in the tier").register(registry);
        Gauge.builder("cache.maximum", tier, EncodedTier::maximumBytes).tags(tags).baseUnit(BaseUnits.BYTES)
                .description("The tier's byte budget").register(registry);
    }

    private void counter(MeterRegistry registry, String name, String result, String description,
                         ToDoubleFunction<EncodedTier.Numbers> value) {
        FunctionCounter.builder(name, tier, t -> value.applyAsDouble(t.numbers()))
                .tags(getTagsWithCacheName()).tag("result", result).description(description).register(registry);
    }
}
