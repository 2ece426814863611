package io.tinyfit.report;

import io.tinyfit.arena.TflmSupport;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Buffer;
import io.tinyfit.targets.FitVerdict;
import io.tinyfit.tflite.TflmLint;
import io.tinyfit.tflite.TinyfitMarker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Renders an {@link Analysis} as the {@code analyze} JSON of SCHEMA.md and as the terminal table. */
public final class AnalyzeReport {
    private AnalyzeReport() {}

    public static Map<String, Object> json(Analysis a, int pointerBytes) { return json(a, pointerBytes, Optional.empty()); }

    /** The document with the budget verdict ({@code fit}, null without a budget). */
    public static Map<String, Object> json(Analysis a, int pointerBytes, Optional<FitVerdict> fit) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", Json.SCHEMA);
        doc.put("model", a.graph().source());
        doc.put("ops", a.graph().ops().size());
        doc.put("tensors", a.graph().tensors().size());
        doc.put("tflm_arena", ArenaSummary.json(a.graph(), a.arena(), pointerBytes));
        doc.put("fit", FitReport.json(fit));
        if (a.marker() != null) doc.put("tinyfit_marker", marker(a.marker()));
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("planner", a.baseline().planner());
        baseline.put("arena_bytes", a.baseline().arenaBytes());
        baseline.put("head_note", ArenaSummary.headNote(a.graph()).orElse(null));
        doc.put("baseline", baseline);
        doc.put("lower_bound_bytes", a.lowerBoundBytes());
        doc.put("peak_step", a.peakStep());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Analysis.StepRow r : a.steps()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("index", r.index());
            s.put("op", r.op());
            s.put("kind", r.kind());
            s.put("live_bytes", r.liveBytes());
            steps.add(s);
        }
        doc.put("steps", steps);
        doc.put("buffers", buffers(a.baseline().buffers()));
        doc.put("tflm_lint", lint(a.lint()));
        return doc;
    }

    /** TFLM's load-time checks on the file: one object per finding (empty when stock TFLM loads it). */
    static List<Map<String, Object>> lint(TflmLint.Report report) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TflmLint.Finding f : report.findings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", f.rule().name().toLowerCase(Locale.ROOT));
            m.put("severity", f.rule().severity.label);
            m.put("where", f.where());
            m.put("tflm_source", f.rule().tflmSource);
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> marker(TinyfitMarker m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", m.version());
        out.put("kernels", m.kernels());
        out.put("arena_bytes_32bit", m.arenaBytes32());
        out.put("arena_bytes_64bit", m.arenaBytes64());
        return out;
    }

    static List<Map<String, Object>> buffers(List<Buffer> list) {
        return list.stream().map(b -> buffer(b, false)).toList();
    }

    /**
     * One buffer as SCHEMA.md writes it. The optimize document adds {@code region} (null: the whole tensor) and
     * {@code bank} after {@code kind}.
     */
    static Map<String, Object> buffer(Buffer b, boolean withRegionAndBank) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("tensor", b.tensor() >= 0 ? b.tensor() : null);
        m.put("name", b.name());
        m.put("kind", b.kind().label());
        if (withRegionAndBank) {
            m.put("region", region(b.region()));
            m.put("bank", b.bank());
        }
        m.put("bytes", b.bytes());
        m.put("offset", b.offset());
        m.put("first_step", b.firstStep());
        m.put("last_step", b.lastStep());
        return m;
    }

    /** SCHEMA.md's region: null for a whole tensor, else {@code {"lo": [...], "hi": [...]}}. */
    static Map<String, Object> region(io.tinyfit.model.Region r) {
        if (r == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lo", r.lo());
        m.put("hi", r.hi());
        return m;
    }

    public static String table(Analysis a, int pointerBytes) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: %d operators, %d tensors%n", a.graph().source(), a.graph().ops().size(), a.graph().tensors().size()));
        sb.append(ArenaSummary.line(a.graph(), a.arena(), pointerBytes)).append(String.format("%n"));
        if (a.marker() != null) sb.append(markerWarning(a.marker())).append(String.format("%n"));
        sb.append(String.format("%n"));
        sb.append(String.format("%5s %4s  %-28s %-20s %-8s %11s %11s%n", "step", "op", "kind", "output shape", "dtype", "out bytes", "live bytes"));
        for (Analysis.StepRow r : a.steps()) {
            Tensor first = r.outputs().isEmpty() ? null : r.outputs().get(0);
            String shape = first == null ? "-" : first.shape().toString().replace(" ", "") + (r.outputs().size() > 1 ? " +" + (r.outputs().size() - 1) : "");
            String dtype = first == null ? "-" : first.dtype().label();
            sb.append(String.format("%5d %4d  %-28s %-20s %-8s %,11d %,11d%s%n", r.index(), r.op(), r.kind(), shape, dtype,
                    r.outputBytes(), r.liveBytes(), r.index() == a.peakStep() ? "  <- peak" : ""));
        }
        sb.append(String.format("%n%s%n", ArenaSummary.line(a.graph(), a.arena(), pointerBytes)));
        sb.append(String.format("TFLM baseline arena (%s, head section only): %,d bytes%s%n", BaselineLabel.of(a.baseline(), "greedy planner"), a.baseline().arenaBytes(),
                TflmSupport.refusal(a.graph()).isPresent() ? " [TFLM refuses this model: the head as TFLM would plan it]" : ""));
        ArenaSummary.headNote(a.graph()).ifPresent(n -> sb.append("  note: ").append(n).append('\n'));
        sb.append(String.format("Lower bound (largest working set, file order, no overlaps): %,d bytes at step %d%n", a.lowerBoundBytes(), a.peakStep()));
        long gap = a.baseline().arenaBytes() - a.lowerBoundBytes();
        if (gap > 0) sb.append(String.format("TFLM's placement is %,d bytes (%.1f%%) above the lower bound%n", gap, 100.0 * gap / a.lowerBoundBytes()));
        for (TflmLint.Finding f : a.lint().findings()) {
            sb.append(String.format("warning: %s%n         TFLM source: %s%n", f.message(), f.rule().tflmSource));
        }
        return sb.toString();
    }

    /** A file tinyfit wrote: its plan (scratch buffers, op data, any DMO overlap) holds for TFLM's reference kernels. */
    static String markerWarning(TinyfitMarker m) {
        String other = m.kernels().equals(io.tinyfit.arena.ArenaEstimate.REFERENCE_KERNELS)
                ? " Optimised kernel libraries (CMSIS-NN, ESP-NN, Xtensa) request other scratch buffers and op data and may break its overlaps."
                : " Its figures are estimates for that library (its scratch buffers included, DMO kept off the operators it replaces); other libraries request other scratch buffers.";
        return String.format("warning: written by tinyfit %s; its plan assumes TFLM's %s kernels (whole arena %,d B on 32-bit, %,d B on 64-bit builds).%s",
                m.version(), m.kernels(), m.arenaBytes32(), m.arenaBytes64(), other);
    }
}
