package io.github.pixmapcache.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.pixmapcache.server.TileServerMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every tile-server flag that README.md and docs/ name is one that the server's own {@code --help}
 * lists: the help text of a real {@code TileServerMain} process, so a flag added to the server is
 * known here as soon as it is in its help, and a flag renamed or removed fails the docs that still
 * name it.
 */
class DocsFlagsTest {

    /**
     * Flags of other programs that the docs name in a code span of their own (`--flag`, no program
     * before it), which {@link DocsFlags} therefore takes for the server's. A flag after its program's
     * name in the same span or code line (`redis-server --tls-port 6380`) needs no entry here.
     */
    private static final Map<String, String> OTHER_PROGRAMS = Map.ofEntries(
            Map.entry("enable-native-access", "java"),
            Map.entry("module-path", "java"),
            Map.entry("add-modules", "java"),
            Map.entry("sun-misc-unsafe-memory-access", "java"),
            Map.entry("release", "javafx/gallery"),
            Map.entry("mode", "javafx/gallery"),
            Map.entry("headless", "javafx/gallery"),
            Map.entry("seconds", "javafx/gallery"),
            Map.entry("virtual-time-budget", "chromium"),
            Map.entry("cluster", "redis-cli"),
            Map.entry("tls", "redis-cli"),
            Map.entry("tls-port", "redis-server"),
            Map.entry("tls-cert-file", "redis-server"),
            Map.entry("tls-key-file", "redis-server"),
            Map.entry("tls-ca-cert-file", "redis-server"),
            Map.entry("tls-auth-clients", "redis-server"),
            Map.entry("tls-cluster", "redis-server"),
            Map.entry("tls-replication", "redis-server"),
            Map.entry("cluster-enabled", "redis-server"),
            Map.entry("cluster-config-file", "redis-server"),
            Map.entry("aclfile", "redis-server"),
            Map.entry("requirepass", "redis-server"));

    private static final Pattern HELP_FLAG = Pattern.compile("^\\s*--([a-z][a-z0-9-]*)", Pattern.MULTILINE);

    @Test
    void everyServerFlagTheDocsNameIsInTheServersHelp() throws Exception {
        Set<String> help = helpFlags();
        assertTrue(help.containsAll(Set.of("help", "port", "budget", "redis")), "the --help text: " + help);
        Path repository = MarkdownPage.repository();
        List<DocsFlags.Named> named = DocsFlags.named(MarkdownPage.documentation(repository), repository);
        assertTrue(named.stream().map(DocsFlags.Named::flag).collect(Collectors.toSet())
                .containsAll(Set.of("port", "budget", "policy", "redis", "redis-cluster", "redis-timeout")),
                "the docs' flag tables were not read: " + named);
        List<String> unknown = named.stream()
                .filter(n -> !help.contains(n.flag()) && !OTHER_PROGRAMS.containsKey(n.flag()))
                .map(n -> n.where() + ": --" + n.flag()).toList();
        assertEquals(List.of(), unknown, "flags the docs name that `TileServerMain --help` does not list:\n"
                + String.join("\n", unknown) + "\nThe server has: " + help + ". Fix the docs, or, for another"
                + " program's flag, name the program before it in the same code span (`redis-server --x`)"
                + " or add it to DocsFlagsTest.OTHER_PROGRAMS.");
    }

    @Test
    void aSnippetsFlagsAreTheServersOnlyWhereTheServerTakesThem() {
        assertEquals(List.of("redis-timeout"), DocsFlags.serverFlags("--redis-timeout MS"));
        assertEquals(List.of("port", "budget"), DocsFlags.serverFlags(
                "./mvnw -q -f all -pl :pixmap-cache-server -am package -Dserve -Dserve.args=\"--port 9090 --budget 2g\""));
        assertEquals(List.of("help"), DocsFlags.serverFlags("./mvnw -q package -Dserve -Dserve.args=--help -Dx=--y"));
        assertEquals(List.of("budget", "cache"), DocsFlags.serverFlags("java --enable-native-access=ALL-UNNAMED -cp "
                + "\"a.jar:lib/*\" io.github.pixmapcache.server.TileServerMain --budget 2g --cache=caffeine"));
        assertEquals(List.of(), DocsFlags.serverFlags("redis-server --tls-port 6380 --port 0"));
        assertEquals(List.of(), DocsFlags.serverFlags("javafx/gallery --headless --seconds 40"));
        assertEquals(List.of(), DocsFlags.serverFlags("PixmapCacheMetrics.monitor(registry, cache, \"tiles\")"));
    }

    /** The flags of the server's --help text, from a real server process. */
    private static Set<String> helpFlags() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), TileServerMain.class.getName(), "--help")
                .redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "TileServerMain --help did not exit");
        assertEquals(0, process.exitValue(), "TileServerMain --help:\n" + text);
        Set<String> flags = new LinkedHashSet<>();
        Matcher flag = HELP_FLAG.matcher(text);
        while (flag.find()) {
            flags.add(flag.group(1));
        }
        return flags;
    }
}
