package io.tinyfit.report;

import io.tinyfit.api.OptimizeOptions;
import io.tinyfit.api.Optimizer;
import io.tinyfit.arena.ArenaByWidth;
import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.arena.TflmArena;
import io.tinyfit.arena.TflmSupport;
import io.tinyfit.model.Graph;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * {@code tinyfit bench}'s table: per model TFLM's planned head and whole arena, the working-set lower bound, the arena
 * of each method alone and of all of them together, their MAC overhead, the optimiser's time and whether every plan
 * was verified by execution; then the geometric mean of each column's ratio to the TFLM arena. Every arena is the
 * whole arena TFLM needs for the pointer width (the written file's, for a method), so the columns compare; a model
 * TFLM refuses is measured in the arenas tinyfit's runtime needs instead, and says so.
 */
public final class BenchTable {
    private BenchTable() {}

    /** What a row's arena figures are. */
    public enum Basis {
        TFLM("tflm_arena", ""),
        RUNTIME("tinyfit_runtime", "*"),
        HEAD("head_only", "+");

        public final String key;
        /** The mark after the model name in the text table. */
        public final String mark;

        Basis(String key, String mark) {
            this.key = key;
            this.mark = mark;
        }
    }

    /**
     * One model.
     *
     * @param headBytes       TFLM's planned head (its greedy plan, or the file's verified offline plan)
     * @param arenaBytes      the whole arena TFLM needs for that plan (see {@link Basis})
     * @param lowerBoundBytes the whole arena with the head at the file order's largest working set
     * @param alone           each method run alone: the whole arena of the file it writes
     * @param combinedBytes   all methods together
     * @param seconds         wall time of the combined optimisation, verification included
     * @param verified        every plan of the row executed in its arena and matched the reference run
     */
    public record Row(String model, Basis basis, long headBytes, long arenaBytes, long lowerBoundBytes, Map<String, Long> alone,
                      long combinedBytes, double macOverheadPct, double seconds, boolean verified) {
        public Row {
            alone = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(alone));
        }
    }

    /** Runs each method alone and all together on {@code g}, whose TFLM plan is {@code baseline}. */
    public static Row measure(Graph g, Plan baseline, List<String> methods, OptimizeOptions options, int pointerBytes) {
        Basis basis = TflmSupport.refusal(g).isPresent() ? Basis.RUNTIME : TflmArena.unmodelledKinds(g).isEmpty() ? Basis.TFLM : Basis.HEAD;
        io.tinyfit.arena.KernelTarget kernels = options.kernels();
        // another kernel library: TFLM's plan with its scratch buffers, and its whole arena (estimates)
        if (!kernels.isReference()) baseline = io.tinyfit.plan.LibraryPlans.baseline(g, kernels);
        long arena = figure(basis, ArenaByWidth.of(g, baseline.arenaBytes(), kernels), baseline.arenaBytes(), pointerBytes);
        long lowerBound = baseline.peakLiveBytes();
        if (basis == Basis.TFLM) lowerBound = TflmArena.predict(g, lowerBound, pointerBytes, kernels).map(ArenaEstimate::predictedMinBytes).orElseThrow();
        boolean verified = true;
        Map<String, Long> alone = new LinkedHashMap<>();
        for (String m : methods) {
            Optimizer.Result r = Optimizer.optimize(g, options.withMethods(Set.of(m)));
            verified &= r.verified();
            alone.put(m, figure(basis, r.arena(), r.plan().arenaBytes(), pointerBytes));
        }
        long t0 = System.nanoTime();
        Optimizer.Result all = Optimizer.optimize(g, options.withMethods(Set.copyOf(methods)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        verified &= all.verified();
        // today's methods never recompute: tiling and partial sums, which add MACs, are not among them
        return new Row(g.source(), basis, baseline.arenaBytes(), arena, lowerBound, alone, figure(basis, all.arena(), all.plan().arenaBytes(), pointerBytes),
                0.0, seconds, verified);
    }

    private static long figure(Basis basis, ArenaByWidth arena, long planArenaBytes, int pointerBytes) {
        if (basis != Basis.TFLM) return planArenaBytes;
        return arena.forPointerBytes(pointerBytes).map(ArenaEstimate::predictedMinBytes).orElseThrow();
    }

    /** The heading lines and the column header. */
    public static String header(List<String> methods, int pointerBytes) {
        return header(methods, pointerBytes, io.tinyfit.arena.KernelTarget.REFERENCE);
    }

    /** The heading for a build with {@code kernels} (its figures are estimates unless the reference kernels). */
    public static String header(List<String> methods, int pointerBytes, io.tinyfit.arena.KernelTarget kernels) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("bench: bytes of the whole TFLM arena (kTensorArenaSize, %d-bit build, %s kernels%s); each method alone, then %s together%n",
                pointerBytes * 8, kernels.label(), ArenaSummary.estimateNote(kernels.id()), String.join(",", methods)));
        sb.append(String.format(Locale.ROOT, "%-44s %11s %11s %11s", "model", "TFLM head", "TFLM arena", "lower bound"));
        for (String m : methods) sb.append(String.format(" %11s", m));
        sb.append(String.format(" %11s %6s %8s %s%n", "combined", "MAC+%", "opt s", "verified"));
        return sb.toString();
    }

    public static String row(Row r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-44s %,11d %,11d %,11d", shortName(r.model()) + r.basis().mark, r.headBytes(),
                r.arenaBytes(), r.lowerBoundBytes()));
        for (long v : r.alone().values()) sb.append(String.format(Locale.ROOT, " %,11d", v));
        sb.append(String.format(Locale.ROOT, " %,11d %6.1f %8.1f %s%n", r.combinedBytes(), r.macOverheadPct(), r.seconds(), r.verified() ? "yes" : "NO"));
        return sb.toString();
    }

    /** The geometric-mean row and the footnotes of the marks that occur. */
    public static String footer(List<Row> rows, List<String> methods) {
        Map<String, Double> g = geomeans(rows, methods);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-44s %11.3f %11.3f %11.3f", "geometric mean, ratio to TFLM arena",
                g.get("tflm_head"), 1.0, g.get("lower_bound")));
        for (String m : methods) sb.append(String.format(Locale.ROOT, " %11.3f", g.get(m)));
        sb.append(String.format(Locale.ROOT, " %11.3f %6s %8.1f %s%n", g.get("combined"), "",
                rows.stream().mapToDouble(Row::seconds).sum(), rows.stream().allMatch(Row::verified) ? "all" : "NOT ALL"));
        sb.append("lower bound: the arena with the head at the file order's largest working set, without overlaps (DMO can go below it)\n");
        if (rows.stream().anyMatch(r -> r.basis() == Basis.RUNTIME)) {
            sb.append("* TFLM refuses the model (uint8 or hybrid operators): its figures are the planned arenas tinyfit's runtime needs, TFLM head included\n");
        }
        if (rows.stream().anyMatch(r -> r.basis() == Basis.HEAD)) {
            sb.append("+ the TFLM tail of an operator is not modelled: the figures are planned heads only\n");
        }
        return sb.toString();
    }

    /** Per column (keys tflm_head, lower_bound, each method, combined) the geometric mean of its ratio to the arena. */
    public static Map<String, Double> geomeans(List<Row> rows, List<String> methods) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("tflm_head", geomean(rows, Row::headBytes));
        out.put("lower_bound", geomean(rows, Row::lowerBoundBytes));
        for (String m : methods) out.put(m, geomean(rows, r -> r.alone().get(m)));
        out.put("combined", geomean(rows, Row::combinedBytes));
        return out;
    }

    private static double geomean(List<Row> rows, ToLongFunction<Row> column) {
        if (rows.isEmpty()) return Double.NaN;
        double logs = 0;
        for (Row r : rows) logs += Math.log((double) column.applyAsLong(r) / r.arenaBytes());
        return Math.exp(logs / rows.size());
    }

    public static String csv(List<Row> rows, List<String> methods) {
        StringBuilder sb = new StringBuilder("model,basis,tflm_head_bytes,tflm_arena_bytes,lower_bound_bytes");
        for (String m : methods) sb.append(',').append(m).append("_bytes");
        sb.append(",combined_bytes,mac_overhead_pct,optimizer_seconds,verified\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%s,%s,%d,%d,%d", csvText(shortName(r.model())), r.basis().key, r.headBytes(), r.arenaBytes(), r.lowerBoundBytes()));
            for (long v : r.alone().values()) sb.append(',').append(v);
            sb.append(String.format(Locale.ROOT, ",%d,%.1f,%.3f,%s%n", r.combinedBytes(), r.macOverheadPct(), r.seconds(), r.verified()));
        }
        Map<String, Double> g = geomeans(rows, methods);
        sb.append(String.format(Locale.ROOT, "geomean_ratio_to_tflm_arena,,%.4f,1.0000,%.4f", g.get("tflm_head"), g.get("lower_bound")));
        for (String m : methods) sb.append(String.format(Locale.ROOT, ",%.4f", g.get(m)));
        sb.append(String.format(Locale.ROOT, ",%.4f,,,%n", g.get("combined")));
        return sb.toString();
    }

    public static Map<String, Object> json(List<Row> rows, List<String> methods, int pointerBytes) {
        return json(rows, methods, pointerBytes, io.tinyfit.arena.KernelTarget.REFERENCE);
    }

    public static Map<String, Object> json(List<Row> rows, List<String> methods, int pointerBytes, io.tinyfit.arena.KernelTarget kernels) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", Json.SCHEMA);
        doc.put("pointer_bytes", pointerBytes);
        doc.put("kernels", kernels.id());
        doc.put("cpu", kernels.cpu() == null ? null : kernels.cpu().id());
        doc.put("methods", methods);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", r.model());
            m.put("basis", r.basis().key);
            m.put("tflm_head_bytes", r.headBytes());
            m.put("tflm_arena_bytes", r.arenaBytes());
            m.put("lower_bound_bytes", r.lowerBoundBytes());
            m.put("alone_bytes", r.alone());
            m.put("combined_bytes", r.combinedBytes());
            m.put("mac_overhead_pct", r.macOverheadPct());
            m.put("optimizer_seconds", r.seconds());
            m.put("verified", r.verified());
            list.add(m);
        }
        doc.put("rows", list);
        doc.put("geomean_ratio_to_tflm_arena", geomeans(rows, methods));
        return doc;
    }

    /** The file name without folder and extension. */
    static String shortName(String source) {
        String s = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
        return s.endsWith(".tflite") ? s.substring(0, s.length() - 7) : s;
    }

    private static String csvText(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
