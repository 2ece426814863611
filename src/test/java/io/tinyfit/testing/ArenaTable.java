package io.tinyfit.testing;

import io.tinyfit.api.Optimizer;
import io.tinyfit.tiling.TilingPass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.fail;

/**
 * The checked-in regression table {@code regression/arenas.tsv}: every shared model's arena in bytes per method
 * set, one row per model, one column per figure. {@link #assertMatches} fails when a measured figure grows, and
 * when one shrinks without the table being updated (a smaller figure is progress, but the table must say so in
 * the same commit).
 */
public final class ArenaTable {
    public static final Path FILE = Path.of("regression", "arenas.tsv");
    public static final String TFLM_HEAD = "tflm_head";
    /** Tiling within 10 % MAC overhead. */
    public static final String TILING_10PCT = "reorder,layout,dmo,tiling@10%mac";
    /** The method sets of the table, by column name, in column order. */
    public static final Map<String, Set<String>> METHOD_SETS = methodSets();
    /** The MAC overhead (percent) a column's plan may repeat, by column name; 0 for every column not listed. */
    public static final Map<String, Double> MAC_BOUNDS = Map.of(TILING_10PCT, 10.0);

    private ArenaTable() {}

    /** The MAC overhead bound of a column. */
    public static double macBound(String column) { return MAC_BOUNDS.getOrDefault(column, 0.0); }

    private static Map<String, Set<String>> methodSets() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("reorder,layout", Set.of(Optimizer.REORDER, Optimizer.LAYOUT));
        m.put("reorder,layout,dmo", Set.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO));
        m.put("partial", Set.of("partial"));
        m.put("reorder,layout,dmo,partial", Set.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO, "partial"));
        m.put("reorder,layout,dmo,tiling", Set.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO, TilingPass.NAME));
        m.put(TILING_10PCT, Set.of(Optimizer.REORDER, Optimizer.LAYOUT, Optimizer.DMO, TilingPass.NAME));
        return m;
    }

    /** Model → column → bytes. */
    public static Map<String, Map<String, Long>> read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            String[] header = lines.get(0).split("\t");
            Map<String, Map<String, Long>> out = new TreeMap<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] cells = line.split("\t");
                Map<String, Long> row = new LinkedHashMap<>();
                for (int c = 1; c < header.length; c++) row.put(header[c], Long.parseLong(cells[c]));
                out.put(cells[0], row);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String format(Map<String, Map<String, Long>> table) {
        StringBuilder sb = new StringBuilder("model\t").append(TFLM_HEAD);
        for (String c : METHOD_SETS.keySet()) sb.append('\t').append(c);
        sb.append('\n');
        for (Map.Entry<String, Map<String, Long>> e : new TreeMap<>(table).entrySet()) {
            sb.append(e.getKey()).append('\t').append(e.getValue().get(TFLM_HEAD));
            for (String c : METHOD_SETS.keySet()) sb.append('\t').append(e.getValue().get(c));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes the measured table to {@code target/arenas.tsv}, so that updating the checked-in one is a copy. */
    public static void writeMeasured(Map<String, Map<String, Long>> measured) {
        try {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "arenas.tsv"), format(measured));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every pinned figure must equal the measured one; the message lists each that grew, shrank or is missing. */
    public static void assertMatches(Map<String, Map<String, Long>> pinned, Map<String, Map<String, Long>> measured) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> e : pinned.entrySet()) {
            Map<String, Long> got = measured.get(e.getKey());
            if (got == null) {
                problems.add(e.getKey() + ": not measured (its model test failed, or the model is gone)");
                continue;
            }
            for (Map.Entry<String, Long> cell : e.getValue().entrySet()) {
                Long now = got.get(cell.getKey());
                long was = cell.getValue();
                if (now == null) problems.add(e.getKey() + " " + cell.getKey() + ": not measured");
                else if (now > was) problems.add(String.format("%s %s: GREW from %,d to %,d bytes", e.getKey(), cell.getKey(), was, now));
                else if (now < was) problems.add(String.format("%s %s: shrank from %,d to %,d bytes; update %s in the same commit (target/arenas.tsv has the measured table)",
                        e.getKey(), cell.getKey(), was, now, FILE));
            }
        }
        for (String model : measured.keySet()) if (!pinned.containsKey(model)) problems.add(model + ": missing from " + FILE);
        if (!problems.isEmpty()) fail("regression table " + FILE + ":\n  " + String.join("\n  ", problems));
    }
}
