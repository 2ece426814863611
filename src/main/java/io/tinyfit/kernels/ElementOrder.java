package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.util.Arrays;

/**
 * The element order of TFLM's element-wise reference loops, over an output region. Every binary variant the
 * kernels use ({@code BroadcastAdd6DSlow}, {@code BroadcastBinaryFunction6DSlow}, {@code BroadcastSubCommon}'s
 * recursion over compressed dimensions, {@code BroadcastMulRecursiveDimensions}, {@code BroadcastMul4DSlow},
 * {@code MaximumMinimumBroadcastSlow}, {@code BroadcastPrelu4DSlow} and the flat {@code ElementWise} loops) and
 * every unary one visits the output in row-major order and, for each output element, reads input 1 then input 2
 * at the positions {@code NdArrayDescsForElementwiseBroadcast} gives (coordinate 0 along a broadcast dimension),
 * then writes the output. This class reproduces exactly that index sequence over the region, as storage indices of
 * each view, so one loop serves all of them; on whole dense views of one shape it is the flat loop.
 *
 * <p>Region inference: an input needs the output region, cut to its own rank, with its broadcast dimensions whole
 * ({@code [0, 1)}).
 *
 * <p>Preparation: the shape rules of the broadcasting binary kinds ({@link #prepareShapes}), which make every loop
 * of a prepared operator well-formed.
 */
final class ElementOrder {
    static final int MAX_DIMS = 6;

    /** Called once per output element, in TFLM's order, with the storage indices of both inputs and the output. */
    @FunctionalInterface
    interface Element {
        void apply(int index1, int index2, int outIndex);
    }

    private final int[] extents = new int[MAX_DIMS];
    private final int[] strides1 = new int[MAX_DIMS];
    private final int[] strides2 = new int[MAX_DIMS];
    private final int[] stridesOut = new int[MAX_DIMS];
    private final int base1, base2, baseOut;
    private final boolean flat;
    private final int size;

    private ElementOrder(View in1, View in2, View out, Region region) {
        if (in1.rank() > MAX_DIMS || in2.rank() > MAX_DIMS || out.rank() > MAX_DIMS) {
            throw new IllegalArgumentException("broadcast over more than " + MAX_DIMS + " dimensions");
        }
        int[] e1 = extend(in1.dims(), 1), e2 = extend(in2.dims(), 1), eo = extend(out.dims(), 1);
        for (int d = 0; d < MAX_DIMS; d++) {
            if (e1[d] != e2[d] && e1[d] != 1 && e2[d] != 1) throw new IllegalArgumentException("shapes are not broadcastable");
        }
        int[] lo = extend(region.lo(), 0), hi = extend(region.hi(), 1);
        int n = region.isEmpty() ? 0 : 1;
        for (int d = 0; d < MAX_DIMS; d++) {
            extents[d] = region.isEmpty() ? 0 : hi[d] - lo[d];
            n *= extents[d];
        }
        this.size = n;
        this.baseOut = place(out, eo, eo, lo, stridesOut);
        this.base1 = place(in1, e1, eo, lo, strides1);
        this.base2 = place(in2, e2, eo, lo, strides2);
        this.flat = Arrays.equals(e1, eo) && Arrays.equals(e2, eo) && in1.isContiguous() && in2.isContiguous() && out.isContiguous()
                && in1.region().equals(region) && in2.region().equals(region) && out.region().equals(region);
    }

    /** Elements of the output region in TFLM's order; the inputs broadcast against each other. */
    static ElementOrder binary(View in1, View in2, View out, Region region) { return new ElementOrder(in1, in2, out, region); }

    /** The unary loop: index2 repeats index1. */
    static ElementOrder unary(View in, View out, Region region) { return new ElementOrder(in, in, out, region); }

    /**
     * The 6-D strides of view v over the output's dims (0 where v broadcasts or has no such dimension) into
     * {@code strides}, and the storage index of its element at the region's lo.
     */
    private static int place(View v, int[] ev, int[] eo, int[] lo, int[] strides) {
        int pad = MAX_DIMS - v.rank();
        int[] start = new int[v.rank()];
        for (int d = 0; d < v.rank(); d++) {
            boolean broadcast = ev[pad + d] == 1 && eo[pad + d] != 1;
            start[d] = broadcast ? 0 : lo[pad + d];
            strides[pad + d] = broadcast ? 0 : v.stride(d);
        }
        return v.at(start);
    }

    private static int[] extend(int[] shape, int fill) {
        int[] e = new int[MAX_DIMS];
        int pad = MAX_DIMS - shape.length;
        for (int d = 0; d < MAX_DIMS; d++) e[d] = d < pad ? fill : shape[d - pad];
        return e;
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
        int[] e1 = extend(a.shape().toArray(), 1), e2 = extend(b.shape().toArray(), 1), eo = extend(out.shape().toArray(), 1);
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

    /** The region an input of {@code inputDims} needs for an output region: the output's ranges, broadcast dims whole. */
    static Region inputRegion(int[] inputDims, int[] outputDims, Region output) {
        if (output.isEmpty()) return Region.empty(inputDims.length);
        int pad = outputDims.length - inputDims.length;
        int[] lo = new int[inputDims.length], hi = new int[inputDims.length];
        for (int d = 0; d < inputDims.length; d++) {
            boolean broadcast = inputDims[d] == 1 && outputDims[pad + d] != 1;
            lo[d] = broadcast ? 0 : output.lo(pad + d);
            hi[d] = broadcast ? 1 : output.hi(pad + d);
        }
        return Region.of(lo, hi);
    }

    int size() { return size; }

    /** Runs {@code fn} over every element of the region in the reference order. */
    void forEach(Element fn) {
        if (flat) {
            for (int i = 0; i < size; i++) fn.apply(i, i, i);
        } else if (size > 0) {
            forEachStrided(fn);
        }
    }

    /** The 6-D walk, a method of its own so that the flat loop of whole tensors stays small for the JIT. */
    private void forEachStrided(Element fn) {
        int a1 = base1, a2 = base2, ao = baseOut;
        for (int a = 0; a < extents[0]; a++, a1 += strides1[0], a2 += strides2[0], ao += stridesOut[0]) {
            int b1 = a1, b2 = a2, bo = ao;
            for (int b = 0; b < extents[1]; b++, b1 += strides1[1], b2 += strides2[1], bo += stridesOut[1]) {
                int c1 = b1, c2 = b2, co = bo;
                for (int c = 0; c < extents[2]; c++, c1 += strides1[2], c2 += strides2[2], co += stridesOut[2]) {
                    int d1 = c1, d2 = c2, dout = co;
                    for (int d = 0; d < extents[3]; d++, d1 += strides1[3], d2 += strides2[3], dout += stridesOut[3]) {
                        int e1 = d1, e2 = d2, eout = dout;
                        for (int e = 0; e < extents[4]; e++, e1 += strides1[4], e2 += strides2[4], eout += stridesOut[4]) {
                            int f1 = e1, f2 = e2, fo = eout;
                            final int n = extents[5], st1 = strides1[5], st2 = strides2[5], sto = stridesOut[5];
                            for (int f = 0; f < n; f++, f1 += st1, f2 += st2, fo += sto) fn.apply(f1, f2, fo);
                        }
                    }
                }
            }
        }
    }
}
