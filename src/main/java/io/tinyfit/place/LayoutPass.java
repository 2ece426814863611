package io.tinyfit.place;

import io.tinyfit.layout.PlannerSuite;
import io.tinyfit.arena.KernelTarget;
import io.tinyfit.plan.BufferRequests;
import io.tinyfit.plan.Pass;
import io.tinyfit.plan.PassContext;
import io.tinyfit.plan.Placement;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.TflmBaseline;

/**
 * {@code layout}: better offsets for the plan's buffers, from every strategy of the {@link PlannerSuite} (TFLM's
 * greedy planner among them, so never worse). The tensors go to the best layout's offsets; kernel scratch buffers
 * are fitted around them by TFLM's own rules, since stock TFLM places scratch requests at run time whatever an
 * offline plan says.
 */
public final class LayoutPass implements Pass {
    public static final String NAME = "layout";

    private PlannerSuite.Result run;

    @Override public String name() { return NAME; }

    @Override public int rank() { return RANK_PLACEMENT; }

    @Override public Outcome apply(Plan plan, PassContext ctx) {
        // the kernel library's scratch buffers (the reference kernels' unless the optimisation is for another library)
        KernelTarget kernels = ctx.shared(KernelTarget.class).orElse(KernelTarget.REFERENCE);
        Placement placement = Placement.of(BufferRequests.of(plan.graph(), plan.order(), plan.keepInputs(), kernels::scratchBytes), TflmBaseline.TFLM_ALIGNMENT);
        run = PlannerSuite.run(placement.problem(), ctx.layout());
        String name = run.bestStrategy() + (placement.hasScratch() ? "+tflm-scratch" : "");
        Plan placed = TflmBaseline.withFixedTensors(plan.graph(), plan.order(), placement.requests(), placement.tensorOffsets(run.best()), name,
                plan.keepInputs());
        return new Outcome(placed, run);
    }

    /** Every strategy's arena on this problem, the lower bound and whether the best is proven optimal. */
    @Override public PlannerSuite.Result explain(Plan chosen, PassContext ctx) { return run; }
}
