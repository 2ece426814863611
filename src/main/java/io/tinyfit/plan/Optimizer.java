package io.tinyfit.plan;

import io.tinyfit.dmo.DmoAnalysis;
import io.tinyfit.kernels.GraphPreparation;
import io.tinyfit.layout.Layout;
import io.tinyfit.layout.LayoutProblem;
import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.schedule.OverlapModel;
import io.tinyfit.tflite.OfflineMemoryAllocation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Composes the planning passes: operator order (optional), offset layout, then the head a stock TFLM build will
 * really use — tensors at their offline offsets, kernel scratch buffers fitted around them by TFLM's greedy
 * rules (scratch requests are only known at run time and cannot be placed offline). The result is checked
 * statically ({@link PlanVerifier}) and by execution ({@link ExecutionCheck}); a plan that is not smaller
 * than TFLM's own is replaced by TFLM's plan, so the optimised arena never exceeds the baseline.
 */
public final class Optimizer {
    public static final String REORDER = "reorder";
    public static final String LAYOUT = "layout";
    public static final String DMO = "dmo";

    private Optimizer() {}

    /**
     * @param methods        which passes run ({@link #REORDER}, {@link #LAYOUT}, {@link #DMO})
     * @param orderSearch    the operator-order pass: returns the chosen order and the name of its scheduler
     */
    public record Options(Set<String> methods, PlannerSuite.Options layout, OrderSearch orderSearch, DmoSummary.Search dmoSearch) {
        /** The black-box DMO search runs on the peak steps' pairs only. */
        public Options(Set<String> methods, PlannerSuite.Options layout, OrderSearch orderSearch) {
            this(methods, layout, orderSearch, DmoSummary.Search.PEAK);
        }
    }

    /** The operator-order pass (bound to the schedule package by the caller), overlap-aware when DMO runs. */
    @FunctionalInterface
    public interface OrderSearch {
        Ordering search(Graph g, PlannerSuite.Options layout, OverlapModel overlaps);
    }

    /** An operator order chosen by a scheduler. */
    public record Ordering(List<Integer> order, String scheduler, boolean exact) {}

    /**
     * @param graph     the model to write: operators in the plan's order, offline plan attached
     * @param baseline  TFLM's plan of the original model
     * @param plan      the chosen plan (on {@code graph}, whose operator order is the plan's)
     * @param layoutRun what the layout pass found, null when it did not run
     * @param withoutDmo the best plan of the same order without overlaps (the other methods only)
     * @param dmo        what DMO did per step, null when it did not run
     * @param filePlan   whether the original file carried an offline plan, and whether it verified (an unsafe one
     *                   is not the baseline: TFLM's online plan is)
     */
    public record Result(Graph graph, Plan baseline, Plan plan, Ordering ordering, PlannerSuite.Result layoutRun,
                         long lowerBoundBytes, ExecutionCheck.Result check, Plan withoutDmo, DmoSummary dmo, FilePlan.Status filePlan) {
        public boolean verified() { return check != null && check.passed(); }
    }

    public static Result optimize(Graph original, Options options) {
        // no overlap analysis, order search or layout sees an operator that did not pass its preparation
        GraphPreparation.forExecution(original, Plans.fileOrder(original));
        // the file's own plan is the baseline only when it verified; an unsafe one never yields a saving
        FilePlan.Check filePlan = FilePlan.check(original);
        Plan baseline = filePlan.status() == FilePlan.Status.UNSAFE ? TflmBaseline.online(original, Plans.fileOrder(original)) : filePlan.plan();
        boolean dmo = options.methods().contains(DMO);
        DmoAnalysis analysis = new DmoAnalysis();
        OverlapModel overlaps = dmo ? analysis.overlapModel(original) : OverlapModel.NONE;
        Ordering ordering = options.methods().contains(REORDER)
                ? options.orderSearch().search(original, options.layout(), overlaps)
                : new Ordering(Plans.fileOrder(original), "file-order", true);
        Graph g = reorder(original, ordering.order());
        List<Integer> identity = Plans.fileOrder(g);
        List<BufferRequests.Request> requests = BufferRequests.of(g, identity);

        Plan candidate;
        PlannerSuite.Result layoutRun = null;
        if (options.methods().contains(LAYOUT)) {
            LayoutProblem.Builder pb = LayoutProblem.builder(TflmBaseline.TFLM_ALIGNMENT);
            for (BufferRequests.Request r : requests) pb.addBuffer(r.rawBytes(), r.firstTime(), r.lastTime());
            layoutRun = PlannerSuite.run(pb.build(), options.layout());
            candidate = deployable(g, identity, requests, layoutRun.best(), layoutRun.bestStrategy());
        } else {
            // planned afresh: offsets the file carries belong to its own order, not to this one
            candidate = TflmBaseline.online(g, identity);
        }
        Plan withoutDmo = candidate;
        List<DmoAnalysis.Candidate> candidates = null;
        if (dmo) {
            candidates = analysis.candidates(g, identity);
            DmoPlanning.Result overlapped = DmoPlanning.plan(g, identity, requests, candidates, options.layout());
            // DMO only relaxes constraints, but heuristics are not monotone: never report a DMO plan that is larger
            if (overlapped.plan().arenaBytes() < candidate.arenaBytes()) {
                candidate = overlapped.plan();
                layoutRun = overlapped.layoutRun();
            }
        }
        Plan chosen = candidate;
        Graph chosenGraph = g;
        if (candidate.arenaBytes() >= baseline.arenaBytes()) {
            // Nothing gained: keep TFLM's own order and placement, which stock TFLM reproduces anyway.
            chosen = baseline;
            chosenGraph = original;
            withoutDmo = baseline;
            ordering = new Ordering(Plans.fileOrder(original), "file-order", ordering.exact());
            if (dmo) candidates = analysis.candidates(original, Plans.fileOrder(original));
        }
        PlanVerifier.check(chosen);
        ExecutionCheck.Result check = ExecutionCheck.run(chosen);
        Map<Integer, Long> offsets = new HashMap<>();
        for (Buffer b : chosen.buffers()) if (b.kind() == Buffer.Kind.TENSOR) offsets.put(b.tensor(), b.offset());
        Graph written = OfflineMemoryAllocation.attach(chosenGraph, offsets);
        Plan onWritten = chosen.withGraph(written);
        // with overlaps the working set is no longer a bound; the overlap-aware bound of the layout problem is
        long lowerBound = chosen.overlaps().isEmpty() || layoutRun == null ? onWritten.peakLiveBytes() : Math.min(onWritten.peakLiveBytes(), layoutRun.lowerBound());
        return new Result(written, baseline, onWritten, ordering, layoutRun, lowerBound, check,
                withoutDmo.withGraph(written), dmo ? DmoSummary.of(written, withoutDmo, onWritten, candidates, options.dmoSearch()) : null,
                filePlan.status());
    }

    /** The graph with its main operators in the given order. */
    public static Graph reorder(Graph g, List<Integer> order) {
        List<Op> ops = new ArrayList<>();
        for (int i : order) ops.add(g.ops().get(i));
        return g.withOps(ops);
    }

    /**
     * What stock TFLM does with an offline plan: tensor buffers fixed at the layout's offsets, scratch buffers
     * placed online by its greedy planner around them.
     */
    static Plan deployable(Graph g, List<Integer> order, List<BufferRequests.Request> requests, Layout layout, String strategy) {
        Map<Integer, Long> tensorOffsets = new HashMap<>();
        boolean anyScratch = false;
        for (int i = 0; i < requests.size(); i++) {
            BufferRequests.Request r = requests.get(i);
            if (r.kind() == Buffer.Kind.TENSOR) tensorOffsets.put(r.tensor(), layout.offset(i));
            else anyScratch = true;
        }
        return TflmBaseline.withFixedTensors(g, order, requests, tensorOffsets, anyScratch ? strategy + "+tflm-scratch" : strategy);
    }
}
