package io.github.pixmapcache.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every relative link and image of README.md and docs/ points to a file and anchor that exist. */
class DocsLinksTest {

    @Test
    void everyRelativeLinkOfTheDocumentationPointsSomewhere() {
        Path repository = MarkdownPage.repository();
        List<MarkdownPage> pages = MarkdownPage.documentation(repository);
        assertTrue(pages.size() >= 12, "README.md and the guides under docs/: " + pages.size());
        assertTrue(DocsLinks.relativeLinks(pages) >= 40, "the check saw too few links to be reading the pages");
        List<String> broken = new DocsLinks(repository).broken(pages);
        assertEquals(List.of(), broken, "links that point nowhere:\n" + String.join("\n", broken));
    }

    @Test
    void aMissingFileAMissingAnchorAndALinkOutOfTheRepositoryAreEachFound(@TempDir Path repository) throws IOException {
        Files.createDirectories(repository.resolve("docs"));
        Files.writeString(repository.resolve("docs/guide.md"), """
                # Guide
                ## Micrometer and `/metrics`
                ## Tests
                ## Tests
                <a name="by-hand"></a>
                Back to the [front](../README.md#the-front-door) and [here](#tests-1).
                """);
        Files.writeString(repository.resolve("README.md"), """
                # The front door
                [ok](docs/guide.md#micrometer-and-metrics) [ok](docs/guide.md#by-hand) [ok](docs/) ![ok](docs/guide.md)
                [web](https://example.com/nowhere.md) `[in code](nowhere.md)`

                [gone](docs/gone.md) [no anchor](docs/guide.md#tests-2) [outside](../shared/api.md)
                ![no image](docs/shot.png) [self](#no-such-heading)
                """);
        List<String> broken = new DocsLinks(repository).broken(MarkdownPage.documentation(repository));
        assertEquals(5, broken.size(), String.join("\n", broken));
        assertTrue(broken.get(0).startsWith("README.md:5: (docs/gone.md) points to docs/gone.md"), broken.get(0));
        assertTrue(broken.get(1).startsWith("README.md:5: (docs/guide.md#tests-2) names #tests-2"), broken.get(1));
        assertTrue(broken.get(2).startsWith("README.md:5: (../shared/api.md) leaves the repository"), broken.get(2));
        assertTrue(broken.get(3).startsWith("README.md:6: (docs/shot.png) points to"), broken.get(3));
        assertTrue(broken.get(4).startsWith("README.md:6: (#no-such-heading) names #no-such-heading"), broken.get(4));
    }
}
