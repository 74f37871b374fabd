package io.github.pixmapcache.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.EvictionPolicy;
import io.github.pixmapcache.imageio.PixmapIO;
import io.github.pixmapcache.server.tiles.EncodedTiles;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigParserTest {

    private static ServerConfig parse(Map<String, String> env, String... args) {
        return ConfigParser.parse(List.of(args), env).orElseThrow();
    }

    @Test
    void defaultsListenOnLoopbackWithHalfAGibibyte() {
        ServerConfig config = parse(Map.of());
        assertEquals(ServerConfig.defaults(), config);
        assertEquals("127.0.0.1", config.bind());
        assertEquals(512L << 20, config.budgetBytes());
        assertEquals(8, config.metatileSize());
        assertEquals(ServerConfig.CacheKind.PIXMAP, config.cache());
        assertEquals(128L << 20, config.tileBudgetBytes());
        assertEquals(ServerConfig.PictureKind.MANDELBROT, config.picture());
        assertEquals(0, parse(Map.of(), "--tile-budget", "0").tileBudgetBytes(), "0: no tiles kept, a valid choice");
    }

    @Test
    void iiifGetsHalfTheBudgetUnlessToldAndTheMetatilesTheRest() {
        ServerConfig halves = parse(Map.of(), "--budget", "1g");
        assertEquals(512L << 20, halves.iiifBudgetBytes());
        assertEquals(512L << 20, halves.metatileBudgetBytes());
        ServerConfig told = parse(Map.of("TILES_IIIF_BUDGET", "100m"), "--budget", "1g");
        assertEquals(100L << 20, told.iiifBudgetBytes());
        assertEquals((1L << 30) - (100L << 20), told.metatileBudgetBytes());
        assertEquals(1L << 30, parse(Map.of(), "--budget", "1g", "--iiif-budget", "1g").iiifBudgetBytes(),
                "all of it to IIIF: a server for images only");
    }

    @Test
    void everyFlagInBothFormsAndFlagsBeatVariables() {
        ServerConfig config = parse(Map.of("TILES_PORT", "9000", "TILES_BUDGET", "2g", "TILES_CACHE", "none"),
                "--port=9100", "--bind", "0.0.0.0", "--policy", "lru", "--metatile", "4", "--render-threads", "3",
                "--render-queue=7", "--png-level", "9", "--cache", "caffeine", "--threads", "pool", "--shutdown-timeout", "2.5",
                "--tile-budget", "64m", "--picture", "waves", "--encode", "after-render");
        assertEquals(new ServerConfig(9100, "0.0.0.0", 2L << 30, EvictionPolicy.LRU, 4, 3, 7, 9,
                ServerConfig.CacheKind.CAFFEINE, ServerConfig.ThreadMode.POOL, Duration.ofMillis(2500), null,
                64L << 20, ServerConfig.PictureKind.WAVES, null, (2L << 30) / 2, EncodedTiles.Encoding.AFTER_RENDER), config);
    }

    @ParameterizedTest
    @CsvSource({"1048576, 1048576", "512m, 536870912", "4g, 4294967296", "2GiB, 2147483648", "64K, 65536", "3MB, 3145728"})
    void byteSizes(String text, long bytes) {
        assertEquals(bytes, parse(Map.of(), "--budget", text).budgetBytes());
    }

    @Test
    void pngLevelAutoIsTheEncodersOwnChoice() {
        assertEquals(PixmapIO.DEFAULT_PNG_COMPRESSION, parse(Map.of(), "--png-level", "auto").pngLevel());
        assertEquals(PixmapIO.DEFAULT_PNG_COMPRESSION, parse(Map.of()).pngLevel());
        assertEquals(0, parse(Map.of(), "--png-level", "0").pngLevel());
    }

    @Test
    void helpIsAskedFor() {
        assertTrue(ConfigParser.parse(List.of("--port", "1", "--help"), Map.of()).isEmpty());
        String usage = ConfigParser.usage();
        for (ConfigParser.Option option : ConfigParser.Option.values()) {
            assertTrue(usage.contains("--" + option.flag + " "), option.flag);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--port 70000 | 70000",
            "--port x | x",
            "--budget -1 | -1",
            "--budget 0 | 0",
            "--budget 1q | 1q",
            "--budget 99999999999g | 99999999999g",
            "--tile-budget -1 | -1",
            "--tile-budget 2x | 2x",
            "--picture julia | julia",
            "--metatile 3 | 3",
            "--metatile 32 | 32",
            "--render-threads 0 | 0",
            "--render-queue -2 | -2",
            "--png-level 10 | 10",
            "--png-level -2 | -2",
            "--cache redis | redis",
            "--threads green | green",
            "--policy fifo | fifo",
            "--shutdown-timeout -1 | -1",
            "--budget 64m --iiif-budget 65m | 68157440",
            "--colour red | --colour",
            "--port | --port",
            "extra | extra",
    })
    void badValuesAreRefusedNamingTheValue(String args, String named) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigParser.parse(List.of(args.split(" ")), Map.of()));
        assertTrue(e.getMessage().contains(named), e.getMessage());
    }

    @Test
    void aBadVariableIsRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigParser.parse(List.of(), Map.of("TILES_METATILE", "5")));
        assertTrue(e.getMessage().contains("metatile") && e.getMessage().endsWith(": 5"), e.getMessage());
    }
}
