package io.tinyfit.report;

import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Buffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders an {@link Analysis} as the {@code analyze} JSON of SCHEMA.md and as the terminal table. */
public final class AnalyzeReport {
    private AnalyzeReport() {}

    public static Map<String, Object> json(Analysis a) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", Json.SCHEMA);
        doc.put("model", a.graph().source());
        doc.put("ops", a.graph().ops().size());
        doc.put("tensors", a.graph().tensors().size());
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("planner", a.baseline().planner());
        baseline.put("arena_bytes", a.baseline().arenaBytes());
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
        return doc;
    }

    static List<Map<String, Object>> buffers(List<Buffer> list) {
        return list.stream().map(b -> buffer(b, false)).toList();
    }

    /**
     * One buffer as SCHEMA.md writes it. The optimize document adds {@code region} (null: the whole tensor) and
     * {@code bank} ("sram") after {@code kind}.
     */
    static Map<String, Object> buffer(Buffer b, boolean withRegionAndBank) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("tensor", b.tensor() >= 0 ? b.tensor() : null);
        m.put("name", b.name());
        m.put("kind", b.kind().label());
        if (withRegionAndBank) {
            m.put("region", null);
            m.put("bank", "sram");
        }
        m.put("bytes", b.bytes());
        m.put("offset", b.offset());
        m.put("first_step", b.firstStep());
        m.put("last_step", b.lastStep());
        return m;
    }

    public static String table(Analysis a) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: %d operators, %d tensors%n%n", a.graph().source(), a.graph().ops().size(), a.graph().tensors().size()));
        sb.append(String.format("%5s %4s  %-28s %-20s %-8s %11s %11s%n", "step", "op", "kind", "output shape", "dtype", "out bytes", "live bytes"));
        for (Analysis.StepRow r : a.steps()) {
            Tensor first = r.outputs().isEmpty() ? null : r.outputs().get(0);
            String shape = first == null ? "-" : first.shape().toString().replace(" ", "") + (r.outputs().size() > 1 ? " +" + (r.outputs().size() - 1) : "");
            String dtype = first == null ? "-" : first.dtype().label();
            sb.append(String.format("%5d %4d  %-28s %-20s %-8s %,11d %,11d%s%n", r.index(), r.op(), r.kind(), shape, dtype,
                    r.outputBytes(), r.liveBytes(), r.index() == a.peakStep() ? "  <- peak" : ""));
        }
        sb.append(String.format("%nTFLM baseline arena (%s, head section): %,d bytes%n", BaselineLabel.of(a.baseline(), "greedy planner"), a.baseline().arenaBytes()));
        sb.append(String.format("Lower bound (largest working set, file order, no overlaps): %,d bytes at step %d%n", a.lowerBoundBytes(), a.peakStep()));
        long gap = a.baseline().arenaBytes() - a.lowerBoundBytes();
        if (gap > 0) sb.append(String.format("TFLM's placement is %,d bytes (%.1f%%) above the lower bound%n", gap, 100.0 * gap / a.lowerBoundBytes()));
        return sb.toString();
    }
}
