package io.github.pixmapcache.server.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Node;

/**
 * The tile server's flags that documentation names: every {@code --flag} in a code span or a line of a
 * code block that is the server's. A snippet's flags are the server's when the snippet starts with a
 * flag (`--budget 2g`, a table's `--redis URI`), when they follow {@code TileServerMain}, or when they
 * are inside {@code -Dserve.args=...}; after any other program's name (`java`, `redis-server`,
 * `javafx/gallery`, ...) they are that program's.
 */
final class DocsFlags {
    private static final Pattern SERVE_ARGS = Pattern.compile("-Dserve\\.args=(?:\"([^\"]*)\"|'([^']*)'|(\\S+))");
    private static final Pattern FLAG = Pattern.compile("^--([a-z][a-z0-9]*(?:-[a-z0-9]+)*)");

    /** A flag the documentation names, and where. */
    record Named(String flag, String where) {
    }

    private DocsFlags() {
    }

    /** Every server flag the pages name, in page order. */
    static List<Named> named(List<MarkdownPage> pages, Path repository) {
        List<Named> named = new ArrayList<>();
        for (MarkdownPage page : pages) {
            page.document().accept(new AbstractVisitor() {
                @Override
                public void visit(Code code) {
                    add(page, code, code.getLiteral());
                }

                @Override
                public void visit(FencedCodeBlock block) {
                    addLines(page, block, block.getLiteral());
                }

                @Override
                public void visit(IndentedCodeBlock block) {
                    addLines(page, block, block.getLiteral());
                }

                private void addLines(MarkdownPage page, Node block, String literal) {
                    // a shell line continued with a backslash is one command
                    for (String line : literal.replace("\\\n", " ").split("\n")) {
                        add(page, block, line);
                    }
                }

                private void add(MarkdownPage page, Node node, String snippet) {
                    for (String flag : serverFlags(snippet)) {
                        named.add(new Named(flag, page.where(repository, node)));
                    }
                }
            });
        }
        return named;
    }

    /** The server's flags in one snippet of shell or prose code, without their leading dashes. */
    static List<String> serverFlags(String snippet) {
        List<String> flags = new ArrayList<>();
        Matcher serveArgs = SERVE_ARGS.matcher(snippet);
        StringBuilder rest = new StringBuilder();
        while (serveArgs.find()) {
            String value = serveArgs.group(1) != null ? serveArgs.group(1)
                    : serveArgs.group(2) != null ? serveArgs.group(2) : serveArgs.group(3);
            addFlags(value.strip().split("\\s+"), true, flags);
            serveArgs.appendReplacement(rest, " ");
        }
        serveArgs.appendTail(rest);
        String[] words = rest.toString().strip().split("\\s+");
        addFlags(words, words.length > 0 && words[0].startsWith("--"), flags);
        return flags;
    }

    private static void addFlags(String[] words, boolean server, List<String> flags) {
        for (String word : words) {
            if (word.endsWith("TileServerMain")) {
                server = true;
                continue;
            }
            Matcher flag = FLAG.matcher(word);
            if (server && flag.find()) {
                flags.add(flag.group(1));
            }
        }
    }
}
