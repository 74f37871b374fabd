package io.github.pixmapcache.server;

import io.github.pixmapcache.server.tiles.TileAddress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A bounded load from a test client: {@code clients} virtual threads, each requesting tiles of a fixed
 * set in turn until {@link #stop}, every response checked against the tile's known PNG bytes (the
 * encoder is deterministic, so a right tile is byte-identical whether rendered here or read from
 * Redis). Bounded in time by the caller and in concurrency by {@code clients}.
 */
final class BoundedLoad implements AutoCloseable {

    /** One response: when it was sent (nanos since the load began), how long it took, and what was wrong, if anything. */
    record Sample(long sentNanos, long latencyNanos, String failure) {}

    private final long begin = System.nanoTime();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final CountDownLatch firstResponses;

    /**
     * @param servers  where each request goes, by request number (round robin over several servers)
     * @param expected the right PNG of every tile requested
     */
    BoundedLoad(int clients, Function<Integer, URI> servers, Map<TileAddress, byte[]> expected) {
        List<TileAddress> tiles = List.copyOf(expected.keySet());
        firstResponses = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            int client = c;
            threads.add(Thread.ofVirtual().name("load-" + c).start(() -> {
                int n = client * 7919;
                boolean first = true;
                while (running.get()) {
                    TileAddress tile = tiles.get(Math.floorMod(n, tiles.size()));
                    URI uri = servers.apply(n).resolve("/tiles/" + tile + ".png");
                    n++;
                    long sent = System.nanoTime();
                    String failure = request(uri, expected.get(tile));
                    samples.add(new Sample(sent - begin, System.nanoTime() - sent, failure));
                    if (first) {
                        firstResponses.countDown();
                        first = false;
                    }
                }
            }));
        }
    }

    private String request(URI uri, byte[] expected) {
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return uri + ": status " + response.statusCode() + " " + new String(response.body());
            }
            if (!Arrays.equals(expected, response.body())) {
                return uri + ": " + response.body().length + " bytes that are not the tile's " + expected.length;
            }
            return null;
        } catch (IOException e) {
            return uri + ": " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return uri + ": interrupted";
        }
    }

    /** Nanoseconds since the load began, on the samples' clock. */
    long now() {
        return System.nanoTime() - begin;
    }

    void awaitFirstResponses() throws InterruptedException {
        firstResponses.await();
    }

    /** Stops the clients after their request in flight and returns every sample. */
    List<Sample> stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The failures among {@code samples}. */
    static List<String> failures(List<Sample> samples) {
        return samples.stream().map(Sample::failure).filter(f -> f != null).toList();
    }

    /** The {@code quantile} (0..1) latency in milliseconds of the samples sent in [from, to) nanos. */
    static double latencyMillis(List<Sample> samples, long from, long to, double quantile) {
        long[] latencies = samples.stream().filter(s -> s.sentNanos() >= from && s.sentNanos() < to)
                .mapToLong(Sample::latencyNanos).sorted().toArray();
        if (latencies.length == 0) {
            throw new AssertionError("no request was sent between " + from / 1e6 + " and " + to / 1e6 + " ms");
        }
        return latencies[(int) Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))] / 1e6;
    }

    static long count(List<Sample> samples, long from, long to) {
        return samples.stream().filter(s -> s.sentNanos() >= from && s.sentNanos() < to).count();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        client.close();
    }
}
