package io.github.pixmapcache.server.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.commonmark.node.Node;
import org.commonmark.parser.IncludeSourceSpans;
import org.commonmark.parser.Parser;

/** One Markdown file of the documentation, parsed by commonmark with the line of every node. */
record MarkdownPage(Path file, Node document) {

    private static final Parser PARSER = Parser.builder()
            .includeSourceSpans(IncludeSourceSpans.BLOCKS_AND_INLINES).build();

    static MarkdownPage read(Path file) {
        try {
            return new MarkdownPage(file, PARSER.parse(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The repository's documentation: README.md and every page under docs/. */
    static List<MarkdownPage> documentation(Path repository) {
        List<Path> files = new ArrayList<>(List.of(repository.resolve("README.md")));
        try (Stream<Path> docs = Files.list(repository.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + repository.resolve("docs"), e);
        }
        return files.stream().map(MarkdownPage::read).toList();
    }

    /** The repository this module lies in: surefire runs the tests in server/. */
    static Path repository() {
        Path root = Path.of("").toAbsolutePath().getParent();
        if (!Files.isRegularFile(root.resolve("README.md")) || !Files.isDirectory(root.resolve("docs"))) {
            throw new IllegalStateException("no README.md and docs/ in " + root + ": run the tests from server/");
        }
        return root;
    }

    /** "docs/x.md:12", the place of a node for a message (lines count from 1). */
    String where(Path repository, Node node) {
        int line = node.getSourceSpans().isEmpty() ? -1 : node.getSourceSpans().getFirst().getLineIndex() + 1;
        return repository.relativize(file) + ":" + line;
    }
}
