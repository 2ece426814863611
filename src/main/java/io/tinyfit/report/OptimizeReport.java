package io.tinyfit.report;

import io.tinyfit.plan.DmoSummary;
import io.tinyfit.plan.FilePlan;
import io.tinyfit.plan.Optimizer;
import io.tinyfit.plan.Overlap;
import io.tinyfit.plan.Plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code optimize --plan-json} document of SCHEMA.md, and the terminal summary. */
public final class OptimizeReport {
    private OptimizeReport() {}

    public static Map<String, Object> json(Optimizer.Result r, List<String> methods) {
        Plan p = r.plan();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", Json.SCHEMA);
        doc.put("model", r.baseline().graph().source());
        doc.put("ops", p.graph().ops().size());
        doc.put("tensors", p.graph().tensors().size());
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("planner", r.baseline().planner());
        baseline.put("arena_bytes", r.baseline().arenaBytes());
        doc.put("baseline", baseline);
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("arena_bytes", p.arenaBytes());
        opt.put("methods", methods);
        opt.put("planner", p.planner());
        opt.put("deployability", deployability(p.graph()));
        // overlaps are proven for the reference kernels' loop order; optimised kernel libraries access differently
        opt.put("requires_reference_kernels", !p.overlaps().isEmpty());
        opt.put("mac_overhead_pct", 0.0);
        opt.put("transfer_bytes", 0);
        opt.put("verified", r.verified());
        opt.put("verification", r.check() == null ? "not executed" : r.check().describe());
        opt.put("scheduler", r.ordering().scheduler());
        if (r.dmo() != null) opt.put("without_dmo_bytes", r.dmo().withoutDmoBytes());
        doc.put("optimized", opt);
        doc.put("lower_bound_bytes", r.lowerBoundBytes());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int s = 0; s < p.steps(); s++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", s);
            m.put("op", r.ordering().order().get(s));
            m.put("kind", p.graph().ops().get(p.order().get(s)).kind());
            m.put("region", null);
            steps.add(m);
        }
        doc.put("steps", steps);
        doc.put("buffers", p.buffers().stream().map(b -> AnalyzeReport.buffer(b, true)).toList());
        Map<Integer, io.tinyfit.plan.Buffer> byTensor = p.tensorBuffers();
        List<Map<String, Object>> overlaps = new ArrayList<>();
        for (Overlap o : p.overlaps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", o.step());
            m.put("input_buffer", byTensor.get(o.inputTensor()).id());
            m.put("output_buffer", byTensor.get(o.outputTensor()).id());
            m.put("min_delta_bytes", o.minDeltaBytes());
            m.put("method", o.method());
            overlaps.add(m);
        }
        doc.put("overlaps", overlaps);
        if (r.dmo() != null) doc.put("dmo", dmo(r.dmo()));
        return doc;
    }

    /** Per step: live bytes without and with overlaps, peak flags, every pair's bounds by method, and the verdict. */
    private static Map<String, Object> dmo(DmoSummary d) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("without_dmo_bytes", d.withoutDmoBytes());
        doc.put("with_dmo_bytes", d.withDmoBytes());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (DmoSummary.StepRow row : d.steps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", row.step());
            m.put("op", row.opIndex());
            m.put("kind", row.kind());
            m.put("live_bytes", row.liveBytes());
            m.put("live_bytes_with_overlaps", row.liveBytesWithOverlaps());
            m.put("peak_without_dmo", row.peakWithoutDmo());
            m.put("peak_with_dmo", row.peakWithDmo());
            List<Map<String, Object>> pairs = new ArrayList<>();
            for (DmoSummary.PairRow pr : row.pairs()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("input_tensor", pr.inputTensor());
                x.put("output_tensor", pr.outputTensor());
                x.put("input_bytes", pr.inputBytes());
                x.put("output_bytes", pr.outputBytes());
                x.put("analytical_min_delta_bytes", pr.analyticalDelta());
                x.put("analytical_formula", pr.analyticalFormula());
                x.put("trace_min_delta_bytes", pr.traceDelta());
                x.put("search_min_delta_bytes", pr.searchDelta());
                x.put("shared_bytes", pr.sharedBytes());
                x.put("reason", pr.reason());
                pairs.add(x);
            }
            m.put("pairs", pairs);
            m.put("verdict", row.verdict());
            steps.add(m);
        }
        doc.put("steps", steps);
        return doc;
    }

    /**
     * "stock-tflm" unless the model itself needs tinyfit's kernels: legacy uint8 activations or hybrid operators
     * (float activations, integer weights), which TFLM refuses whatever the plan.
     */
    static String deployability(io.tinyfit.model.Graph g) {
        for (io.tinyfit.model.Op op : g.ops()) {
            if (io.tinyfit.dmo.Legality.hybrid(g, op)) return "tinyfit-runtime";
            for (int t : op.outputs()) if (g.tensor(t).dtype() == io.tinyfit.model.DType.UINT8 && !op.kind().equals("QUANTIZE")) return "tinyfit-runtime";
        }
        return "stock-tflm";
    }

    public static String summary(Optimizer.Result r) {
        long base = r.baseline().arenaBytes();
        long opt = r.plan().arenaBytes();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: %d operators%n", r.baseline().graph().source(), r.plan().steps()));
        sb.append(String.format("  TFLM baseline arena (%s): %,12d bytes%n", BaselineLabel.of(r.baseline(), "greedy, file order"), base));
        if (r.filePlan() == FilePlan.Status.UNSAFE) sb.append("  the file's own offline plan failed verification: it is not the baseline, TFLM's online plan is\n");
        sb.append(String.format("  optimised arena (%s, order: %s):%s %,12d bytes  (%s%.1f%%)%n", r.plan().planner(), r.ordering().scheduler(),
                "", opt, opt <= base ? "-" : "+", 100.0 * Math.abs(base - opt) / Math.max(1, base)));
        if (r.dmo() != null) {
            long without = r.dmo().withoutDmoBytes();
            sb.append(String.format("  same order without DMO:                   %,12d bytes; with DMO %,d bytes (%d overlaps, -%.1f%%)%n", without, opt,
                    r.plan().overlaps().size(), 100.0 * (without - opt) / Math.max(1, without)));
            for (DmoSummary.StepRow row : r.dmo().steps()) {
                if (!row.peakWithoutDmo() && !row.peakWithDmo()) continue;
                sb.append(String.format("    peak %s step %d (%s, %,d B live, %,d B with overlaps): %s%n",
                        row.peakWithoutDmo() && row.peakWithDmo() ? "with and without DMO," : row.peakWithoutDmo() ? "without DMO," : "with DMO,",
                        row.step(), row.kind(), row.liveBytes(), row.liveBytesWithOverlaps(), row.verdict()));
            }
        }
        sb.append(String.format("  lower bound of that order:                %,12d bytes%n", r.lowerBoundBytes()));
        if (!r.plan().overlaps().isEmpty()) sb.append("  note: the overlaps assume TFLM's reference kernels (not CMSIS-NN or other optimised kernels)\n");
        sb.append(String.format("  verified: %s%n", r.verified() ? "yes, " + r.check().describe() : "NO (" + (r.check() == null ? "not executed" : r.check().firstMismatch()) + ")"));
        return sb.toString();
    }
}
