package io.tinyfit.tiling;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.plan.OpCost;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.Step;
import io.tinyfit.plan.StepKind;

/**
 * The multiply-accumulates a plan's steps repeat, in percent of the model's, counted as the plan search counts them
 * (a compute step does its operator's MACs in proportion to its share of the output; an accumulate step also in
 * proportion to its share of the input channels), rounded to a tenth of a percent.
 */
final class MacCount {
    private MacCount() {}

    static long modelMacs(Graph g) {
        long model = 0;
        for (Op op : g.ops()) model += OpCost.macs(g, op);
        return model;
    }

    static double overheadPct(Plan p) {
        Graph g = p.graph();
        long model = modelMacs(g);
        if (model == 0) return 0;
        double executed = 0;
        for (Step s : p.steps()) {
            if (s.kind() != StepKind.COMPUTE && s.kind() != StepKind.ACCUMULATE) continue;
            Op op = g.ops().get(s.op());
            long macs = OpCost.macs(g, op);
            if (macs == 0) continue;
            double share = s.region() == null ? 1.0 : (double) s.region().elements() / g.tensor(op.output(0)).shape().numElements();
            int[] ic = s.inChannels();
            if (s.kind() == StepKind.ACCUMULATE && ic != null) share *= (double) (ic[1] - ic[0]) / g.tensor(op.input(0)).shape().fromEnd(1);
            executed += share * macs;
        }
        return Math.max(0, Math.round(1000.0 * (executed - model) / model) / 10.0);
    }
}
