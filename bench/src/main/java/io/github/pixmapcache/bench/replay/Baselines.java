package io.github.pixmapcache.bench.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the count-based and size-aware tables of {@code BASELINES.md}. */
final class Baselines {
    private Baselines() {}

    static List<Baseline> read(Path file) throws IOException {
        List<Baseline> rows = new ArrayList<>();
        Mode section = null;
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                section = line.startsWith("## Count-based") ? Mode.COUNT
                        : line.startsWith("## Size-aware") ? Mode.SIZE : null;
            } else if (section != null && line.matches("\\| [^|]+ \\| \\d+% \\|.*")) {
                try {
                    rows.add(parse(section, cells(line)));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a baseline row (" + e.getMessage()
                            + "): " + line, e);
                }
            }
        }
        return rows;
    }

    private static Baseline parse(Mode mode, String[] cells) {
        String trace = cells[0];
        int percent = Integer.parseInt(cells[1].replace("%", ""));
        long capacity = Long.parseLong(cells[2].replace(",", ""));
        if (mode == Mode.COUNT) {
            double opt = percent(cells[6]);
            return new Baseline(mode, trace, percent, capacity, percent(cells[3]), percent(cells[4]), opt, opt,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] opt = bounds(cells[6]);
        double[] optBytes = bounds(cells[10]);
        return new Baseline(mode, trace, percent, capacity, percent(cells[3]), percent(cells[4]), opt[0], opt[1],
                percent(cells[7]), percent(cells[8]), optBytes[0], optBytes[1]);
    }

    private static String[] cells(String line) {
        String inner = line.substring(line.indexOf('|') + 1, line.lastIndexOf('|'));
        String[] cells = inner.split("\\|");
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].strip();
        }
        return cells;
    }

    private static double percent(String cell) {
        if (!cell.endsWith("%")) {
            throw new IllegalArgumentException("not a percentage: " + cell);
        }
        return Double.parseDouble(cell.substring(0, cell.length() - 1));
    }

    /** {@code 37.04–37.96%}: the lower and upper bound. */
    private static double[] bounds(String cell) {
        String[] parts = cell.split("–");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a range L–U%: " + cell);
        }
        return new double[] {Double.parseDouble(parts[0]), percent(parts[1])};
    }
}
