package io.tinyfit.report;

import io.tinyfit.api.Optimizer;
import io.tinyfit.api.PlanCost;
import io.tinyfit.api.PlanSearch;
import io.tinyfit.arena.ArenaByWidth;
import io.tinyfit.arena.ArenaEstimate;
import io.tinyfit.dmo.DmoSummary;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.OpCost;
import io.tinyfit.plan.Plan;
import io.tinyfit.tflite.TinyfitMarker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.tinyfit.report.Html.bytes;
import static io.tinyfit.report.Html.esc;

/**
 * The {@code --report FILE.html} of {@code analyze} and {@code optimize}: one self-contained page (inline CSS and
 * SVG, no script, nothing fetched) with the model summary, the bytes live at each step, arena maps, what each
 * technique did at each step, the methods with their savings and overheads, and whether the whole arena fits a
 * list of SRAM sizes or boards. For {@code analyze} the page shows TFLM's plan alone.
 */
public final class HtmlReport {
    private static final String STYLE = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1040px;color:#222;padding:0 16px}
            h1{font-size:22px;margin-bottom:4px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc;padding-bottom:4px}
            .sub{color:#666;margin-top:0}table{border-collapse:collapse;margin:8px 0;font-size:13px}
            th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}
            td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
            .fits{color:#17692b;font-weight:600}.short{color:#b00020;font-weight:600}
            .cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:200px}
            .card b{display:block;font-size:18px}.note{color:#555;font-size:13px}svg{max-width:100%;height:auto}
            details{margin:8px 0}summary{cursor:pointer;color:#1f4e8c}
            """;

    private final Graph graph;
    private final Plan baseline;
    private final ArenaByWidth baselineArena;
    /** Null for {@code analyze}: TFLM's plan alone. */
    private final Optimizer.Result result;
    private final List<String> methods;
    private final long lowerBound;
    private final List<FitTarget> targets;
    /** The plan search that chose the plan; null when {@code --methods} named one set, or for {@code analyze}. */
    private final PlanSearch.Outcome search;

    private HtmlReport(Graph graph, Plan baseline, ArenaByWidth baselineArena, Optimizer.Result result, List<String> methods,
                       long lowerBound, List<FitTarget> targets, PlanSearch.Outcome search) {
        this.search = search;
        this.graph = graph;
        this.baseline = baseline;
        this.baselineArena = baselineArena;
        this.result = result;
        this.methods = List.copyOf(methods);
        this.lowerBound = lowerBound;
        this.targets = List.copyOf(targets);
    }

    /** The report of {@code analyze}: the model under TFLM's own plan. */
    public static String of(Analysis a, List<FitTarget> targets) {
        return new HtmlReport(a.graph(), a.baseline(), a.arena(), null, List.of(), a.lowerBoundBytes(), targets, null).page();
    }

    /** The report of {@code optimize}: TFLM's plan against the chosen one. */
    public static String of(Optimizer.Result r, List<String> methods, List<FitTarget> targets) {
        return of(r, methods, targets, Optional.empty());
    }

    /** The same with the plan search that chose the plan: every method set tried, what each needs, the choice. */
    public static String of(Optimizer.Result r, List<String> methods, List<FitTarget> targets, Optional<PlanSearch.Outcome> search) {
        return new HtmlReport(r.baseline().graph(), r.baseline(), r.baselineArena(), r, methods, r.lowerBoundBytes(), targets, search.orElse(null)).page();
    }

    private String page() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.append("<title>tinyfit report: ").append(esc(graph.source())).append("</title>\n<style>").append(STYLE).append("</style></head>\n<body>\n");
        sb.append("<h1>tinyfit report: ").append(esc(graph.source())).append("</h1>\n");
        sb.append("<p class=\"sub\">tinyfit ").append(esc(TinyfitMarker.VERSION)).append(", TFLM ").append(esc(chosenArena().kernels()))
                .append(" kernels").append(esc(ArenaSummary.estimateNote(chosenArena().kernels()))).append("; ").append(result == null ? "TFLM's own plan (tinyfit analyze)" : "methods: " + esc(methods.isEmpty() ? "none" : String.join(", ", methods)))
                .append("</p>\n");
        sb.append(summary()).append(model()).append(liveBytes()).append(arenaMaps());
        if (result != null) sb.append(steps()).append(methodsSection());
        sb.append(fit());
        return sb.append("</body></html>\n").toString();
    }

    private Plan chosen() { return result == null ? baseline : result.plan(); }

    private ArenaByWidth chosenArena() { return result == null ? baselineArena : result.arena(); }

    private String summary() {
        List<String> cards = new ArrayList<>();
        for (int pointerBytes : new int[] {4, 8}) {
            Optional<Long> before = whole(graph, baselineArena, pointerBytes);
            Optional<Long> after = whole(chosen().graph(), chosenArena(), pointerBytes);
            String label = "whole TFLM arena, " + pointerBytes * 8 + "-bit";
            if (before.isEmpty()) cards.add(card(label, "not predicted", ArenaSummary.line(graph, baselineArena, pointerBytes)));
            else if (result == null) cards.add(card(label, bytes(before.get()), "kTensorArenaSize: head + persistent tail + temporaries"));
            else if (result.writesAnotherPlan()) {
                // a plan over regions has no TFLM arena: the written .tflite carries the best whole-operator plan
                long file = whole(result.written().graph(), result.writtenArena(), pointerBytes).orElseThrow();
                cards.add(card(label, bytes(before.get()) + " → " + bytes(file), ArenaSummary.change(before.get(), file)
                        + " for the written .tflite (the best whole-operator plan); the chosen plan runs over regions as tinyfit's generated C in "
                        + String.format("%,d", chosen().arenaBytes()) + " bytes"));
            }
            else cards.add(card(label, bytes(before.get()) + " → " + bytes(after.orElseThrow()), ArenaSummary.change(before.get(), after.get())));
        }
        cards.add(card("TFLM planned head", result == null ? bytes(baseline.arenaBytes())
                : bytes(baseline.arenaBytes()) + " → " + bytes(chosen().arenaBytes()), BaselineLabel.of(baseline, "TFLM's greedy planner, file order")));
        cards.add(card("lower bound", bytes(lowerBound), "largest working set" + (result == null ? " of the file order" : " of the chosen order")));
        if (result != null) {
            cards.add(card("deployable", esc(result.deployability().label()), result.deployability().reason() == null
                    ? "the written .tflite runs in an unmodified TFLM build" : result.deployability().reason()));
            cards.add(card("verified", result.verified() ? "yes" : result.executable() ? "NO" : "statically only", result.verification()));
        }
        return "<h2 id=\"summary\">Summary</h2>\n<div class=\"cards\">" + String.join("", cards) + "</div>\n";
    }

    private static String card(String label, String value, String note) {
        return "<div class=\"card\">" + esc(label) + "<b>" + value + "</b><span class=\"note\">" + esc(note) + "</span></div>";
    }

    private String model() {
        StringBuilder sb = new StringBuilder("<h2 id=\"model\">Model</h2>\n");
        sb.append(String.format("<p>%d operators, %d tensors.</p>%n", graph.ops().size(), graph.tensors().size()));
        List<List<String>> io = new ArrayList<>();
        for (int i = 0; i < graph.inputs().size(); i++) io.add(ioRow("input " + i, graph.tensor(graph.inputs().get(i))));
        for (int i = 0; i < graph.outputs().size(); i++) io.add(ioRow("output " + i, graph.tensor(graph.outputs().get(i))));
        sb.append(Html.table("io", List.of("", "tensor", "type", "shape", "scale", "zero point", "bytes"), io));
        List<List<String>> ops = new ArrayList<>();
        long macs = 0, weights = 0;
        for (int i = 0; i < graph.ops().size(); i++) {
            Op op = graph.ops().get(i);
            OpCost c = OpCost.of(graph, op);
            macs += c.macs();
            weights += c.weightBytes();
            Tensor out = op.outputs().isEmpty() ? null : graph.tensor(op.output(0));
            ops.add(List.of(String.valueOf(i), esc(op.kind()), out == null ? "" : esc(out.shape() + " " + out.dtype().label()),
                    String.format("%,d", c.macs()), bytes(c.weightBytes())));
        }
        ops.add(List.of("", "<b>total</b>", "", String.format("%,d", macs), bytes(weights)));
        sb.append(Html.table("operators", List.of("op", "kind", "output", "MACs", "weight bytes"), ops));
        return sb.toString();
    }

    private static List<String> ioRow(String what, Tensor t) {
        boolean q = t.quant().hasScale();
        return List.of(what, esc(t.label()), t.dtype().label(), esc(t.shape()), q ? esc(t.quant().scale()) : "", q ? String.valueOf(t.quant().zeroPoint()) : "",
                bytes(t.bytes()));
    }

    private String liveBytes() {
        List<ReportCharts.Line> lines = new ArrayList<>();
        lines.add(new ReportCharts.Line("TFLM plan", live(baseline), baseline.arenaBytes()));
        if (result != null) {
            DmoSummary dmo = result.dmo();
            if (dmo == null || result.plan().overlaps().isEmpty()) {
                lines.add(new ReportCharts.Line("optimised plan", live(result.plan()), result.plan().arenaBytes()));
            } else {
                lines.add(new ReportCharts.Line("optimised order", live(result.plan()), dmo.withoutDmoBytes()));
                long[] shared = dmo.steps().stream().mapToLong(DmoSummary.StepRow::liveBytesWithOverlaps).toArray();
                lines.add(new ReportCharts.Line("optimised with DMO overlaps", shared, result.plan().arenaBytes()));
            }
        }
        return "<h2 id=\"live\">Bytes live at each step</h2>\n<p class=\"note\">The sum of the planned buffers live during each step; an arena can be no "
                + "smaller than its plan's highest step. Dashed lines: each plan's arena (head section).</p>\n"
                + ReportCharts.liveBytes("chart-live", lines) + "\n";
    }

    private static long[] live(Plan p) {
        long[] v = new long[p.stepCount()];
        for (int s = 0; s < v.length; s++) v[s] = p.liveBytes(s);
        return v;
    }

    private String arenaMaps() {
        StringBuilder sb = new StringBuilder("<h2 id=\"arena\">Arena map</h2>\n<p class=\"note\">Each buffer is a rectangle over the steps it lives (x) "
                + "and the bytes it takes (y); hover over one for what it is. Buffers are translucent: where two share bytes at a step (a DMO overlap) "
                + "the bytes are drawn again in red. A tile of a tiled plan (part of a tensor) is drawn in orange with its region.</p>\n");
        sb.append(ReportCharts.arenaMap("chart-arena-baseline", "TFLM plan: " + String.format("%,d B", baseline.arenaBytes()),
                ArenaRect.of(baseline), baseline.arenaBytes())).append('\n');
        if (result != null) {
            sb.append(ReportCharts.arenaMap("chart-arena-optimised", "Optimised plan: " + String.format("%,d B", result.plan().arenaBytes()),
                    ArenaRect.of(result.plan()), result.plan().arenaBytes())).append('\n');
        }
        sb.append(bufferTable(chosen()));
        return sb.toString();
    }

    private static String bufferTable(Plan p) {
        List<List<String>> rows = new ArrayList<>();
        for (ArenaRect r : ArenaRect.of(p)) {
            rows.add(List.of(esc(r.kind().legend), esc(r.label()), r.region() == null ? "whole" : esc(r.region()), String.format("%,d", r.offset()),
                    bytes(r.bytes()), String.valueOf(r.firstStep()), String.valueOf(r.lastStep())));
        }
        return "<details><summary>Every buffer of the " + (p.planner() == null ? "" : esc(p.planner()) + " ") + "plan (" + rows.size() + " rectangles)</summary>\n"
                + Html.table("buffers", List.of("kind", "buffer", "region", "offset", "bytes", "first step", "last step"), rows) + "</details>\n";
    }

    /** Per step of the chosen plan: where the operator ran before, where its output went, and what DMO did. */
    private String steps() {
        Plan p = result.plan();
        List<Integer> order = result.ordering().order();
        Map<Integer, Buffer> before = baseline.tensorBuffers();
        Map<Integer, Buffer> after = p.tensorBuffers();
        DmoSummary dmo = result.dmo();
        List<List<String>> rows = new ArrayList<>();
        for (int s = 0; s < p.stepCount(); s++) {
            if (!p.isWholeOperators()) {
                // a plan over regions or banks (spill, split, tiling): its steps are not one per operator
                io.tinyfit.plan.Step st = p.step(s);
                String kind = st.op() < 0 ? "copy " + (st.region() == null ? "whole" : st.region()) + " " + p.buffers().get(st.from()).bank() + " -> " + p.buffers().get(st.to()).bank()
                        : st.kind().label() + " " + p.graph().ops().get(st.op()).kind() + (st.region() == null ? "" : " " + st.region());
                rows.add(List.of(String.valueOf(s), st.op() < 0 ? "" : String.valueOf(st.op()), esc(kind), "", bytes(p.liveBytes(s)), "", "", "not run"));
                continue;
            }
            int op = order.get(s);
            Op o = graph.ops().get(op);
            int baseStep = baseline.order().indexOf(op);
            String reorder = !methods.contains(Optimizer.REORDER) ? "not run" : baseStep == s ? "kept at its step" : "moved from step " + baseStep;
            String layout = o.outputs().isEmpty() || !after.containsKey(o.output(0)) ? "" : placement(before.get(o.output(0)), after.get(o.output(0)));
            String dmoCell = dmo == null ? "not run" : esc(dmo.steps().get(s).verdict());
            rows.add(List.of(String.valueOf(s), String.valueOf(op), esc(o.kind()), bytes(baseline.liveBytes(baseStep)),
                    bytes(dmo == null ? p.liveBytes(s) : dmo.steps().get(s).liveBytesWithOverlaps()), esc(reorder), esc(layout), dmoCell));
        }
        return "<h2 id=\"steps\">What each technique did at each step</h2>\n<p class=\"note\">Steps of the optimised plan. Live bytes: at this "
                + "operator's step in the TFLM plan, and in the optimised plan (less the bytes DMO overlaps share).</p>\n"
                + Html.table("table-steps", List.of("step", "op", "kind", "live before", "live after", "reorder", "layout (first output)", "dmo"), rows);
    }

    private static String placement(Buffer before, Buffer after) {
        if (before == null) return String.format("offset %,d", after.offset());
        return before.offset() == after.offset() ? String.format("offset %,d, as TFLM", after.offset())
                : String.format("offset %,d (TFLM: %,d)", after.offset(), before.offset());
    }

    private String methodsSection() {
        List<List<String>> rows = new ArrayList<>();
        long start = baseline.arenaBytes();
        rows.add(List.of("TFLM plan", bytes(start), "", "", "", ""));
        long previous = start;
        for (Optimizer.PassRun run : result.passes()) {
            rows.add(List.of(esc(run.pass()), bytes(run.arenaBytes()), change(previous, run.arenaBytes()), change(start, run.arenaBytes()),
                    "0 MACs (no recomputation)", "0 B (no transfers)"));
            previous = run.arenaBytes();
        }
        rows.add(List.of("<b>chosen plan</b>", bytes(result.plan().arenaBytes()), "", change(start, result.plan().arenaBytes()),
                String.format(java.util.Locale.ROOT, "%.1f%%", PlanCost.macOverheadPct(result.plan())), bytes(PlanCost.transferBytes(result.plan()))));
        return "<h2 id=\"methods\">Methods</h2>\n<p class=\"note\">Each pass in the order it ran, with the arena (head section) of the plan it returned. "
                + "Plan: " + esc(result.plan().planner()) + ", operator order: " + esc(result.ordering().scheduler()) + "; deployable: "
                + esc(result.deployability().label()) + ".</p>\n"
                + Html.table("table-methods", List.of("method", "arena after", "saving (this pass)", "saving (so far)", "MAC overhead", "extra transfers"), rows)
                + searchSection();
    }

    /** The plan search: one row per method set, the figure each plan needs, and why the chosen one won. */
    private String searchSection() {
        if (search == null) return "";
        List<List<String>> rows = new ArrayList<>();
        for (PlanSearch.Candidate c : search.tried()) {
            rows.add(List.of(esc(c.label()), bytes(c.neededBytes()) + (c.wholeArena() ? "" : " (plan arena)"), esc(c.deployability().label()),
                    String.format(java.util.Locale.ROOT, "%.1f%%", c.macOverheadPct()), bytes(c.transferBytes()),
                    String.format(java.util.Locale.ROOT, "%.1f s", c.seconds()),
                    c == search.written() ? "<b>chosen</b>" : c == search.smaller() ? "smaller, needs tinyfit's generated C" : c.eligible() ? "" : esc(c.rejection())));
        }
        StringBuilder notes = new StringBuilder();
        if (search.stop() != null) notes.append(" Stopped: ").append(esc(search.stop())).append('.');
        if (search.smaller() != null) {
            notes.append(" A smaller plan (").append(esc(search.smaller().label())).append(", ").append(bytes(search.smaller().neededBytes()))
                    .append(") runs only as tinyfit's generated C; the written .tflite is the best stock-TFLM plan.");
        }
        return "<h3 id=\"search\">Plan search</h3>\n<p class=\"note\">Method sets from the passes that cost nothing at run time up to every pass, "
                + "each plan's whole TFLM arena (its own arena where TFLM has none); the smallest verified plan within the MAC-overhead limit wins, "
                + "with a budget the cheapest that meets it." + notes + "</p>\n"
                + Html.table("table-search", List.of("methods", "needs", "deployability", "MAC overhead", "transfers", "time", "outcome"), rows);
    }

    private static String change(long from, long to) { return from == to ? "none" : ArenaSummary.change(from, to); }

    /**
     * Whole arenas against each target: the baseline and, for optimize, the chosen plan, on 32- and 64-bit builds.
     * Where TFLM has no whole arena (it refuses the model, or an operator has no allocation model), the plan's head
     * stands in, labelled so: it is all the arena tinyfit's own runtime needs.
     */
    private String fit() {
        List<String> header = new ArrayList<>(List.of("target", "SRAM"));
        List<Long> columns = new ArrayList<>();
        boolean predicted = whole(graph, baselineArena, 4).isPresent();
        for (int pointerBytes : predicted ? new int[] {4, 8} : new int[] {4}) {
            String bits = predicted ? pointerBytes * 8 + "-bit" : "head only";
            long before = whole(graph, baselineArena, pointerBytes).orElse(baseline.arenaBytes());
            header.add("TFLM plan, " + bits + " (" + String.format("%,d B", before) + ")");
            columns.add(before);
            if (result != null) {
                long after = whole(chosen().graph(), chosenArena(), pointerBytes).orElse(chosen().arenaBytes());
                header.add("optimised, " + bits + " (" + String.format("%,d B", after) + ")");
                columns.add(after);
            }
        }
        StringBuilder sb = new StringBuilder("<h2 id=\"fit\">Does it fit?</h2>\n<p class=\"note\">");
        sb.append(predicted ? "The whole arena TFLM needs (kTensorArenaSize: planned head, persistent tail and allocation-time temporaries)"
                : esc(ArenaSummary.line(graph, baselineArena, 4)) + " The plans' heads stand in");
        sb.append(" against each SRAM size; a board also needs SRAM for its stack, its other data and the interpreter object itself.</p>\n");
        List<List<String>> rows = new ArrayList<>();
        for (FitTarget t : targets) {
            List<String> row = new ArrayList<>(List.of(esc(t.name()), esc(FitTarget.size(t.sramBytes()))));
            for (long arena : columns) {
                long spare = t.sramBytes() - arena;
                row.add(spare >= 0 ? "<span class=\"fits\">fits</span>, " + bytes(spare) + " spare"
                        : "<span class=\"short\">does not fit</span>, " + bytes(-spare) + " short");
            }
            rows.add(row);
        }
        return sb.append(Html.table("table-fit", header, rows)).toString();
    }

    /** The predicted whole arena, empty when TFLM refuses the model or an operator has no allocation model. */
    private static Optional<Long> whole(Graph g, ArenaByWidth arena, int pointerBytes) {
        return ArenaSummary.shown(g, arena, pointerBytes).map(ArenaEstimate::predictedMinBytes);
    }
}
