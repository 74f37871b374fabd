package io.github.pixmapcache.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a load-test script left in its results folder: {@code machine.txt}, and a
 * {@code summary-NAME.txt} of {@code key=value} lines per run that ran.
 *
 * @param machine   the machine and settings
 * @param summaries each run's summary by its name, in the order the names were given
 */
record LoadResults(Map<String, String> machine, Map<String, Map<String, String>> summaries) {
    /** The results in {@code directory} of the runs {@code names}; a run without a summary is left out. */
    static LoadResults read(Path directory, List<String> names) throws IOException {
        Map<String, Map<String, String>> summaries = new LinkedHashMap<>();
        for (String name : names) {
            Path summary = directory.resolve("summary-" + name + ".txt");
            if (Files.exists(summary)) {
                summaries.put(name, GcRun.keyValues(summary));
            }
        }
        return new LoadResults(GcRun.keyValues(directory.resolve("machine.txt")), summaries);
    }
}
