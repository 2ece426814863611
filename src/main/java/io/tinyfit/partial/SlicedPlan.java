package io.tinyfit.partial;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;
import io.tinyfit.plan.ChannelSlices;
import io.tinyfit.plan.Plan;
import io.tinyfit.plan.PlanBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the plan of an operator order with some regions run in channel slices. Each sliced region runs as one
 * macro-step where its last operator stood: slice by slice, every chain operator computes its slice into a buffer
 * of that slice (the last one in place into its whole tensor when the region does not accumulate), the
 * accumulating operator adds the slice into its int32 accumulator, and after the last slice it is finished once.
 * Moving the region's earlier operators down to its last one keeps every dependency: their intermediates have no
 * other reader, and their other inputs were produced before them. Every other operator is one whole step. The
 * buffers are placed by per-byte first fit ({@link PlanBuilder#build}).
 */
public final class SlicedPlan {
    private SlicedPlan() {}

    /** The plan and, per region, the steps {@code [first, last]} it occupies. */
    public record Result(Plan plan, List<int[]> regionSteps) {}

    /**
     * @param slices per region, its slice count; 1 runs it whole
     * @param inPlace per region, whether it ends in place instead of accumulating (only for accumulating regions)
     */
    public static Result build(Graph g, List<Integer> order, List<PexRegion> regions, int[] slices, boolean[] inPlace,
                               boolean keepInputs, int alignment, boolean perByte, String planner) {
        Map<Integer, Integer> regionOf = new HashMap<>();
        List<PexRegion> effective = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            PexRegion r = inPlace[i] ? regions.get(i).inPlace().orElse(regions.get(i)) : regions.get(i);
            effective.add(r);
            if (slices[i] > 1) for (int op : r.ops()) regionOf.put(op, i);
        }
        PlanBuilder b = new PlanBuilder(g, alignment).keepInputs(keepInputs);
        if (!perByte) b.bindingSpans();
        for (int t : g.inputs()) if (t >= 0) b.tensor(t);
        List<int[]> steps = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) steps.add(null);
        Map<Integer, Integer> lastOp = new HashMap<>();
        for (int i = 0; i < effective.size(); i++) {
            List<Integer> ops = effective.get(i).ops();
            int last = -1;
            for (int op : order) if (ops.contains(op)) last = op;
            lastOp.put(i, last);
        }
        for (int op : order) {
            Integer region = regionOf.get(op);
            int first = b.stepCount();
            if (region == null) {
                whole(g, b, op);
                for (int i = 0; i < effective.size(); i++) {
                    if (!effective.get(i).ops().contains(op)) continue;
                    int[] span = steps.get(i);
                    steps.set(i, span == null ? new int[] {first, first} : new int[] {Math.min(span[0], first), Math.max(span[1], first)});
                }
                continue;
            }
            if (lastOp.get(region) != op) continue;
            macro(g, b, effective.get(region), slices[region]);
            steps.set(region, new int[] {first, b.stepCount() - 1});
        }
        return new Result(b.build(planner), steps);
    }

    private static void whole(Graph g, PlanBuilder b, int opIndex) {
        Op op = g.ops().get(opIndex);
        int[] outs = new int[op.outputs().size()];
        for (int i = 0; i < outs.length; i++) {
            int t = op.output(i);
            outs[i] = t < 0 || g.tensor(t).isConstant() || g.tensor(t).variable() ? -1 : b.tensor(t);
        }
        b.compute(opIndex, null, outs);
    }

    private static void macro(Graph g, PlanBuilder b, PexRegion r, int parts) {
        int acc = r.accumulates() ? b.accumulator(r.accumulator(), null) : -1;
        int lastChain = r.chain().get(r.chain().size() - 1);
        int inPlace = r.accumulates() ? -1 : b.tensor(g.ops().get(lastChain).output(0));
        for (int[] range : ChannelSlices.ranges(r.channels(), parts)) {
            for (int op : r.chain()) {
                Tensor t = g.tensor(g.ops().get(op).output(0));
                Region slice = ChannelSlices.slice(t, range[0], range[1]);
                int target = op == lastChain && inPlace >= 0 ? inPlace : b.region(t.id(), slice);
                b.compute(op, slice, target);
            }
            if (acc >= 0) b.accumulate(r.accumulator(), null, range[0], range[1], acc);
        }
        if (acc >= 0) b.finish(r.accumulator(), null, acc, b.tensor(g.ops().get(r.accumulator()).output(0)));
    }
}
