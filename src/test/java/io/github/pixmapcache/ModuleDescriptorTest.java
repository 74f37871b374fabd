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

/** The compiled module exports the API and image I/O packages, to everyone, and nothing else. */
class ModuleDescriptorTest {
    @Test
    void exportsOnlyTheApiAndImageIoPackages() throws URISyntaxException {
        Path classes = Path.of(PixmapCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor module = ModuleFinder.of(classes).findAll().stream()
                .map(ModuleReference::descriptor)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no module descriptor in " + classes));

        assertEquals("io.github.pixmapcache", module.name());
        Set<String> exports = module.exports().stream()
                .map(export -> export.source() + (export.isQualified() ? " to " + export.targets() : ""))
                .collect(Collectors.toSet());
        assertEquals(Set.of("io.github.pixmapcache", "io.github.pixmapcache.imageio"), exports);
        ModuleDescriptor.Requires desktop = module.requires().stream()
                .filter(requires -> requires.name().equals("java.desktop"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("java.desktop is not read: " + module.requires()));
        assertEquals(Set.of(ModuleDescriptor.Requires.Modifier.STATIC), desktop.modifiers(),
                "AWT is optional: a user who never touches image I/O does not need it");
        assertEquals(Set.of(), module.opens());
        assertTrue(module.packages().contains("io.github.pixmapcache.internal.memory"),
                "the internal packages belong to the module: " + module.packages());
        assertTrue(module.packages().contains("io.github.pixmapcache.internal.imageio"), module.packages().toString());
    }
}
