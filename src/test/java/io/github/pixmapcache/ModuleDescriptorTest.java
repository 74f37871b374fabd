package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The compiled module exports the API package, to everyone, and nothing else. */
class ModuleDescriptorTest {
    @Test
    void exportsOnlyTheApiPackage() throws URISyntaxException {
        Path classes = Path.of(PixmapCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module = ModuleFinder.of(classes).findAll().stream()
                .map(ModuleReference::descriptor)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no module descriptor in " + classes));

        assertEquals("io.github.pixmapcache", module.name());
        Set<String> exports = module.exports().stream()
                .map(export -> export.source() + (export.isQualified() ? " to " + export.targets() : ""))
                .collect(Collectors.toSet());
        assertEquals(Set.of("io.github.pixmapcache"), exports);
        assertEquals(Set.of(), module.opens());
        assertTrue(module.packages().contains("io.github.pixmapcache.internal.memory"),
                "the internal packages belong to the module: " + module.packages());
    }
}
