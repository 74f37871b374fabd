package io.github.pixmapcache.server;

import io.github.pixmapcache.server.tiles.Mandelbrot;
import java.util.List;
import java.util.Map;

/**
 * A tile server, in a process of its own, whose renders never finish: it takes the fleet's render
 * lock for the first metatile it misses and holds it until the test kills the process. Prints its
 * URL on the first line of standard output.
 */
public final class StuckRenderServerMain {
    private StuckRenderServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        TileServer.Parts stuck = new TileServer.Parts((target, stride, zoom, originX, originY, width, rowFrom, rowTo) -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Mandelbrot.render(target, stride, zoom, originX, originY, width, rowFrom, rowTo);
        }, builder -> builder);
        TileServer server = TileServer.start(ConfigParser.parse(List.of(args), Map.of()).orElseThrow(), stuck);
        System.out.println(server.uri());
        System.out.flush();
        Thread.currentThread().join();
    }
}
