package io.tinyfit.api;

import io.tinyfit.plan.Buffer;
import io.tinyfit.plan.OpCost;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepKind;

/**
 * What running a plan costs beyond the model's own work, the figures the plan search ranks candidates by after
 * deployability: the multiply-accumulates its steps repeat (tiles recompute their halos) and the bytes its copy
 * steps move between banks (spilling). Both are derived from the steps, never declared by a pass.
 */
public final class PlanCost {
    private PlanCost() {}

    /** MACs the steps execute above the model's, in percent of the model's ({@link OpCost#overheadPct}). */
    public static double macOverheadPct(Plan p) { return OpCost.overheadPct(p); }

    /** Bytes the plan's copy steps move between banks (spill and fetch). */
    public static long transferBytes(Plan p) {
        long sum = 0;
        for (Step s : p.steps()) {
            if (s.kind() != StepKind.COPY) continue;
            Buffer from = p.buffers().get(s.from());
            Buffer to = p.buffers().get(s.to());
            if (from.bank().equals(to.bank())) continue;
            long elements = s.region() == null ? p.graph().tensor(to.tensor()).shape().numElements() : s.region().elements();
            sum += elements * p.graph().tensor(to.tensor()).dtype().bytes();
        }
        return sum;
    }
}
