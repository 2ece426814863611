package io.tinyfit.plan;

import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;

/**
 * What one operator costs, for the report and the plan search: multiply-accumulates and the bytes of its constant inputs (weights and
 * biases, counted at every operator that reads them). MACs are counted for the convolution family and fully
 * connected layers, from the shapes alone; other operators do no multiply-accumulate work worth counting (0).
 */
public record OpCost(long macs, long weightBytes) {

    public static OpCost of(Graph g, Op op) {
        long weights = 0;
        for (int t : op.inputs()) if (t >= 0 && g.tensor(t).isConstant()) weights += g.tensor(t).bytes();
        return new OpCost(macs(g, op), weights);
    }

    public static long macs(Graph g, Op op) {
        return switch (op.kind()) {
            // filter [out channels, kh, kw, in channels per group]: every output element sums kh * kw * in
            case "CONV_2D" -> outputElements(g, op) * product(filter(g, op, 1), 1);
            // filter [1, kh, kw, channels]: every output element sums its own channel's window
            case "DEPTHWISE_CONV_2D" -> outputElements(g, op) * filter(g, op, 1).dim(1) * filter(g, op, 1).dim(2);
            // weights [units, inputs]: every output element sums a whole input row
            case "FULLY_CONNECTED" -> outputElements(g, op) * filter(g, op, 1).fromEnd(1);
            // weights [out channels, kh, kw, in channels]: every input element is scattered over kh * kw * out
            case "TRANSPOSE_CONV" -> g.tensor(op.input(2)).shape().numElements() * product(filter(g, op, 1), 0) / filter(g, op, 1).fromEnd(1);
            default -> 0;
        };
    }

    /** The model's multiply-accumulates: every operator once. */
    public static long modelMacs(Graph g) {
        long model = 0;
        for (Op op : g.ops()) model += macs(g, op);
        return model;
    }

    /**
     * MACs a plan's steps execute above the model's, in percent of the model's (0 for a model without MACs), rounded
     * to a tenth of a percent. A compute step does its operator's MACs in proportion to the share of the output
     * region it computes; an accumulate step also in proportion to its share of the input channels; finish and copy
     * steps do none.
     */
    public static double overheadPct(Plan p) {
        Graph g = p.graph();
        long model = modelMacs(g);
        if (model == 0) return 0;
        double executed = 0;
        for (Step s : p.steps()) {
            if (s.kind() != StepKind.COMPUTE && s.kind() != StepKind.ACCUMULATE) continue;
            Op op = g.ops().get(s.op());
            long macs = macs(g, op);
            if (macs == 0) continue;
            double share = s.region() == null ? 1.0 : (double) s.region().elements() / g.tensor(op.output(0)).shape().numElements();
            int[] ic = s.inChannels();
            if (s.kind() == StepKind.ACCUMULATE && ic != null) share *= (double) (ic[1] - ic[0]) / g.tensor(op.input(0)).shape().fromEnd(1);
            executed += share * macs;
        }
        return Math.max(0, Math.round(1000.0 * (executed - model) / model) / 10.0);
    }

    private static long outputElements(Graph g, Op op) { return g.tensor(op.output(0)).shape().numElements(); }

    private static Shape filter(Graph g, Op op, int input) {
        Tensor t = g.tensor(op.input(input));
        return t.shape();
    }

    private static long product(Shape s, int fromDim) {
        long p = 1;
        for (int d = fromDim; d < s.rank(); d++) p *= s.dim(d);
        return p;
    }
}
