package io.tinyfit.report;

import io.tinyfit.api.Optimizer;
import io.tinyfit.api.PlanCost;
import io.tinyfit.api.PlanSearch;
import io.tinyfit.arena.TflmSupport;
import io.tinyfit.dmo.DmoSummary;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.Overlap;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepKind;
import io.tinyfit.targets.FitVerdict;
import io.tinyfit.verify.FilePlan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The {@code optimize --plan-json} document of SCHEMA.md, and the terminal summary. */
public final class OptimizeReport {
    private OptimizeReport() {}

    public static Map<String, Object> json(Optimizer.Result r, List<String> methods, int pointerBytes) {
        return json(r, methods, pointerBytes, Optional.empty());
    }

    /** The document with the verdict on the written plan ({@code fit}, null without a budget). */
    public static Map<String, Object> json(Optimizer.Result r, List<String> methods, int pointerBytes, Optional<FitVerdict> fit) {
        return json(r, methods, pointerBytes, fit, Optional.empty());
    }

    /** The document with the plan search that chose the plan ({@code search}, null when {@code --methods} named one set). */
    public static Map<String, Object> json(Optimizer.Result r, List<String> methods, int pointerBytes, Optional<FitVerdict> fit,
                                           Optional<PlanSearch.Outcome> search) {
        Plan p = r.plan();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", Json.SCHEMA);
        doc.put("model", r.baseline().graph().source());
        doc.put("ops", p.graph().ops().size());
        doc.put("tensors", p.graph().tensors().size());
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("planner", r.baseline().planner());
        baseline.put("arena_bytes", r.baseline().arenaBytes());
        baseline.put("tflm_arena", ArenaSummary.json(r.baseline().graph(), r.baselineArena(), pointerBytes));
        doc.put("baseline", baseline);
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("tflm_arena", ArenaSummary.json(p.graph(), r.arena(), pointerBytes));
        opt.put("arena_bytes", p.arenaBytes());
        opt.put("head_note", ArenaSummary.headNote(r.baseline().graph()).orElse(null));
        opt.put("head_saving_pct", savingPct(r.baseline().arenaBytes(), p.arenaBytes()));
        opt.put("whole_arena_saving_pct", wholeArena(r, pointerBytes).map(w -> savingPct(w[0], w[1])).orElse(null));
        opt.put("methods", methods);
        opt.put("planner", p.planner());
        opt.put("deployability", r.deployability().label());
        if (r.deployability().reason() != null) opt.put("deployability_reason", r.deployability().reason());
        opt.put("kernels", r.arena().kernels());
        // overlaps are proven for the reference kernels' loop order; optimised kernel libraries access differently
        opt.put("requires_reference_kernels", !p.overlaps().isEmpty());
        opt.put("mac_overhead_pct", PlanCost.macOverheadPct(p));
        opt.put("transfer_bytes", PlanCost.transferBytes(p));
        opt.put("banks", p.banks().stream().map(b -> Map.of("name", b.name(), "bytes", b.bytes())).toList());
        spill(r).ifPresent(s -> {
            opt.put("transfer_ms", s.transferMs());
            opt.put("direct_access_ms", s.directMs());
            opt.put("memories", s.memories());
            opt.put("spills", s.spills().stream().map(m -> Map.of("tensor", m.tensor(), "bytes", m.bytes(), "memory", m.memory(), "mapped", m.mapped(),
                    "after_op_position", m.after(), "before_op_position", m.before())).toList());
        });
        opt.put("verified", r.verified());
        opt.put("verification", r.verification());
        // a plan of a model with an operator tinyfit has no kernel for is checked statically only: never "verified"
        opt.put("executed", r.check() != null);
        opt.put("execution_blocked_by", r.executionBlocker());
        opt.put("scheduler", r.ordering().scheduler());
        opt.put("keep_inputs", p.keepInputs());
        opt.put("keep_inputs_note", inputsNote(p));
        if (r.dmo() != null) opt.put("without_dmo_bytes", r.dmo().withoutDmoBytes());
        doc.put("optimized", opt);
        if (r.writesAnotherPlan()) {
            // the .tflite holds the best whole-operator plan: a plan over regions has no TFLM offline form
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("planner", r.written().planner());
            file.put("arena_bytes", r.written().arenaBytes());
            file.put("tflm_arena", ArenaSummary.json(r.written().graph(), r.writtenArena(), pointerBytes));
            file.put("deployability", io.tinyfit.plan.Deployability.of(r.written().graph(), r.lint()).label());
            doc.put("written_file", file);
        }
        tiling(r).ifPresent(t -> doc.put("tiling", t.toJson()));
        doc.put("fit", FitReport.json(fit));
        doc.put("search", search.map(OptimizeReport::searchJson).orElse(null));
        doc.put("lower_bound_bytes", r.lowerBoundBytes());
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int s = 0; s < p.stepCount(); s++) steps.add(step(s, p.step(s), p, r.ordering()));
        doc.put("steps", steps);
        doc.put("buffers", p.buffers().stream().map(b -> AnalyzeReport.buffer(b, true)).toList());
        Map<Integer, Buffer> byTensor = p.tensorBuffers();
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

    /** What spill did, when the chosen plan is its plan (it has a slower bank). */
    static java.util.Optional<io.tinyfit.spill.SpillSummary> spill(Optimizer.Result r) {
        if (r.plan().banks().size() < 2 || !(r.explanations().get(io.tinyfit.spill.SpillPass.NAME) instanceof io.tinyfit.spill.SpillSummary s)) return java.util.Optional.empty();
        return java.util.Optional.of(s);
    }

    /** The plan search: every method set tried with what its plan needs, what was left out and why, and the choice. */
    static Map<String, Object> searchJson(PlanSearch.Outcome o) {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<Map<String, Object>> tried = new ArrayList<>();
        for (PlanSearch.Candidate c : o.tried()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("methods", c.methods());
            m.put("needed_bytes", c.neededBytes());
            m.put("needed_is_whole_arena", c.wholeArena());
            m.put("deployability", c.deployability().label());
            m.put("mac_overhead_pct", c.macOverheadPct());
            m.put("transfer_bytes", c.transferBytes());
            m.put("seconds", Math.round(c.seconds() * 1000) / 1000.0);
            m.put("verification", c.result().verification());
            m.put("rejected", c.rejection());
            tried.add(m);
        }
        doc.put("tried", tried);
        doc.put("not_tried", o.notTried());
        doc.put("stopped", o.stop());
        doc.put("chosen", o.written().methods());
        doc.put("smaller_plan", o.smaller() == null ? null : Map.of("methods", o.smaller().methods(), "needed_bytes", o.smaller().neededBytes(),
                "deployability", o.smaller().deployability().label(), "needs", smallerNeeds(o.smaller())));
        return doc;
    }

    /** The search for people: one line per method set, the choice, and what a smaller plan would need. */
    public static String searchText(PlanSearch.Outcome o) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("  plan search (every method, cheapest first; --methods runs one set): %d method set%s tried%n", o.tried().size(),
                o.tried().size() == 1 ? "" : "s"));
        for (PlanSearch.Candidate c : o.tried()) {
            sb.append(String.format(Locale.ROOT, "    %-24s %,12d B%s  %-15s MAC +%.1f%%  %,d B moved  %5.1f s%s%n", c.label(), c.neededBytes(),
                    c.wholeArena() ? "" : " (plan)", c.deployability().label(), c.macOverheadPct(), c.transferBytes(), c.seconds(),
                    c == o.written() ? "  <- chosen" : c.eligible() ? "" : "  not chosen: " + c.rejection()));
        }
        if (o.stop() != null) {
            sb.append("    stopped: ").append(o.stop());
            if (!o.notTried().isEmpty()) sb.append("; not tried: ").append(String.join("; ", o.notTried().stream().map(m -> String.join(",", m)).toList()));
            sb.append('\n');
        }
        if (o.smaller() != null) {
            sb.append(String.format(Locale.ROOT, "    a smaller plan exists: %s needs %,d B but %s; the written .tflite is the best stock-TFLM plan%n",
                    o.smaller().label(), o.smaller().neededBytes(), smallerNeeds(o.smaller())));
        }
        return sb.toString();
    }

    private static String smallerNeeds(PlanSearch.Candidate c) {
        return "runs only as tinyfit's generated C (" + c.deployability().reason() + "): tinyfit codegen MODEL -o DIR --methods " + c.label();
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
     * One step as SCHEMA.md writes it: {@code op} indexes the operators of the model as read (the written model has
     * them in the plan's order), {@code kind} is the operator kind, {@code step_kind} what the step does.
     */
    private static Map<String, Object> step(int index, Step step, Plan p, io.tinyfit.schedule.Ordering ordering) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("op", step.op() < 0 ? null : ordering.order().get(step.op()));
        m.put("kind", step.op() < 0 ? null : p.graph().ops().get(step.op()).kind());
        m.put("step_kind", step.kind().label());
        m.put("region", AnalyzeReport.region(step.region()));
        m.put("in_channels", step.inChannels() == null ? null : Map.of("lo", step.inChannels()[0], "hi", step.inChannels()[1]));
        if (step.kind() == StepKind.COPY) {
            m.put("from", step.from());
            m.put("to", step.to());
        } else {
            m.put("input_buffers", step.inputs());
            m.put("output_buffers", step.outputs());
            if (step.accumulator() >= 0) m.put("accumulator", step.accumulator());
        }
        return m;
    }

    private static double savingPct(long from, long to) {
        return Math.round(1000.0 * (from - to) / Math.max(1, from)) / 10.0;
    }

    /** The baseline's and the written model's predicted whole arenas, when TFLM runs the model and both are predicted. */
    private static java.util.Optional<io.tinyfit.tiling.TilingPass.Summary> tiling(Optimizer.Result r) {
        return r.explanations().get(io.tinyfit.tiling.TilingPass.NAME) instanceof io.tinyfit.tiling.TilingPass.Summary t ? java.util.Optional.of(t) : java.util.Optional.empty();
    }

    private static java.util.Optional<long[]> wholeArena(Optimizer.Result r, int pointerBytes) {
        var before = ArenaSummary.shown(r.baseline().graph(), r.baselineArena(), pointerBytes);
        var after = ArenaSummary.shown(r.plan().graph(), r.arena(), pointerBytes);
        if (before.isEmpty() || after.isEmpty()) return java.util.Optional.empty();
        return java.util.Optional.of(new long[] {before.get().predictedMinBytes(), after.get().predictedMinBytes()});
    }

    /** Which lifetime the plan assumed for the graph inputs, and whether the caller's input data survives it. */
    static String inputsNote(Plan p) {
        if (p.keepInputs()) return "kept intact until the inference ends (--keep-inputs): no other buffer reuses or overlaps their bytes";
        String rule = "free after their last reader, as in TFLM (--keep-inputs keeps them)";
        Map<Integer, Buffer> byTensor = p.tensorBuffers();
        List<String> reused = new ArrayList<>();
        for (int t : p.graph().inputs()) {
            Buffer in = byTensor.get(t);
            if (in == null) continue;
            // the earliest buffer to take any of the input's bytes is where the caller's data starts to go
            p.buffers().stream().filter(b -> b != in && b.sharesBytesWith(in)).min(Comparator.comparingInt(Buffer::firstStep))
                    .ifPresent(b -> reused.add("input tensor " + t + " by " + b.name() + " at step " + b.firstStep()));
        }
        return reused.isEmpty() ? rule + "; this plan happens to reuse none of their bytes, so they survive"
                : rule + "; the caller's input data does not survive this plan, first overwritten: " + String.join(", ", reused);
    }


    public static String summary(Optimizer.Result r, int pointerBytes) {
        long base = r.baseline().arenaBytes();
        long opt = r.plan().arenaBytes();
        StringBuilder sb = new StringBuilder();
        int ops = r.baseline().graph().ops().size();
        // a plan over regions runs an operator in several steps: both counts, so neither is mistaken for the other
        sb.append(String.format("%s: %d operators%s%n", r.baseline().graph().source(), ops, r.plan().stepCount() == ops ? "" : " in " + r.plan().stepCount() + " steps"));
        var whole = wholeArena(r, pointerBytes);
        if (whole.isPresent()) {
            long[] w = whole.get();
            if (!r.writesAnotherPlan()) {
                sb.append(String.format("  TFLM whole arena (kTensorArenaSize, %d-bit, %s kernels%s): %,d -> %,d bytes (%s); the written file needs %,d bytes%n",
                        pointerBytes * 8, r.arena().kernels(), ArenaSummary.estimateNote(r.arena().kernels()), w[0], w[1], ArenaSummary.change(w[0], w[1]), w[1]));
            } else {
                sb.append(String.format("  TFLM whole arena (kTensorArenaSize, %d-bit, %s kernels%s): %,d bytes for the model as given%n",
                        pointerBytes * 8, r.arena().kernels(), ArenaSummary.estimateNote(r.arena().kernels()), w[0]));
            }
        } else {
            sb.append("  ").append(ArenaSummary.line(r.plan().graph(), r.arena(), pointerBytes)).append(String.format("%n"));
        }
        if (r.writesAnotherPlan()) {
            var file = ArenaSummary.shown(r.written().graph(), r.writtenArena(), pointerBytes);
            sb.append(String.format("  this plan runs over regions: it needs tinyfit's generated C (tinyfit codegen, or --emit-c), whose static arena is its%n"
                    + "    head below, with no TFLM tail; the written .tflite carries the best whole-operator plan of these methods (%s, head %,d bytes%s)%n",
                    r.written().planner(), r.written().arenaBytes(), file.map(e -> String.format(", TFLM whole arena %,d bytes", e.predictedMinBytes())).orElse("")));
        }
        String refused = TflmSupport.refusal(r.baseline().graph()).isPresent() ? "  [TFLM refuses this model: as TFLM would plan it]" : "";
        sb.append(String.format("  TFLM baseline arena (%s; head section): %,12d bytes%s%n", BaselineLabel.of(r.baseline(), "greedy, file order"), base, refused));
        if (r.filePlan() == FilePlan.Status.UNSAFE) sb.append("  the file's own offline plan failed verification: it is not the baseline, TFLM's online plan is\n");
        sb.append(String.format("  optimised arena (%s, order: %s; head section): %,12d bytes  (%s of the head%s)%s%n", r.plan().planner(), r.ordering().scheduler(),
                opt, ArenaSummary.change(base, opt), whole.filter(w -> !r.writesAnotherPlan()).map(w -> ", " + ArenaSummary.change(w[0], w[1]) + " of the whole arena").orElse(""), refused));
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
        tiling(r).ifPresent(t -> {
            sb.append(String.format("  tiling: %s, %,d bytes at %.1f%% extra MACs (%d plans placed; layout: %s in the search, %s for the plan)%s%n",
                    t.applied() ? "applied" : "not kept", t.arenaBytes(), t.macOverheadPct(), t.plansPlaced(), io.tinyfit.tiling.Tiler.PLANNER, t.planner(),
                    t.paths().isEmpty() ? "; no path split" : ""));
            for (io.tinyfit.tiling.TilingPass.PathChoice c : t.paths()) sb.append("    ").append(c.describe()).append('\n');
        });
        spill(r).ifPresent(s -> {
            sb.append(String.format("  spill: %d tensor(s) to %s, SRAM %,d -> %,d bytes; %,d bytes moved per inference, about %.3f ms%s%n", s.spills().size(),
                    String.join(", ", s.bankBytes().entrySet().stream().map(e -> e.getKey() + " (" + String.format("%,d", e.getValue()) + " B used)").toList()),
                    s.sramBefore(), s.sramAfter(), s.transferBytes(), s.transferMs(), s.directMs() > 0 ? String.format(", plus %.3f ms reading mapped memory in place", s.directMs()) : ""));
            if (s.sramBudget() >= 0) sb.append(String.format("    SRAM budget %,d bytes: %s%n", s.sramBudget(), s.budgetMet() ? "met" : "NOT met"));
        });
        ArenaSummary.headNote(r.baseline().graph()).ifPresent(n -> sb.append("  note: ").append(n).append('\n'));
        sb.append(String.format("  lower bound of that order:                %,12d bytes%n", r.lowerBoundBytes()));
        sb.append("  graph inputs: ").append(inputsNote(r.plan())).append('\n');
        if (!r.plan().overlaps().isEmpty()) {
            String k = r.arena().kernels();
            sb.append(k.equals(io.tinyfit.arena.ArenaEstimate.REFERENCE_KERNELS)
                    ? "  note: the overlaps assume TFLM's reference kernels (not CMSIS-NN or other optimised kernels)\n"
                    : "  note: the overlaps are only at operators " + k + " leaves to TFLM's reference kernels, whose loop order they assume\n");
        }
        sb.append(r.deployability().isStockTflm() ? "  deployable: stock-tflm (the written .tflite runs in an unmodified TFLM build)\n"
                : String.format("  deployable: %s (%s)%n", r.deployability().label(), r.deployability().reason()));
        if (!r.executable()) {
            sb.append("  verified: statically only; UNVERIFIED BY EXECUTION: ").append(r.executionBlocker())
                    .append(" (the plan is never executed; DMO skips that operator; run and codegen refuse it)\n");
        } else {
            sb.append(String.format("  verified: %s%s%n", r.verified() ? "yes, " + r.check().describe() : "NO (" + (r.check() == null ? "not executed" : r.check().firstMismatch()) + ")",
                    refused.isEmpty() ? "" : " by tinyfit's own runtime, which is what runs this plan: TFLM refuses the model"));
        }
        return sb.toString();
    }
}
