package io.github.pixmapcache.server;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.imageio.PixmapIO;
import io.github.pixmapcache.server.fleet.FleetConfig;
import io.github.pixmapcache.server.fleet.FleetSecurity;
import io.github.pixmapcache.server.fleet.Secret;
import io.github.pixmapcache.server.tiles.EncodedTiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

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
        BUDGET("budget", "BYTES", "budget of decoded pixels, metatiles and IIIF sources together, e.g. 512m, 4g, 1048576 (default 512m)"),
        IIIF_BUDGET("iiif-budget", "BYTES", "the part of --budget for IIIF's decoded sources; the metatiles get the rest (default: half)"),
        TILE_BUDGET("tile-budget", "BYTES", "budget of the encoded tier (the tiles' PNG bytes), 0 for none (default 128m)"),
        POLICY("policy", "NAME", "eviction policy of the pixmap cache: window_tiny_lfu or lru (default window_tiny_lfu)"),
        METATILE("metatile", "N", "tiles per side of a metatile, a power of two up to 16 (default 8)"),
        RENDER_THREADS("render-threads", "N", "threads rendering metatiles (default: one per core)"),
        RENDER_QUEUE("render-queue", "N", "metatile renders admitted at once, running or waiting; more get 503 (default 4 per core)"),
        PNG_LEVEL("png-level", "N", "zlib level of the tiles' PNG, 0..9, or auto: the encoder's choice (default auto)"),
        CACHE("cache", "KIND", "metatiles in pixmap (this library) or caffeine (on-heap int[]), each behind the encoded tier; or none (default pixmap)"),
        PICTURE("picture", "NAME", "mandelbrot, or waves: cheap to render, for load tests (default mandelbrot)"),
        ENCODE("encode", "WHEN", "when a rendered metatile's tiles are encoded: on-request (each on its first request) or"
                + " after-render (all of them, in the background) (default on-request)"),
        THREADS("threads", "KIND", "request threads: virtual or pool (default virtual)"),
        SHUTDOWN_TIMEOUT("shutdown-timeout", "SECONDS", "how long a stop waits for requests in flight (default 10)"),
        REDIS("redis", "URI", "shared tile tier in one Redis, redis://host:port or rediss://host:port (TLS) (default: none)"),
        REDIS_CLUSTER("redis-cluster", "SEEDS", "shared tile tier in a Redis Cluster: host:port,host:port,... of some nodes;"
                + " rediss://host:port,... for TLS"),
        REDIS_USER("redis-user", "NAME", "ACL user the tier AUTHs as (Redis 6+; default: Redis's default user)"),
        REDIS_PASSWORD_FILE("redis-password-file", "PATH", "file holding the Redis password; or put it in TILES_REDIS_PASSWORD."
                + " Never as a flag's value"),
        REDIS_TRUST_STORE("redis-trust-store", "PATH", "CAs that Redis's TLS certificate must chain to: PEM or PKCS#12"
                + " (default: the JDK's CAs)"),
        REDIS_TRUST_STORE_PASSWORD_FILE("redis-trust-store-password-file", "PATH",
                "file holding the trust store's password; or TILES_REDIS_TRUST_STORE_PASSWORD"),
        REDIS_KEY_STORE("redis-key-store", "PATH", "PKCS#12 with this server's certificate and key, for mutual TLS"),
        REDIS_KEY_STORE_PASSWORD_FILE("redis-key-store-password-file", "PATH",
                "file holding the key store's password; or TILES_REDIS_KEY_STORE_PASSWORD"),
        REDIS_TLS_VERIFY("redis-tls-verify", "MODE", "full: Redis's certificate must chain to a trusted CA and name its host"
                + " (default); ca: chain only"),
        REDIS_TIMEOUT("redis-timeout", "MS", "longest wait for one Redis command before rendering locally (default 200)"),
        REDIS_LOCK_TTL("redis-lock-ttl", "MS", "life of a fleet render lock, above the slowest render (default 15000)"),
        REDIS_TTL("redis-ttl", "SECONDS", "life of a tile stored in Redis (default 86400)"),
        REDIS_PREFIX("redis-prefix", "NAME", "namespace of the fleet's keys (default pxc)"),
        IMAGES("images", "DIR", "folder of images served by IIIF at /iiif/3/ (default: a rendered fractal in ~/.cache)");

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

    /** The values given for each option, flags over environment variables; {@code fromFlags}: those a flag gave. */
    private record Values(Map<Option, String> given, Set<Option> fromFlags, Map<String, String> environment) {
        <T> T get(Option option, Function<String, T> parse, T fallback) {
            String value = given.get(option);
            if (value == null) {
                return fallback;
            }
            try {
                return parse.apply(value.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + option.flag + " " + RedisEndpoints.redact(value) + ": " + e.getMessage(), e);
            }
        }
    }

    /** Secrets that only an environment variable or a file may give; their flags are refused. */
    private static final List<String> SECRET_FLAGS = List.of("redis-password", "redis-trust-store-password", "redis-key-store-password");

    private static final Logger LOG = Logger.getLogger(ConfigParser.class.getName());

    private ConfigParser() {
    }

    /** The config that {@code args} and {@code environment} describe, or empty if {@code --help} was asked for. */
    public static Optional<ServerConfig> parse(List<String> args, Map<String, String> environment) {
        Map<Option, String> values = new HashMap<>();
        Set<Option> fromFlags = EnumSet.noneOf(Option.class);
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
            if (SECRET_FLAGS.contains(name)) {
                throw new IllegalArgumentException("--" + name + ": a secret in a flag shows in ps and in shell history; put it in "
                        + "TILES_" + name.toUpperCase(Locale.ROOT).replace('-', '_') + " or in a file named by --" + name + "-file");
            }
            Option option = Arrays.stream(Option.values()).filter(o -> o.flag.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown option: --" + name));
            fromFlags.add(option);
            if (equals >= 0) {
                values.put(option, arg.substring(equals + 1));
            } else if (i + 1 < args.size()) {
                values.put(option, args.get(++i));
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        Values v = new Values(values, fromFlags, environment);
        ServerConfig d = ServerConfig.defaults();
        long budget = v.get(Option.BUDGET, ConfigParser::parseBytes, d.budgetBytes());
        return Optional.of(new ServerConfig(
                v.get(Option.PORT, ConfigParser::parseInt, d.port()),
                v.get(Option.BIND, Function.identity(), d.bind()),
                budget,
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
                fleet(v),
                v.get(Option.TILE_BUDGET, ConfigParser::parseBytes, d.tileBudgetBytes()),
                v.get(Option.PICTURE, text -> parseEnum(ServerConfig.PictureKind.class, text), d.picture()),
                v.get(Option.IMAGES, ConfigParser::existingDirectory, null),
                v.get(Option.IIIF_BUDGET, ConfigParser::parseBytes, budget / 2),
                v.get(Option.ENCODE, text -> parseEnum(EncodedTiles.Encoding.class, text), d.encoding())));
    }

    /** The Redis tier's config, or null when neither --redis nor --redis-cluster is given. */
    private static FleetConfig fleet(Values v) {
        RedisEndpoints.Standalone standalone = v.get(Option.REDIS, RedisEndpoints::standalone, null);
        RedisEndpoints.Cluster cluster = v.get(Option.REDIS_CLUSTER, RedisEndpoints::cluster, null);
        if (standalone == null && cluster == null) {
            return null;
        }
        if (standalone != null && cluster != null) {
            throw new IllegalArgumentException("give --redis " + standalone.uri() + " or --redis-cluster "
                    + String.join(",", cluster.seeds()) + ", not both");
        }
        RedisEndpoints.Credentials inUri = standalone != null ? standalone.credentials() : cluster.credentials();
        Option endpointOption = standalone != null ? Option.REDIS : Option.REDIS_CLUSTER;
        if (inUri.password() != null && v.fromFlags().contains(endpointOption)) {
            LOG.warning(() -> "--" + endpointOption.flag + " holds a password in its URI, where ps and shell history show it:"
                    + " put the password in TILES_REDIS_PASSWORD or in a file named by --redis-password-file");
        }
        FleetConfig base = standalone != null ? v.get(Option.REDIS, text -> FleetConfig.standalone(standalone.uri()), null)
                : v.get(Option.REDIS_CLUSTER, text -> FleetConfig.cluster(cluster.seeds()), null);
        boolean tls = standalone != null ? "rediss".equals(standalone.uri().getScheme()) : cluster.tls();
        base = base.withSecurity(security(v, inUri, tls));
        return v.get(Option.REDIS_PREFIX, base::withKeyPrefix, base)
                .withCommandTimeout(v.get(Option.REDIS_TIMEOUT, ConfigParser::parseMillis, base.commandTimeout()))
                .withLockTtl(v.get(Option.REDIS_LOCK_TTL, ConfigParser::parseMillis, base.lockTtl()))
                .withTileTtl(v.get(Option.REDIS_TTL, text -> Duration.ofMillis(Math.round(parseSeconds(text) * 1000)),
                        base.tileTtl()));
    }

    /** The user, password and TLS settings, each secret from exactly one of a URI, a variable and a file. */
    private static FleetSecurity security(Values v, RedisEndpoints.Credentials inUri, boolean tls) {
        String user = v.get(Option.REDIS_USER, Function.identity(), null);
        if (user != null && inUri.username() != null && !user.equals(inUri.username())) {
            throw new IllegalArgumentException("--redis-user " + user + " and the user " + inUri.username()
                    + " in the Redis URI differ: give one");
        }
        Secret password = secret(v, "TILES_REDIS_PASSWORD", Option.REDIS_PASSWORD_FILE, inUri.password());
        Path trustStore = v.get(Option.REDIS_TRUST_STORE, Path::of, null);
        Path keyStore = v.get(Option.REDIS_KEY_STORE, Path::of, null);
        boolean verifyHostname = v.get(Option.REDIS_TLS_VERIFY, text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "full" -> true;
            case "ca" -> false;
            default -> throw new IllegalArgumentException("expected full or ca: " + text);
        }, true);
        try {
            return new FleetSecurity(user != null ? user : inUri.username(), password, tls, trustStore,
                    secret(v, "TILES_REDIS_TRUST_STORE_PASSWORD", Option.REDIS_TRUST_STORE_PASSWORD_FILE, null),
                    keyStore, secret(v, "TILES_REDIS_KEY_STORE_PASSWORD", Option.REDIS_KEY_STORE_PASSWORD_FILE, null),
                    verifyHostname);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Redis security: " + e.getMessage(), e);
        }
    }

    /** The secret from the variable, the file or the URI; null if none; refused if more than one gives it. */
    private static Secret secret(Values v, String variable, Option file, Secret inUri) {
        List<Secret> given = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        String value = v.environment().get(variable);
        if (value != null) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException(variable + " is set but empty");
            }
            given.add(Secret.of(value));
            sources.add(variable);
        }
        Secret fromFile = v.get(file, text -> Secret.fromFile(Path.of(text)), null);
        if (fromFile != null) {
            given.add(fromFile);
            sources.add("--" + file.flag);
        }
        if (inUri != null) {
            given.add(inUri);
            sources.add("the Redis URI");
        }
        if (given.size() > 1) {
            throw new IllegalArgumentException("the secret is given by " + String.join(" and ", sources) + ": give it once");
        }
        return given.isEmpty() ? null : given.getFirst();
    }

    private static Path existingDirectory(String value) {
        Path path = Path.of(value);
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("not a directory: " + value);
        }
        return path;
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
            lines.add(String.format("  --%-40s %s", option.flag + " " + option.metavar, option.help));
        }
        lines.add(String.format("  --%-40s %s", "help", "print this and exit"));
        lines.add("Secrets never go in a flag's value (ps and shell history show flags): the Redis password comes from");
        lines.add("TILES_REDIS_PASSWORD or --redis-password-file, the stores' passwords from TILES_REDIS_TRUST_STORE_PASSWORD");
        lines.add("or --redis-trust-store-password-file and TILES_REDIS_KEY_STORE_PASSWORD or --redis-key-store-password-file.");
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
