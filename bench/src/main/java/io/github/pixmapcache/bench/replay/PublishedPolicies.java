package io.github.pixmapcache.bench.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The online policies of {@code BASELINES-SOTA.csv} (libCacheSim's 14 and Caffeine; the OPT and
 * Belady rows are left out): per (trace, mode, percent) cell, each policy's hit ratio and byte hit
 * ratio in percent (NaN where the file has none). Empty if the file is absent.
 */
final class PublishedPolicies {
    /** Rows of the file that are not online policies. */
    private static final Set<String> OFFLINE = Set.of("OPT", "OPT-L", "OPT-U", "Belady-lcs");

    /** cell key → policy name → {hit ratio, byte hit ratio}, in the file's order. */
    private final Map<String, Map<String, double[]>> cells;

    private PublishedPolicies(Map<String, Map<String, double[]>> cells) {
        this.cells = cells;
    }

    static PublishedPolicies read(Path csv) throws IOException {
        Map<String, Map<String, double[]>> cells = new LinkedHashMap<>();
        if (!Files.exists(csv)) {
            return new PublishedPolicies(cells);
        }
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !lines.getFirst().equals("trace,mode,pct,capacity,algorithm,ohr,bhr")) {
            throw new IllegalArgumentException(csv + ":1: not the header trace,mode,pct,capacity,algorithm,ohr,bhr");
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).split(",", -1);
            if (fields.length != 7) {
                throw new IllegalArgumentException(csv + ":" + (i + 1) + ": not 7 fields: " + lines.get(i));
            }
            String policy = fields[4].replaceAll("\\[.*\\]$", "");  // "Caffeine-3.2.4[BASELINES.md]"
            if (OFFLINE.contains(policy)) {
                continue;
            }
            Mode mode = switch (fields[1]) {
                case "count" -> Mode.COUNT;
                case "size" -> Mode.SIZE;
                default -> throw new IllegalArgumentException(csv + ":" + (i + 1) + ": no mode " + fields[1]);
            };
            cells.computeIfAbsent(key(fields[0], mode, Integer.parseInt(fields[2])), k -> new LinkedHashMap<>())
                    .put(policy, new double[] {number(fields[5]), number(fields[6])});
        }
        return new PublishedPolicies(cells);
    }

    /** Each policy's {hit ratio, byte hit ratio} in {@code b}'s cell; empty if the file has none. */
    Map<String, double[]> of(Baseline b) {
        return cells.getOrDefault(key(b.trace(), b.mode(), b.percent()), Map.of());
    }

    boolean isEmpty() {
        return cells.isEmpty();
    }

    private static String key(String trace, Mode mode, int percent) {
        return trace + "|" + mode + "|" + percent;
    }

    private static double number(String field) {
        return field.isEmpty() ? Double.NaN : Double.parseDouble(field);
    }
}
