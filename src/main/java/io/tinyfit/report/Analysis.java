package io.tinyfit.report;

import io.tinyfit.arena.ArenaByWidth;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;
import io.tinyfit.tflite.TflmLint;
import io.tinyfit.tflite.TinyfitMarker;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code tinyfit analyze} reports: per step the operator, its output, and the bytes live during the step
 * under the TFLM baseline plan; the baseline arena; the working-set lower bound and its step; the whole TFLM arena of
 * both pointer widths; the tinyfit marker of a file tinyfit wrote (null otherwise); and what TFLM's load-time
 * checks find in the file ({@code lint}).
 */
public record Analysis(Graph graph, Plan baseline, List<StepRow> steps, long lowerBoundBytes, int peakStep, ArenaByWidth arena,
                       TinyfitMarker marker, TflmLint.Report lint) {

    /** One executed operator. {@code liveBytes} sums the planned (aligned) sizes of the buffers live at the step. */
    public record StepRow(int index, int op, String kind, List<Tensor> outputs, long outputBytes, long liveBytes) {}

    /** The analysis of a model built in code, linted as the writer would write it. */
    public static Analysis of(Graph g) { return of(g, TflmBaseline.plan(g), TflmLint.check(g)); }

    /**
     * The analysis under a given baseline (TFLM's plan of the model, with the file's offline plan if it carries one)
     * with the file's lint report.
     */
    public static Analysis of(Graph g, Plan base, TflmLint.Report lint) {
        List<StepRow> rows = new ArrayList<>();
        long best = 0;
        int peak = 0;
        for (int s = 0; s < base.stepCount(); s++) {
            int opIndex = base.order().get(s);
            Op op = g.ops().get(opIndex);
            List<Tensor> outs = op.outputs().stream().map(g::tensor).toList();
            long outBytes = outs.stream().mapToLong(Tensor::bytes).sum();
            long live = base.liveBytes(s);
            rows.add(new StepRow(s, opIndex, op.kind(), outs, outBytes, live));
            if (live > best) {
                best = live;
                peak = s;
            }
        }
        return new Analysis(g, base, rows, best, peak, ArenaByWidth.of(g, base.arenaBytes()), TinyfitMarker.read(g).orElse(null), lint);
    }

    /**
     * The analysis for a TFLM build with {@code kernels}: TFLM's plan with that library's scratch buffers, and the
     * whole arena (an estimate) with its scratch requests; unchanged for the reference kernels.
     */
    public Analysis withKernels(io.tinyfit.arena.KernelTarget kernels) {
        if (kernels.isReference()) return this;
        Plan lib = io.tinyfit.plan.LibraryPlans.baseline(graph, kernels);
        Analysis a = of(graph, lib, lint);
        return new Analysis(graph, lib, a.steps(), a.lowerBoundBytes(), a.peakStep(), ArenaByWidth.of(graph, lib.arenaBytes(), kernels), marker, lint);
    }
}
