package io.github.pixmapcache;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Main;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;

/**
 * Runs jcstress ({@code exec:exec@jcstress}) and exits non-zero unless it proved something: at
 * least one test configuration ran and passed, and none failed or ended in an error of any kind.
 * jcstress alone fails only on a FORBIDDEN outcome or a hard error; a test that does not load (its
 * class too new for the JVM, as when the run skipped the toolchain and got the PATH's Java 17, or
 * no test compiled at all) is a soft error, and jcstress then exits 0 having checked nothing.
 * Compiled with the tests (release 22), so an older JVM already refuses to load this class.
 */
public final class JcstressGate {
    private JcstressGate() {}

    /**
     * Runs jcstress with {@code args} (its own options) and exits 1 unless the run passed.
     *
     * @param args jcstress's command line
     * @throws Exception what jcstress throws: a FORBIDDEN outcome or a hard error
     */
    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        if (!options.parse()) {
            System.exit(1);
        }
        if (options.shouldList() || options.shouldParse()) {
            Main.main(args);
            return;
        }
        new JCStress(options).run();  // throws on a FORBIDDEN outcome or a hard error
        List<String> problems = problems(options.getResultFile());
        if (!problems.isEmpty()) {
            System.err.println("jcstress checked nothing, or not everything:");
            problems.forEach(problem -> System.err.println("  " + problem));
            System.exit(1);
        }
    }

    /** What makes the run in {@code resultFile} worthless or failed; empty when it passed. */
    private static List<String> problems(String resultFile) throws Exception {
        if (!Files.exists(Path.of(resultFile))) {
            return List.of("no result file " + resultFile + ": jcstress ran no test");
        }
        InProcessCollector results = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(resultFile, results);
        try {
            reader.dump();
        } finally {
            reader.close();
        }
        List<String> problems = new ArrayList<>();
        int passed = 0;
        for (TestResult result : ReportUtils.mergedByConfig(results.getTestResults())) {
            if (result.status() != Status.NORMAL) {
                problems.add(result.getName() + ": " + result.status() + " " + firstMessage(result));
            } else if (!result.grading().isPassed) {
                problems.add(result.getName() + ": failed");
            } else {
                passed++;
            }
        }
        if (passed == 0) {
            problems.add("no test configuration passed (" + results.getTestResults().size()
                    + " results in " + resultFile + "); run with test-compile: ./mvnw -B test-compile exec:exec@jcstress");
        }
        return problems;
    }

    private static String firstMessage(TestResult result) {
        return result.getMessages().isEmpty() ? "" : result.getMessages().get(0);
    }
}
