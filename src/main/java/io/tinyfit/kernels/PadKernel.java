package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * PAD and PADV2 (TFLM registers one kernel for both, {@code micro/kernels/pad.cc} with {@code pad_common.cc},
 * over {@code reference_ops::Pad}). The pad value is the third operand when present (PADV2); otherwise 0, except
 * for int8 where it is the output zero point. The reference loop runs over the output extended to 4-D (batch,
 * height, width, depth) writing every element in order, either the pad value or the next input element; here
 * each depth row is written as [left pad][input run][right pad] in that same ascending order.
 *
 * <p>Regions: every output dimension splits; an output region reads the input region it overlaps once shifted by
 * the left paddings (empty when the region is all padding). Padding is decided by global output coordinates.
 */
final class PadKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT8, DType.INT16, DType.INT32);
    private static final int MAX_DIMS = 4;

    @Override
    public void prepare(Preparation p) {
        p.outputs(1, 1);
        check(p);
    }

    /**
     * TFLM's PadPrepare: 2 or 3 inputs, a movable dtype kept by the output, at most 4 dims, constant paddings that
     * give the output's shape, and a pad value like the output. Returns the paddings.
     */
    private static int[] check(Refusals r) {
        int inputs = r.op().inputs().size();
        if (inputs != 2 && inputs != 3) throw r.invalid(inputs + " inputs; PAD takes 2 or 3");
        Tensor in = DataMovement.optionalTensor(r, 0);
        if (in == null) throw r.invalid("input 0 is missing");
        Tensor out = r.graph().tensor(r.op().output(0));
        DataMovement.movable(r, in, out, TYPES);
        if (in.shape().rank() > MAX_DIMS) throw r.unsupported("input rank " + in.shape().rank() + " exceeds " + MAX_DIMS);
        int[] pads = paddings(r, DataMovement.optionalTensor(r, 1), in, out);
        checkPadValue(r, in, inputs == 3 ? DataMovement.optionalTensor(r, 2) : null, out);
        return pads;
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View constant = ctx.inputCount() == 3 ? ctx.input(2) : null;
        View out = ctx.output(0);
        int[] pads = check(ctx);
        int esize = in.dtype().bytes();
        byte[] padValue = constant != null ? DataMovement.firstElementBytes(constant) : defaultPadValue(in, out, esize);

        // Left/right paddings of the input dims, moved to the trailing positions of a 4-D shape.
        int shift = MAX_DIMS - in.rank();
        int[] left = new int[MAX_DIMS];
        int[] right = new int[MAX_DIMS];
        for (int i = 0; i < in.rank(); i++) {
            left[shift + i] = pads[2 * i];
            right[shift + i] = pads[2 * i + 1];
        }
        int ob = out.dim4(0), oh = out.dim4(1), ow = out.dim4(2), od = out.dim4(3);
        int depthRun = od - left[3] - right[3];
        Region r = ctx.outputRegion();
        if (r.isEmpty()) return;
        int c0 = lo4(r, 3), c1 = hi4(r, 3);
        int os = out.stride4(3), is = in.stride4(3);

        DataMovement.Filler filler = new DataMovement.Filler(padValue);
        for (int b = lo4(r, 0); b < hi4(r, 0); b++) {
            boolean padB = b < left[0] || b >= ob - right[0];
            for (int h = lo4(r, 1); h < hi4(r, 1); h++) {
                boolean padH = padB || h < left[1] || h >= oh - right[1];
                for (int w = lo4(r, 2); w < hi4(r, 2); w++) {
                    boolean padRow = padH || w < left[2] || w >= ow - right[2];
                    if (padRow || depthRun <= 0) {
                        filler.fill(out, out.at(b, h, w, c0), os, c1 - c0);
                    } else {
                        int runFrom = Math.max(c0, left[3]), runTo = Math.min(c1, od - right[3]);
                        filler.fill(out, out.at(b, h, w, c0), os, Math.min(c1, left[3]) - c0);
                        if (runTo > runFrom) {
                            DataMovement.copy(out, out.at(b, h, w, runFrom), os, in, in.at(b - left[0], h - left[1], w - left[2], runFrom - left[3]), is,
                                    runTo - runFrom, esize);
                        }
                        int rightFrom = Math.max(c0, od - right[3]);
                        filler.fill(out, out.at(b, h, w, rightFrom), os, c1 - rightFrom);
                    }
                }
            }
        }
    }

    /** Dimension d of the region extended to 4-D like the shapes (leading [0, 1)). */
    private static int lo4(Region r, int d) { int k = d - (MAX_DIMS - r.rank()); return k < 0 ? 0 : r.lo(k); }

    private static int hi4(Region r, int d) { int k = d - (MAX_DIMS - r.rank()); return k < 0 ? 1 : r.hi(k); }

    @Override public boolean[] splittableDims(Graph graph, Op op) { return Kernel.allSplittable(graph, op); }

    /** The output region shifted back by the left paddings, cut to the input; paddings and pad value whole. */
    @Override public List<Region> inputRegions(Graph graph, Op op, Region output) {
        int[] inDims = graph.tensor(op.input(0)).shape().toArray();
        Tensor paddings = graph.tensor(op.input(1));
        if (!paddings.isConstant()) throw new UnsupportedOpVariantException("PAD with non-constant paddings " + paddings.label());
        int[] pads = new ConstView(paddings).toIntArray();
        return Kernel.firstInputFrom(graph, op, output, r -> {
            int[] lo = new int[inDims.length], hi = new int[inDims.length];
            for (int d = 0; d < inDims.length; d++) {
                lo[d] = Math.max(0, r.lo(d) - pads[2 * d]);
                hi[d] = Math.min(inDims[d], r.hi(d) - pads[2 * d]);
            }
            return Region.of(lo, hi);
        });
    }

    /** TFLM's PadPrepare checks: one (left, right) pair per output dim, and output = input + both paddings. */
    private static int[] paddings(Refusals r, Tensor paddings, Tensor in, Tensor out) {
        int[] pads = DataMovement.constantInts(r, paddings, "paddings");
        int rank = out.shape().rank();
        if (pads.length != rank * 2) throw r.invalid("paddings hold " + pads.length + " values for an output of rank " + rank);
        if (in.shape().rank() != rank) throw r.invalid("input rank " + in.shape().rank() + " differs from output rank " + rank);
        for (int i = 0; i < rank; i++) {
            if (pads[2 * i] < 0 || pads[2 * i + 1] < 0 || out.shape().dim(i) != (long) in.shape().dim(i) + pads[2 * i] + pads[2 * i + 1]) {
                throw r.invalid("output dim " + i + " = " + out.shape().dim(i) + " does not match input " + in.shape().dim(i) + " padded by "
                        + Arrays.toString(new int[] {pads[2 * i], pads[2 * i + 1]}));
            }
        }
        return pads;
    }

    /** constant_values: a scalar of the input's dtype, for int8 quantised like the output (TFLM requires it). */
    private static void checkPadValue(Refusals r, Tensor in, Tensor constant, Tensor out) {
        if (constant == null) return;
        if (constant.dtype() != in.dtype()) {
            throw r.unsupported("constant_values of type " + constant.dtype().label() + " differs from the input's " + in.dtype().label());
        }
        if (constant.shape().numElements() != 1) throw r.invalid("constant_values has " + constant.shape().numElements() + " elements; it must be a scalar");
        if (in.dtype() == DType.INT8 && (constant.quant().zeroPoint() != out.quant().zeroPoint() || (double) constant.quant().scale() != (double) out.quant().scale())) {
            throw r.unsupported("constant_values quantisation (" + constant.quant().scale() + ", " + constant.quant().zeroPoint()
                    + ") differs from the output's (" + out.quant().scale() + ", " + out.quant().zeroPoint() + ")");
        }
    }

    /** Without constant_values: zero bytes, or the output's zero point for int8 (the load-time checks keep it in range). */
    private static byte[] defaultPadValue(View in, View out, int esize) {
        byte[] value = new byte[esize];
        if (in.dtype() == DType.INT8) value[0] = (byte) out.zeroPoint();
        return value;
    }
}
