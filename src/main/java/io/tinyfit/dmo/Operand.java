package io.tinyfit.dmo;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

/**
 * The operator and the operand pair (I, O) one DMO question is about, with the few derived sizes every bound and
 * loop nest uses: element widths {@code si}, {@code so} and the constant operands (axes, paddings) they read.
 */
record Operand(Graph graph, Op op, int inputIndex, int outputIndex, Tensor in, Tensor out) {

    static Operand of(Graph g, int opIndex, int inputIndex, int outputIndex) {
        Op op = g.ops().get(opIndex);
        return new Operand(g, op, inputIndex, outputIndex, g.tensor(op.input(inputIndex)), g.tensor(op.output(outputIndex)));
    }

    String kind() { return op.kind(); }

    int si() { return in.dtype().bytes(); }

    int so() { return out.dtype().bytes(); }

    long inElements() { return in.shape().numElements(); }

    long outBytes() { return out.bytes(); }

    Tensor input(int i) { return graph.tensor(op.input(i)); }

    boolean hasInput(int i) { return op.hasInput(i); }

    /** The values of a constant int32 or int64 operand (axes, paddings, sizes). */
    int[] constInts(int i) {
        Tensor t = input(i);
        if (!t.isConstant()) throw new IllegalArgumentException(t.label() + " is not constant");
        int n = (int) t.shape().numElements();
        int[] v = new int[n];
        for (int k = 0; k < n; k++) v[k] = t.dtype() == DType.INT64 ? (int) t.data().i64At(8 * k) : t.data().i32At(4 * k);
        return v;
    }
}
