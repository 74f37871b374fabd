package io.github.pixmapcache.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The "Fleet tier under load" section of RESULTS.md, from what {@code bench/fleet-load} left in
 * {@code results/fleet-load/}: {@code machine.txt}, {@code commands.txt}, one {@code summary-SETUP.txt}
 * of {@code key=value} lines per setup, and the hand-written {@code analysis.md} if there is one.
 */
final class FleetLoad {
    private static final List<String> SETUPS = List.of("one", "two-local", "two-shared");
    private static final Map<String, String> NAMES = Map.of(
            "one", "one server",
            "two-local", "two servers, each its own cache only",
            "two-shared", "two servers sharing one Redis (`--redis`)");

    private FleetLoad() {
    }

    /** The section; empty if the load test never ran. */
    static String section(Path results) throws IOException {
        Path directory = results.resolve("fleet-load");
        if (!Files.exists(directory.resolve("machine.txt"))) {
            return "";
        }
        Map<String, String> machine = GcRun.keyValues(directory.resolve("machine.txt"));
        List<Map<String, String>> runs = new ArrayList<>();
        for (String setup : SETUPS) {
            Path summary = directory.resolve("summary-" + setup + ".txt");
            if (Files.exists(summary)) {
                runs.add(GcRun.keyValues(summary));
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("## Fleet tier under load\n\n");
        out.append("`bench/fleet-load`: one tile server, then two behind a simulated round-robin balancer (one `wrk` "
                + "per server, half the connections each, different seeds of the same Zipf viewport mix), first each "
                + "with its own pixmap cache only, then sharing one `redis-server` on loopback. Every setup starts cold "
                + "(fresh servers, empty Redis), gets a warm-up, then the measured run. Requests/s add up over the "
                + "servers; p50 and p99 are the worse server's. Renders count the whole run, warm-up included. "
                + "All processes (servers, Redis, wrk) share the machine's cores with each other and with other "
                + "work: one run, one sample, noisy.\n\n");
        out.append("```\n");
        for (String key : List.of("date", "cpu", "jdk", "redis", "commit", "settings", "loadStart", "loadEnd")) {
            out.append(String.format("%-9s %s%n", key + ":", machine.getOrDefault(key, "?")));
        }
        out.append("```\n\n```sh\n").append(Files.readString(directory.resolve("commands.txt")).strip()).append("\n```\n\n");
        out.append("| setup | requests/s | p50 | p99 | non-2xx + errors | metatile renders | L1 hit ratio | Redis hits | "
                + "encode p50 | render p50 | Redis lookup p50 |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map<String, String> run : runs) {
            out.append(String.format("| %s | %.1f | %.1f ms | %.1f ms | %d | %d | %.1f %% | %s | %.2f ms | %.1f ms | %s |%n",
                    NAMES.get(run.get("setup")), number(run, "rps"), number(run, "p50_ms"), number(run, "p99_ms"),
                    (long) (number(run, "non2xx") + number(run, "errors")), (long) number(run, "renders"),
                    100 * number(run, "hitRatio"), run.getOrDefault("redisHits", "–"), number(run, "encodeP50Ms"),
                    number(run, "renderP50Ms"),
                    run.containsKey("lookupP50Ms") ? String.format("%.2f ms", number(run, "lookupP50Ms")) : "–"));
        }
        out.append('\n');
        Path costs = directory.resolve("costs.txt");
        if (Files.exists(costs)) {
            Map<String, String> cost = GcRun.keyValues(costs);
            out.append("Per-request costs on one thread, measured alone before the load runs (`TierCosts`: an 8x8 "
                    + "metatile on the set's boundary; median of 3 rounds after a warm-up; PNG level "
                    + cost.getOrDefault("pngLevel", "6") + "):\n\n");
            out.append("| zoom | render a metatile | pixmap-cache hit (find + PNG encode) | PNG decode of a tile | "
                    + "Redis GET of a tile | Redis MGET of 64 | mean tile size |\n");
            out.append("|---:|---:|---:|---:|---:|---:|---:|\n");
            for (String zoom : List.of("6", "10", "14")) {
                String z = "z" + zoom + ".";
                if (cost.containsKey(z + "renderMetatileMs")) {
                    out.append(String.format("| %s | %s ms | %s ms | %s ms | %s ms | %s ms | %s B |%n", zoom,
                            cost.get(z + "renderMetatileMs"), cost.get(z + "l1HitMs"), cost.get(z + "decodeTileMs"),
                            cost.get(z + "redisGetMs"), cost.get(z + "redisMget64Ms"), cost.get(z + "tileBytes")));
                }
            }
            out.append('\n');
        }
        Path commandStats = directory.resolve("redis-commandstats.txt");
        if (Files.exists(commandStats)) {
            out.append("Redis's own CPU per command during the shared run (`INFO commandstats`):\n\n```\n")
                    .append(Files.readString(commandStats).strip()).append("\n```\n\n");
        }
        Path analysis = directory.resolve("analysis.md");
        if (Files.exists(analysis)) {
            out.append(Files.readString(analysis).strip()).append("\n\n");
        }
        return out.toString();
    }

    private static double number(Map<String, String> run, String key) {
        String value = run.get(key);
        if (value == null) {
            throw new IllegalArgumentException("fleet-load summary of " + run.get("setup") + " lacks " + key);
        }
        return Double.parseDouble(value);
    }
}
