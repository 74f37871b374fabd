package io.github.pixmapcache.server;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.imageio.PixmapIO;
import io.github.pixmapcache.server.fleet.FleetConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one place where flags ({@code --port 8080} or {@code --port=8080}) and environment variables
 * ({@code TILES_PORT=8080}) become a {@link ServerConfig}. A flag beats its variable, which beats the
 * default. Bad input throws {@link IllegalArgumentException} naming the option and the value.
 */
public final class ConfigParser {

    /** Every setting: its flag, the placeholder and help line {@code --help} prints; TILES_NAME is its variable. */
    enum Option {
        PORT("port", "N", "TCP port, 0 for any free one (default 8080)"),
        BIND("bind", "ADDRESS", "address to listen on (default 127.0.0.1, loopback only)"),
        BUDGET("budget", "BYTES", "cache budget, e.g. 512m, 4g, 1048576 (default 512m)"),
        POLICY("policy", "NAME", "eviction policy of the pixmap cache: window_tiny_lfu or lru (default window_tiny_lfu)"),
        METATILE("metatile", "N", "tiles per side of a metatile, a power of two up to 16 (default 8)"),
        RENDER_THREADS("render-threads", "N", "threads rendering metatiles (default: one per core)"),
        RENDER_QUEUE("render-queue", "N", "metatile renders admitted at once, running or waiting; more get 503 (default 4 per core)"),
        PNG_LEVEL("png-level", "N", "zlib level of the tiles' PNG, 0..9, or auto: the encoder's choice (default auto)"),
        CACHE("cache", "KIND", "pixmap (this library), caffeine (on-heap int[] metatiles) or none (default pixmap)"),
        THREADS("threads", "KIND", "request threads: virtual or pool (default virtual)"),
        SHUTDOWN_TIMEOUT("shutdown-timeout", "SECONDS", "how long a stop waits for requests in flight (default 10)"),
        REDIS("redis", "URI", "shared tile tier in one Redis, redis://host:port (default: none)"),
        REDIS_CLUSTER("redis-cluster", "SEEDS", "shared tile tier in a Redis Cluster: host:port,host:port,... of some nodes"),
        REDIS_TIMEOUT("redis-timeout", "MS", "longest wait for one Redis command before rendering locally (default 200)"),
        REDIS_LOCK_TTL("redis-lock-ttl", "MS", "life of a fleet render lock, above the slowest render (default 15000)"),
        REDIS_TTL("redis-ttl", "SECONDS", "life of a tile stored in Redis (default 86400)"),
        REDIS_PREFIX("redis-prefix", "NAME", "namespace of the fleet's keys (default pxc)");

        final String flag;
        final String metavar;
        final String help;

        Option(String flag, String metavar, String help) {
            this.flag = flag;
            this.metavar = metavar;
            this.help = help;
        }

        String environmentVariable() {
            return "TILES_" + name();
        }
    }

    /** The values given for each option, flags over environment variables. */
    private record Values(Map<Option, String> given) {
        <T> T get(Option option, Function<String, T> parse, T fallback) {
            String value = given.get(option);
            if (value == null) {
                return fallback;
            }
            try {
                return parse.apply(value.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + option.flag + " " + value + ": " + e.getMessage(), e);
            }
        }
    }

    private ConfigParser() {
    }

    /** The config that {@code args} and {@code environment} describe, or empty if {@code --help} was asked for. */
    public static Optional<ServerConfig> parse(List<String> args, Map<String, String> environment) {
        Map<Option, String> values = new HashMap<>();
        for (Option option : Option.values()) {
            String value = environment.get(option.environmentVariable());
            if (value != null) {
                values.put(option, value);
            }
        }
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                return Optional.empty();
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("not an option: '" + arg + "' (options start with --)");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            Option option = Arrays.stream(Option.values()).filter(o -> o.flag.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown option: --" + name));
            if (equals >= 0) {
                values.put(option, arg.substring(equals + 1));
            } else if (i + 1 < args.size()) {
                values.put(option, args.get(++i));
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        Values v = new Values(values);
        ServerConfig d = ServerConfig.defaults();
        return Optional.of(new ServerConfig(
                v.get(Option.PORT, ConfigParser::parseInt, d.port()),
                v.get(Option.BIND, Function.identity(), d.bind()),
                v.get(Option.BUDGET, ConfigParser::parseBytes, d.budgetBytes()),
                v.get(Option.POLICY, text -> parseEnum(EvictionPolicy.class, text), d.policy()),
                v.get(Option.METATILE, ConfigParser::parseInt, d.metatileSize()),
                v.get(Option.RENDER_THREADS, ConfigParser::parseInt, d.renderThreads()),
                v.get(Option.RENDER_QUEUE, ConfigParser::parseInt, d.renderQueue()),
                v.get(Option.PNG_LEVEL, text -> text.equalsIgnoreCase("auto") ? PixmapIO.DEFAULT_PNG_COMPRESSION
                        : parseInt(text), d.pngLevel()),
                v.get(Option.CACHE, text -> parseEnum(ServerConfig.CacheKind.class, text), d.cache()),
                v.get(Option.THREADS, text -> parseEnum(ServerConfig.ThreadMode.class, text), d.threads()),
                v.get(Option.SHUTDOWN_TIMEOUT, text -> Duration.ofMillis(Math.round(parseSeconds(text) * 1000)),
                        d.shutdownTimeout()),
                fleet(v)));
    }

    /** The Redis tier's config, or null when neither --redis nor --redis-cluster is given. */
    private static FleetConfig fleet(Values v) {
        URI standalone = v.get(Option.REDIS, URI::create, null);
        List<String> seeds = v.get(Option.REDIS_CLUSTER,
                text -> Arrays.stream(text.split(",")).map(String::strip).filter(seed -> !seed.isEmpty()).toList(),
                List.of());
        if (standalone == null && seeds.isEmpty()) {
            return null;
        }
        if (standalone != null && !seeds.isEmpty()) {
            throw new IllegalArgumentException("give --redis " + standalone + " or --redis-cluster "
                    + String.join(",", seeds) + ", not both");
        }
        FleetConfig base = standalone != null ? v.get(Option.REDIS, text -> FleetConfig.standalone(standalone), null)
                : v.get(Option.REDIS_CLUSTER, text -> FleetConfig.cluster(seeds), null);
        return v.get(Option.REDIS_PREFIX, text -> base.withKeyPrefix(text), base)
                .withCommandTimeout(v.get(Option.REDIS_TIMEOUT, ConfigParser::parseMillis, base.commandTimeout()))
                .withLockTtl(v.get(Option.REDIS_LOCK_TTL, ConfigParser::parseMillis, base.lockTtl()))
                .withTileTtl(v.get(Option.REDIS_TTL, text -> Duration.ofMillis(Math.round(parseSeconds(text) * 1000)),
                        base.tileTtl()));
    }

    private static Duration parseMillis(String value) {
        long millis = parseLong(value, value);
        if (millis < 1 || millis > 86_400_000) {
            throw new IllegalArgumentException("not a number of milliseconds in 1..86400000: " + value);
        }
        return Duration.ofMillis(millis);
    }

    /** The {@code --help} text. */
    public static String usage() {
        List<String> lines = new ArrayList<>();
        lines.add("Usage: TileServerMain [options]   (every option also reads TILES_<NAME>, e.g. TILES_PORT)");
        for (Option option : Option.values()) {
            lines.add(String.format("  --%-26s %s", option.flag + " " + option.metavar, option.help));
        }
        lines.add(String.format("  --%-26s %s", "help", "print this and exit"));
        return String.join(System.lineSeparator(), lines);
    }

    static long parseBytes(String value) {
        String text = value.toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        int shift = switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        long number = parseLong(digits, value);
        if (number < 0 || number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("not a byte size: " + value);
        }
        return number << shift;
    }

    private static int parseInt(String value) {
        long number = parseLong(value, value);
        if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not an int: " + value);
        }
        return (int) number;
    }

    private static long parseLong(String digits, String original) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + original);
        }
    }

    private static double parseSeconds(String value) {
        try {
            double number = Double.parseDouble(value);
            if (!Double.isFinite(number) || number < 0 || number > 86_400) {
                throw new IllegalArgumentException("not a number of seconds in 0..86400: " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + value);
        }
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value.replace('-', '_'))) {
                return constant;
            }
        }
        throw new IllegalArgumentException("expected one of "
                + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
                + ": " + value);
    }
}
