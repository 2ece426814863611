package io.tinyfit.dmo;

import io.tinyfit.plan.BufferRequests;
import io.tinyfit.plan.OverlapModel;
import io.tinyfit.plan.Pass;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Plan;

import java.util.List;

/**
 * {@code dmo}: Diagonal Memory Optimisation. Every legal (input, output) pair of a step may share bytes, the output
 * trailing the reads by the traced safe delta; the buffers are placed again with those allowances and the plan
 * declares the pairs that ended up sharing. It publishes its pairs before any pass runs, so the order search can
 * weigh them, and traces each operator once for all the orders it is asked about.
 */
public final class DmoPass implements Pass {
    public static final String NAME = "dmo";

    private final DmoSummary.Search search;
    private DmoAnalysis analysis;
    private Plan withoutDmo;

    /** @param search where the black-box search cross-checks the traced bounds in the report */
    public DmoPass(DmoSummary.Search search) { this.search = search; }

    @Override public String name() { return NAME; }

    @Override public int rank() { return RANK_OVERLAP; }

    /** Overlaps are proven for the reference kernels' loop order only: stock TFLM, but not every kernel library. */
    @Override public Cost cost() { return Cost.KERNEL_ORDER; }

    @Override public void prepare(PassContext ctx) {
        analysis = new DmoAnalysis(ctx.keepInputs(), ctx.shared(io.tinyfit.arena.KernelTarget.class).orElse(io.tinyfit.arena.KernelTarget.REFERENCE));
        ctx.share(OverlapModel.class, analysis.overlapModel(ctx.original()));
    }

    @Override public Outcome apply(Plan plan, PassContext ctx) {
        withoutDmo = plan;
        io.tinyfit.arena.KernelTarget kernels = ctx.shared(io.tinyfit.arena.KernelTarget.class).orElse(io.tinyfit.arena.KernelTarget.REFERENCE);
        List<BufferRequests.Request> requests = BufferRequests.of(plan.graph(), plan.order(), plan.keepInputs(), kernels::scratchBytes);
        DmoPlanning.Result overlapped = DmoPlanning.plan(plan.graph(), plan.order(), requests, analysis.candidates(plan.graph(), plan.order()),
                ctx.layout(), plan.keepInputs());
        // DMO only relaxes constraints, but the placement heuristics are not monotone: never keep a larger plan
        return overlapped.plan().arenaBytes() < plan.arenaBytes() ? new Outcome(overlapped.plan(), overlapped.layoutRun()) : Outcome.unchanged(plan);
    }

    /** What DMO did at each step of the chosen plan, against the same order without overlaps. */
    @Override public DmoSummary explain(Plan chosen, PassContext ctx) {
        // a later pass re-planned over regions or banks (tiling, partial, spill, split): no DMO overlap is left to explain
        if (!chosen.isWholeOperators()) return null;
        Plan without = withoutDmo != null && withoutDmo.graph() == chosen.graph() && withoutDmo.order().equals(chosen.order())
                ? withoutDmo : chosen.withOverlaps(List.of());
        return DmoSummary.of(chosen.graph(), without, chosen, analysis.candidates(chosen.graph(), chosen.order()), search);
    }
}
