package io.github.pixmapcache.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JMH results read from the CSV files JMH writes with {@code -rf csv}: the primary score of each
 * benchmark, thread count and {@code side}, with the allocation per operation that {@code -prof gc}
 * adds as a secondary result ({@code :gc.alloc.rate.norm}).
 */
final class Scores {
    private static final String PACKAGE = "io.github.pixmapcache.bench.";
    private static final String ALLOCATION = ":gc.alloc.rate.norm";

    /** A score and the half-width of its 99.9% confidence interval, as JMH reports them. */
    record Value(double score, double error) {}

    private record Id(String benchmark, int threads, int side) {}

    private final Map<Id, Value> times = new HashMap<>();
    private final Map<Id, Value> allocations = new HashMap<>();

    /** Adds every row of {@code csv}; benchmarks are named {@code Class.method}. */
    void read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.replace("\"", "").split(",");
            String name = cells[0].substring(PACKAGE.length());
            int threads = Integer.parseInt(cells[2]);
            Value value = new Value(Double.parseDouble(cells[4]), parseError(cells[5]));
            int side = Integer.parseInt(cells[7]);
            if (name.endsWith(ALLOCATION)) {
                allocations.put(new Id(name.substring(0, name.length() - ALLOCATION.length()), threads, side), value);
            } else if (!name.contains(":")) {
                if (!cells[6].equals("ns/op")) {
                    throw new IllegalArgumentException(csv + ": " + name + " is in " + cells[6] + ", not ns/op");
                }
                times.put(new Id(name, threads, side), value);
            }
        }
    }

    /** Nanoseconds per operation (per thread). */
    Value time(String benchmark, int threads, int side) {
        Value value = times.get(new Id(benchmark, threads, side));
        if (value == null) {
            throw new IllegalArgumentException("no score for " + benchmark + ", " + threads + " threads, side " + side);
        }
        return value;
    }

    /** Bytes allocated on the heap per operation. */
    Value allocation(String benchmark, int threads, int side) {
        Value value = allocations.get(new Id(benchmark, threads, side));
        if (value == null) {
            throw new IllegalArgumentException("no gc.alloc.rate.norm for " + benchmark + ", " + threads
                    + " threads, side " + side + ": run with -prof gc");
        }
        return value;
    }

    /** The first time over the second, both from this run. */
    double ratio(String benchmark, String peer, int threads, int side) {
        return time(benchmark, threads, side).score() / time(peer, threads, side).score();
    }

    /** JMH writes NaN when it has too few samples for an error. */
    private static double parseError(String cell) {
        return cell.equals("NaN") ? Double.NaN : Double.parseDouble(cell);
    }
}
