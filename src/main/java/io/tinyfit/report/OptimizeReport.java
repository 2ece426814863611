package io.tinyfit.report;

import io.tinyfit.plan.Optimizer;
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
        opt.put("deployability", "stock-tflm");
        opt.put("mac_overhead_pct", 0.0);
        opt.put("transfer_bytes", 0);
        opt.put("verified", r.verified());
        opt.put("verification", r.check() == null ? "not executed" : r.check().describe());
        opt.put("scheduler", r.ordering().scheduler());
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
        doc.put("overlaps", List.of());
        return doc;
    }

    public static String summary(Optimizer.Result r) {
        long base = r.baseline().arenaBytes();
        long opt = r.plan().arenaBytes();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%s: %d operators%n", r.baseline().graph().source(), r.plan().steps()));
        sb.append(String.format("  TFLM baseline arena (greedy, file order): %,12d bytes%n", base));
        sb.append(String.format("  optimised arena (%s, order: %s):%s %,12d bytes  (%s%.1f%%)%n", r.plan().planner(), r.ordering().scheduler(),
                "", opt, opt <= base ? "-" : "+", 100.0 * Math.abs(base - opt) / Math.max(1, base)));
        sb.append(String.format("  working-set lower bound of that order:    %,12d bytes%n", r.lowerBoundBytes()));
        sb.append(String.format("  verified: %s%n", r.verified() ? "yes, " + r.check().describe() : "NO (" + (r.check() == null ? "not executed" : r.check().firstMismatch()) + ")"));
        return sb.toString();
    }
}
