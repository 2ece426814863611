package io.tinyfit.api;

import io.tinyfit.model.Graph;
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

    /**
     * MACs the steps execute above the model's, in percent of the model's (0 for a model without MACs). A compute
     * step does its operator's MACs in proportion to the share of the output region it computes; an accumulate step
     * also in proportion to its share of the input channels; finish and copy steps do none.
     */
    public static double macOverheadPct(Plan p) {
        Graph g = p.graph();
        long model = 0;
        for (var op : g.ops()) model += OpCost.macs(g, op);
        if (model == 0) return 0;
        double executed = 0;
        for (Step s : p.steps()) {
            if (s.kind() != StepKind.COMPUTE && s.kind() != StepKind.ACCUMULATE) continue;
            var op = g.ops().get(s.op());
            long macs = OpCost.macs(g, op);
            if (macs == 0) continue;
            double share = s.region() == null ? 1.0 : (double) s.region().elements() / g.tensor(op.output(0)).shape().numElements();
            int[] ic = s.inChannels();
            if (s.kind() == StepKind.ACCUMULATE && ic != null) share *= (double) (ic[1] - ic[0]) / g.tensor(op.input(0)).shape().fromEnd(1);
            executed += share * macs;
        }
        return Math.max(0, Math.round(1000.0 * (executed - model) / model) / 10.0);
    }

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
