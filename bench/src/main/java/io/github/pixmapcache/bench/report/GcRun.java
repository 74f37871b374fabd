package io.github.pixmapcache.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code GcImpact} run: the {@code key=value} lines it printed, and the pauses of its
 * {@code -Xlog:gc:...:uptime} log that fall in its steady phase.
 */
final class GcRun {
    /** {@code [12.345s] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 100M->20M(8192M) 3.456ms}. */
    private static final Pattern PAUSE = Pattern.compile(
            "^\\[(\\d+\\.\\d+)s\\] GC\\(\\d+\\) Pause .* (\\d+)M->(\\d+)M\\((\\d+)M\\) (\\d+\\.\\d+)ms$");

    final String mode;
    final Map<String, String> values;
    /** Pause durations in ms, sorted. */
    final List<Double> pauses = new ArrayList<>();
    /** The largest heap occupancy left after a collection in the steady phase, in MiB. */
    long largestHeapAfterGcMiB;

    private GcRun(String mode, Map<String, String> values) {
        this.mode = mode;
        this.values = values;
    }

    static GcRun read(Path output, Path gcLog) throws IOException {
        Map<String, String> values = keyValues(output);
        GcRun run = new GcRun(values.get("mode"), values);
        double start = run.number("steadyStartMillis") / 1000;
        double end = run.number("steadyEndMillis") / 1000;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher pause = PAUSE.matcher(line);
            if (pause.matches()) {
                double at = Double.parseDouble(pause.group(1));
                if (at >= start && at <= end) {
                    run.pauses.add(Double.parseDouble(pause.group(5)));
                    run.largestHeapAfterGcMiB = Math.max(run.largestHeapAfterGcMiB, Long.parseLong(pause.group(3)));
                }
            }
        }
        run.pauses.sort(null);
        return run;
    }

    static Map<String, String> keyValues(Path output) throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(output)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }

    double number(String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the GcImpact output of " + mode + " has no " + key);
        }
        return Double.parseDouble(value);
    }

    double longestPause() {
        return pauses.isEmpty() ? 0 : pauses.getLast();
    }

    double medianPause() {
        return percentile(0.5);
    }

    double p99Pause() {
        return percentile(0.99);
    }

    /** The pause that a {@code fraction} of the pauses do not exceed (nearest rank); 0 without pauses. */
    private double percentile(double fraction) {
        return pauses.isEmpty() ? 0 : pauses.get((int) Math.ceil(fraction * pauses.size()) - 1);
    }

    double totalPause() {
        return pauses.stream().mapToDouble(Double::doubleValue).sum();
    }
}
