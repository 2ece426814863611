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
