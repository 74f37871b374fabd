package io.github.pixmapcache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The module exports the API package, to everyone, and nothing else. */
class ModuleDescriptorTest {
    @Test
    void exportsOnlyTheApiPackage() throws IOException {
        ModuleDescriptor module;
        try (InputStream in = PixmapCache.class.getResourceAsStream("/module-info.class")) {
            module = ModuleDescriptor.read(in);
        }
        assertEquals("io.github.pixmapcache", module.name());
        Set<String> exports = module.exports().stream()
                .map(export -> export.source() + (export.isQualified() ? " to " + export.targets() : ""))
                .collect(Collectors.toSet());
        assertEquals(Set.of("io.github.pixmapcache"), exports);
        assertEquals(Set.of(), module.opens());
    }
}
