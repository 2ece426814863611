package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;

import java.util.List;

/**
 * SUM, bit-exact with TFLM's {@code reduce_common.cc} ({@code EvalSumHelper}): float32 through
 * {@code reference_ops::ReduceGeneric} (output initialised to 0, summed in input raster order), int8/int16
 * through {@code QuantizedMeanOrSum} with {@code compute_sum}, its int32 sums in the Prepare scratch buffer.
 */
final class SumKernel implements Kernel {
    @Override
    public void prepare(Preparation p) { MeanKernel.prepareReduce(p, true); }


    @Override
    public List<Long> scratchBytes(Graph graph, Op op) { return MeanKernel.reduceScratch(graph, op); }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        int[] axis = ctx.input(1).toIntArray();
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("input " + t + " with output " + out.dtype());
        switch (t) {
            case FLOAT32 -> sumFloat(ctx, in, out, axis);
            case INT8, INT16 -> MeanKernel.quantizedMeanOrSum(ctx, in, out, axis, ctx.scratch(0), true);
            default -> throw ctx.unsupported("dtype " + t);
        }
    }

    private static void sumFloat(OpContext ctx, View in, View out, int[] axis) {
        int outCount = out.elements();
        for (int i = 0; i < outCount; i++) out.setF32(i, 0f);
        int[] dims = in.dims();
        for (int d : dims) if (d == 0) return;
        int[] resolved = MeanKernel.resolveAxis(ctx, dims.length, axis);
        MeanKernel.ReduceWalk walk = new MeanKernel.ReduceWalk(dims, resolved);
        for (int i = 0, n = walk.inputCount(); i < n; i++) {
            int o = walk.outputOffset();
            out.setF32(o, in.f32(i) + out.f32(o));
            walk.advance();
        }
    }
}
