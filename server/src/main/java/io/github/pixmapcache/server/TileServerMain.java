package io.github.pixmapcache.server;

import java.util.List;
import java.util.Optional;

/**
 * {@code java --enable-native-access=ALL-UNNAMED -cp … io.github.pixmapcache.server.TileServerMain [options]}:
 * starts the tile server, prints its URL, and on SIGINT or SIGTERM stops it gracefully and exits 0.
 * Bad options print the problem and exit 2.
 */
public final class TileServerMain {
    private TileServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Optional<ServerConfig> config;
        try {
            config = ConfigParser.parse(List.of(args), System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("tile server: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        if (config.isEmpty()) {
            System.out.println(ConfigParser.usage());
            return;
        }
        MallocTuning.mapLargeBlocks();
        TileServer server = TileServer.start(config.get());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("tile server: stopping (requests in flight get up to "
                    + config.get().shutdownTimeout().toSeconds() + " s)");
            server.close();
            System.out.println("tile server: stopped");
            System.out.flush();
            // A signal's exit status would be 128+N; a graceful stop is a success.
            Runtime.getRuntime().halt(0);
        }, "shutdown"));
        ServerConfig c = config.get();
        System.out.printf("tile server: %s  (cache %s, budget %d MiB of which IIIF %d MiB, tile budget %d MiB, %dx%d metatiles, %d render threads,"
                        + " %s request threads, picture %s)%n",
                server.uri(), c.cache().name().toLowerCase(), c.budgetBytes() >> 20, c.iiifBudgetBytes() >> 20,
                c.tileBudgetBytes() >> 20,
                c.metatileSize(), c.metatileSize(), c.renderThreads(), c.threads().name().toLowerCase(),
                c.picture().version());
        if (c.fleet() != null) {
            System.out.println("tile server: shared tier in " + c.fleet().endpoint() + " (" + server.fleet().state() + ")");
        }
        System.out.println("tile server: open " + server.uri() + " in a browser; Ctrl-C stops it");
        Thread.currentThread().join();   // the server's threads keep running; the shutdown hook ends it
    }
}
