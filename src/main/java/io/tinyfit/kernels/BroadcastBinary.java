package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * The element order of TFLM's binary reference loops. Every variant the elementwise kernels use
 * ({@code BroadcastAdd6DSlow}, {@code BroadcastBinaryFunction6DSlow}, {@code BroadcastSubCommon}'s recursion over
 * compressed dimensions, {@code BroadcastMulRecursiveDimensions}, {@code BroadcastMul4DSlow},
 * {@code MaximumMinimumBroadcastSlow}, {@code BroadcastPrelu4DSlow} and the flat {@code ElementWise} loops) visits
 * the output in row-major order and, for each output element, reads input 1 then input 2 at the positions
 * {@code NdArrayDescsForElementwiseBroadcast} gives (stride 0 along a broadcast dimension), then writes the
 * output. This class reproduces exactly that index sequence, so one loop serves all of them.
 */
final class BroadcastBinary {
    static final int MAX_DIMS = 6;

    /** Called once per output element, in TFLM's order, with the element indices of both inputs and the output. */
    @FunctionalInterface
    interface Element {
        void apply(int index1, int index2, int outIndex);
    }

    private final int[] outDims = new int[MAX_DIMS];
    private final int[] strides1 = new int[MAX_DIMS];
    private final int[] strides2 = new int[MAX_DIMS];
    private final boolean sameShape;
    private final int size;

    private BroadcastBinary(int[] shape1, int[] shape2, int[] outShape) {
        if (shape1.length > MAX_DIMS || shape2.length > MAX_DIMS || outShape.length > MAX_DIMS) {
            throw new IllegalArgumentException("broadcast over more than " + MAX_DIMS + " dimensions");
        }
        int[] e1 = extend(shape1);
        int[] e2 = extend(shape2);
        int[] eo = extend(outShape);
        // NdArrayDescsForElementwiseBroadcast: row-major strides of each input, zeroed where that input's extent
        // is 1 and the other's is not.
        int s1 = 1, s2 = 1;
        for (int d = MAX_DIMS - 1; d >= 0; d--) {
            strides1[d] = s1;
            strides2[d] = s2;
            s1 *= e1[d];
            s2 *= e2[d];
        }
        for (int d = 0; d < MAX_DIMS; d++) {
            if (e1[d] != e2[d]) {
                if (e1[d] == 1) strides1[d] = 0;
                else if (e2[d] == 1) strides2[d] = 0;
                else throw new IllegalArgumentException("shapes are not broadcastable");
            }
            outDims[d] = eo[d];
        }
        int n = 1;
        for (int d : eo) n *= d;
        this.size = n;
        this.sameShape = java.util.Arrays.equals(e1, e2) && java.util.Arrays.equals(e1, eo);
    }

    /**
     * The Prepare of the broadcasting binary kinds: two inputs and one output, at most {@value #MAX_DIMS}
     * dimensions, input extents equal or 1 along each dimension, and the output shaped as their broadcast.
     */
    static void prepareShapes(Preparation p) {
        p.inputs(2, 2);
        p.outputs(1, 1);
        Tensor a = p.input(0), b = p.input(1), out = p.output(0);
        for (Tensor t : new Tensor[] {a, b, out}) p.rank(t, t == out ? "output" : t == a ? "input 1" : "input 2", 0, MAX_DIMS);
        int[] e1 = extend(a.shape().toArray()), e2 = extend(b.shape().toArray()), eo = extend(out.shape().toArray());
        for (int d = 0; d < MAX_DIMS; d++) {
            if (e1[d] != e2[d] && e1[d] != 1 && e2[d] != 1) {
                throw p.invalid("input shapes " + a.shape() + " and " + b.shape() + " do not broadcast");
            }
            int broadcast = e1[d] == 1 ? e2[d] : e1[d];
            if (eo[d] != broadcast) {
                throw p.invalid(Preparation.name("output", out) + " has shape " + out.shape() + ", not the broadcast of " + a.shape() + " and " + b.shape());
            }
        }
    }

    /** {@link #prepareShapes}, and all three operands of one dtype the kernel handles; returns it. */
    static DType prepareSameTypes(Preparation p, DType... types) {
        prepareShapes(p);
        Tensor out = p.output(0);
        p.dtype(out, "output", types);
        p.sameType(p.input(0), "input 1", out, "output");
        p.sameType(p.input(1), "input 2", out, "output");
        return out.dtype();
    }

    /** The int16 paths of MUL and SQUARED_DIFFERENCE are symmetric: every operand's zero point must be 0. */
    static void prepareSymmetric(Preparation p) {
        p.zeroPoint(p.input(0), "input 1", 0);
        p.zeroPoint(p.input(1), "input 2", 0);
        p.zeroPoint(p.output(0), "output", 0);
    }

    static BroadcastBinary of(View in1, View in2, View out) {
        return new BroadcastBinary(in1.dims(), in2.dims(), out.dims());
    }

    private static int[] extend(int[] shape) {
        int[] e = new int[MAX_DIMS];
        int pad = MAX_DIMS - shape.length;
        for (int d = 0; d < MAX_DIMS; d++) e[d] = d < pad ? 1 : shape[d - pad];
        return e;
    }

    int size() { return size; }

    /** Runs {@code fn} over every output element in the reference order. */
    void forEach(Element fn) {
        if (sameShape) {
            for (int i = 0; i < size; i++) fn.apply(i, i, i);
            return;
        }
        int o = 0;
        int a1 = 0, a2 = 0;
        for (int a = 0; a < outDims[0]; a++, a1 += strides1[0], a2 += strides2[0]) {
            int b1 = a1, b2 = a2;
            for (int b = 0; b < outDims[1]; b++, b1 += strides1[1], b2 += strides2[1]) {
                int c1 = b1, c2 = b2;
                for (int c = 0; c < outDims[2]; c++, c1 += strides1[2], c2 += strides2[2]) {
                    int d1 = c1, d2 = c2;
                    for (int d = 0; d < outDims[3]; d++, d1 += strides1[3], d2 += strides2[3]) {
                        int e1 = d1, e2 = d2;
                        for (int e = 0; e < outDims[4]; e++, e1 += strides1[4], e2 += strides2[4]) {
                            int f1 = e1, f2 = e2;
                            final int n = outDims[5], st1 = strides1[5], st2 = strides2[5];
                            for (int f = 0; f < n; f++, f1 += st1, f2 += st2) {
                                fn.apply(f1, f2, o++);
                            }
                        }
                    }
                }
            }
        }
    }
}
