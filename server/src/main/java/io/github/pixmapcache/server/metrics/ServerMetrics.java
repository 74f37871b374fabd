package io.github.pixmapcache.server.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The server's meter registry (Prometheus text format for {@code /metrics}) with the JVM's meters
 * (memory, GC pauses, threads, classes, CPU) and the server's own timers.
 */
public final class ServerMetrics implements AutoCloseable {
    /** Request latencies span a 304 in microseconds to a deep metatile render in seconds. */
    private static final Duration SLOWEST_EXPECTED = Duration.ofSeconds(30);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final Timer renderTime;
    private final Timer encodeTime;

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        renderTime = percentileTimer("tiles.render", "Time to render one block (a metatile, or a tile uncached)");
        encodeTime = percentileTimer("tiles.encode", "Time to encode one tile to PNG");
    }

    private Timer percentileTimer(String name, String description) {
        return Timer.builder(name).description(description)
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .maximumExpectedValue(SLOWEST_EXPECTED)
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public Timer renderTime() {
        return renderTime;
    }

    public Timer encodeTime() {
        return encodeTime;
    }

    /** Records one request's latency under its route and status ({@code http.server.requests}). */
    public void recordRequest(String method, String route, int status, long nanos) {
        Timer.builder("http.server.requests")
                .description("Request latency, from the handler's start to the last byte handed to the connection")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram()
                .maximumExpectedValue(SLOWEST_EXPECTED)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The text for {@code GET /metrics}. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
