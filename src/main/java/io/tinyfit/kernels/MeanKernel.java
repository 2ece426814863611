package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Tensor;

import java.util.List;

/**
 * MEAN, bit-exact with TFLM's {@code reduce_common.cc} ({@code EvalMeanHelper}) and TFLite's
 * {@code reference/reduce.h}. float32: the 4-D keep_dims mean over axes {1, 2} uses the dedicated
 * {@code reference_ops::Mean} (loop b, d, h, w); every other float mean sums into the output in input raster order.
 * int8/int16: {@code QuantizedMeanOrSum} requantises with a multiplier that folds in 1/count. The int32 partial
 * sums live in the scratch buffer TFLM requests in Prepare.
 */
final class MeanKernel implements Kernel {
    @Override
    public void prepare(Preparation p) { prepareReduce(p, false); }

    /**
     * reduce_common.cc: input, constant axes in range, the output's elements one per combination of the kept
     * dimensions (with keep_dims, the input's shape with the reduced dimensions set to 1), and for MEAN at least
     * one element to average; the quantised paths requantise input to output.
     */
    static void prepareReduce(Preparation p, boolean sum) {
        p.inputs(2, 2);
        p.outputs(1, 1);
        Tensor in = p.input(0), out = p.output(0);
        p.dtype(in, "input", DType.FLOAT32, DType.INT8, DType.INT16);
        p.sameType(in, "input", out, "output");
        int[] dims = in.shape().toArray();
        int[] resolved = resolveAxis(p, dims.length, p.constantInts(p.input(1), "axis"));
        long kept = 1;
        int[] keptShape = dims.clone();
        for (int a : resolved) keptShape[a] = 1;
        for (int d : keptShape) kept *= d;
        p.require(out.shape().numElements() == kept, Preparation.name("output", out) + " " + out.shape() + " has " + out.shape().numElements() + " elements but reducing " + in.shape() + " keeps " + kept);
        if (p.options().getBool("keepDims")) {
            p.require(java.util.Arrays.equals(out.shape().toArray(), keptShape), "with keep_dims the output must be " + java.util.Arrays.toString(keptShape) + ", not " + out.shape());
        }
        if (!sum && kept > 0) p.require(reducedCount(dims, resolved) > 0, "MEAN averages over zero elements");
        if (in.dtype() != DType.FLOAT32) {
            p.multiplier((double) p.quantized(in, "input").scale() / (double) p.quantized(out, "output").scale(), "output");
        }
    }


    /**
     * {@code PrepareMeanOrSumHelper} at the golden commit: for int8/int16 inputs one int32 accumulator per output
     * element, then always the index scratch of the generic reduction: one int per input dimension and one per
     * axis element (the dimension iterator and the resolved axes). The measured arenas of the single-operator
     * MEAN and SUM cases hold exactly these three (two for float).
     */
    static List<Long> reduceScratch(Graph graph, Op op) {
        if (!op.hasInput(0) || op.outputs().isEmpty()) return List.of();
        Tensor in = graph.tensor(op.input(0));
        long iterator = 4L * in.shape().rank();
        long axes = 4L * graph.tensor(op.input(1)).shape().numElements();
        if (in.dtype() == DType.INT8 || in.dtype() == DType.INT16) {
            Tensor out = graph.tensor(op.output(0));
            return List.of(out.shape().numElements() * 4L, iterator, axes);
        }
        return List.of(iterator, axes);
    }

    @Override
    public List<Long> scratchBytes(Graph graph, Op op) { return reduceScratch(graph, op); }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        int[] axis = ctx.input(1).toIntArray();
        boolean keepDims = ctx.op().options().getBool("keepDims");
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("input " + t + " with output " + out.dtype());
        switch (t) {
            case FLOAT32 -> {
                if (keepDims && special4DAxes12(in, axis)) meanFloat4DAxes12(in, out);
                else meanFloatGeneric(ctx, in, out, axis);
            }
            // At this TFLM commit every int8/int16 mean requantises through QuantizedMeanOrSum, also when input and
            // output share scale and zero point (the golden mobilenet_v2 and mcunet means round, they do not truncate).
            case INT8, INT16 -> quantizedMeanOrSum(ctx, in, out, axis, ctx.scratch(0), false);
            default -> throw ctx.unsupported("dtype " + t);
        }
    }

    /** The dedicated 4-D path: ResolveAxis of reduce_common.cc copies the raw (unnormalised) axis values. */
    private static boolean special4DAxes12(View in, int[] axis) {
        return in.rank() == 4 && axis.length == 2
                && ((axis[0] == 1 && axis[1] == 2) || (axis[0] == 2 && axis[1] == 1));
    }

    /** {@code reference_ops::Mean(MeanParams, ...)}: 4-D mean over height and width, summed h-major per channel. */
    private static void meanFloat4DAxes12(View in, View out) {
        int batches = out.dim4(0), depth = out.dim4(3);
        int inH = in.dim4(1), inW = in.dim4(2), inD = in.dim4(3);
        if (out.dim4(1) != 1 || out.dim4(2) != 1) throw new IllegalStateException("MEAN over axes 1, 2 must give height and width 1");
        float divisor = (float) (inW * inH);
        for (int b = 0; b < batches; b++) {
            for (int d = 0; d < depth; d++) {
                float value = 0f;
                for (int h = 0; h < inH; h++) {
                    for (int w = 0; w < inW; w++) {
                        value += in.f32(((b * inH + h) * inW + w) * inD + d);
                    }
                }
                out.setF32(b * depth + d, value / divisor);
            }
        }
    }

    /** {@code reference_ops::Mean<float, float>}: the output doubles as the running sum. */
    private static void meanFloatGeneric(OpContext ctx, View in, View out, int[] axis) {
        int outCount = out.elements();
        for (int i = 0; i < outCount; i++) out.setF32(i, 0f);
        int[] dims = in.dims();
        int[] resolved = resolveAxis(ctx, dims.length, axis);
        ReduceWalk walk = new ReduceWalk(dims, resolved);
        for (int i = 0, n = walk.inputCount(); i < n; i++) {
            int o = walk.outputOffset();
            out.setF32(o, out.f32(o) + in.f32(i));
            walk.advance();
        }
        long count = reducedCount(dims, resolved);
        if (count > 0) {
            float divisor = (float) count;
            for (int i = 0; i < outCount; i++) out.setF32(i, out.f32(i) / divisor);
        }
    }

    /** {@code reference_ops::QuantizedMeanOrSum<T, int32_t>}: shared by MEAN (requantising) and SUM. */
    static void quantizedMeanOrSum(OpContext ctx, View in, View out, int[] axis, View temp, boolean computeSum) {
        boolean i16 = in.dtype() == DType.INT16;
        int kMin = i16 ? -32768 : -128, kMax = i16 ? 32767 : 127;
        int inputZeroPoint = in.zeroPoint(), outputZeroPoint = out.zeroPoint();

        int outCount = out.elements();
        for (int i = 0; i < outCount; i++) {
            setInt(out, i, 0, i16);
            temp.setI32(i, 0);
        }
        int[] dims = in.dims();
        for (int d : dims) if (d == 0) return;
        int[] resolved = resolveAxis(ctx, dims.length, axis);
        ReduceWalk walk = new ReduceWalk(dims, resolved);
        for (int i = 0, n = walk.inputCount(); i < n; i++) {
            int o = walk.outputOffset();
            temp.setI32(o, temp.i32(o) + (i16 ? in.i16(i) : in.i8(i)));
            walk.advance();
        }
        long count = reducedCount(dims, resolved);
        if (count == 0) return;
        // MEAN folds 1/count into the multiplier; SUM requantises only
        int[] mult = computeSum ? KernelParameters.requantize(in.scale(), out.scale()) : KernelParameters.meanMultiplier(in.scale(), out.scale(), count);
        int outputMultiplier = mult[0], outputShift = mult[1];
        for (int i = 0; i < outCount; i++) {
            int shiftedSum = (int) ((long) temp.i32(i) - (long) inputZeroPoint * count);
            int v = QuantizedMath.multiplyByQuantizedMultiplier(shiftedSum, outputMultiplier, outputShift) + outputZeroPoint;
            v = Math.min(Math.max(v, kMin), kMax);
            setInt(out, i, v, i16);
        }
    }

    private static void setInt(View v, int i, int value, boolean i16) {
        if (i16) v.setI16(i, value);
        else v.setI8(i, value);
    }

    /** {@code reference_ops::ResolveAxis}: negative axes wrap, duplicates drop, order of first occurrence kept. */
    static int[] resolveAxis(Refusals ctx, int numDims, int[] axis) {
        if (numDims == 0) return new int[0];
        int[] out = new int[axis.length];
        int n = 0;
        for (int a : axis) {
            int current = a < 0 ? a + numDims : a;
            if (current < 0 || current >= numDims) throw ctx.invalid("axis " + a + " is out of range for rank " + numDims);
            boolean dup = false;
            for (int j = 0; j < n; j++) if (out[j] == current) { dup = true; break; }
            if (!dup) out[n++] = current;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Product of the input dimensions over the resolved axes (the number of elements each output averages). */
    static long reducedCount(int[] dims, int[] resolved) {
        long count = 1;
        for (int a : resolved) count *= dims[a];
        return count;
    }

    /**
     * The input raster walk of {@code reference_ops::Reduce}: input elements in row-major order, each mapped to
     * {@code ReducedOutputOffset} (the offset over the non-reduced dimensions).
     */
    static final class ReduceWalk {
        private final int[] dims;
        private final int[] outStride;
        private final int[] index;
        private final int count;
        private int outOffset;

        ReduceWalk(int[] dims, int[] resolvedAxes) {
            this.dims = dims;
            this.outStride = new int[dims.length];
            this.index = new int[dims.length];
            boolean[] reduced = new boolean[dims.length];
            for (int a : resolvedAxes) reduced[a] = true;
            int s = 1;
            long c = 1;
            for (int d = dims.length - 1; d >= 0; d--) {
                outStride[d] = reduced[d] ? 0 : s;
                if (!reduced[d]) s *= dims[d];
                c *= dims[d];
            }
            this.count = (int) c;
        }

        int inputCount() { return count; }

        int outputOffset() { return outOffset; }

        void advance() {
            for (int d = dims.length - 1; d >= 0; d--) {
                if (++index[d] < dims[d]) {
                    outOffset += outStride[d];
                    return;
                }
                outOffset -= outStride[d] * (dims[d] - 1);
                index[d] = 0;
            }
        }
    }
}
