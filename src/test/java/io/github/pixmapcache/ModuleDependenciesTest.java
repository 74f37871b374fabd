package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * {@code jdeps --check} on the compiled module: the modules its code uses are exactly the modules
 * its descriptor requires, no more (an unused {@code requires}) and no fewer (a JDK module used
 * without {@code requires}, which compiles but fails on the module path).
 */
class ModuleDependenciesTest {
    @Test
    void theDescriptorRequiresExactlyTheModulesTheCodeUses() throws Exception {
        String report = jdepsCheck();
        Map<String, Set<String>> sections = sections(report);

        Set<String> declared = sections.get("Module descriptor");
        assertTrue(declared != null && declared.contains("requires jdk.jfr"), report);
        // jdeps cannot know that a module is optional: it suggests "requires transitive java.desktop"
        // for the descriptor's "requires static transitive java.desktop". jdeps prints the modifiers
        // in a Set's iteration order, which changes from one JVM to the next: "transitive static" too.
        Set<String> declaredModuloStatic = new TreeSet<>();
        declared.forEach(requires -> declaredModuloStatic.add(requires.replace(" static ", " ")));
        assertEquals(declaredModuloStatic, sections.get("Suggested module descriptor for io.github.pixmapcache"), report);
        assertEquals(Set.of("Module descriptor", "Suggested module descriptor for io.github.pixmapcache",
                "Transitive reduced graph for io.github.pixmapcache"), sections.keySet(),
                "jdeps reported more than the descriptors (unused or missing exports?): " + report);
    }

    private static String jdepsCheck() throws Exception {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        String modulePath = locationOf(PixmapCache.class).toString();
        StringWriter out = new StringWriter();
        int exitCode = jdeps.run(new PrintWriter(out, true), new PrintWriter(out, true),
                "--multi-release", "22", "--module-path", modulePath, "--check", "io.github.pixmapcache");
        assertEquals(0, exitCode, out.toString());
        return out.toString();
    }

    /** The report's "[title]" sections, each with its lines, versions ("(@22)") and ";" left out. */
    private static Map<String, Set<String>> sections(String report) {
        Map<String, Set<String>> sections = new LinkedHashMap<>();
        Set<String> current = null;
        for (String line : report.lines().map(String::strip).toList()) {
            if (line.startsWith("[") && line.endsWith("]")) {
                current = new TreeSet<>();
                sections.put(line.substring(1, line.length() - 1), current);
            } else if (current != null && !line.isEmpty()) {
                current.add(line.replaceAll(" \\(@[^)]*\\)", "").replace(";", ""));
            }
        }
        return sections;
    }

    private static Path locationOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
