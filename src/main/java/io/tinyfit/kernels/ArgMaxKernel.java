package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * ARG_MAX, bit-exact with TFLM's {@code arg_min_max.cc} / {@code reference_ops::ArgMinMax}: the first index of
 * the largest value along the axis (strict comparison, so ties keep the earliest index). float32 and int8
 * inputs (as TFLM) plus uint8/int16/int32; int32 output as TFLM, int64 as TFLite.
 */
final class ArgMaxKernel implements Kernel {
    @Override
    public void prepare(Preparation p) { prepareArgMinMax(p); }

    /**
     * arg_min_max.cc: input, a constant axis in range of a non-empty dimension, and an int32 or int64 output with
     * one element per position of the other dimensions.
     */
    static void prepareArgMinMax(Preparation p) {
        p.inputs(2, 2);
        p.outputs(1, 1);
        Tensor in = p.input(0), out = p.output(0);
        p.dtype(in, "input", DType.FLOAT32, DType.INT8, DType.UINT8, DType.INT16, DType.INT32);
        p.dtype(out, "output", DType.INT32, DType.INT64);
        int[] axes = p.constantInts(p.input(1), "axis");
        p.require(axes.length >= 1, "the axis operand is empty");
        int rank = in.shape().rank();
        int axis = axes[0] < 0 ? axes[0] + rank : axes[0];
        p.require(axis >= 0 && axis < rank, "axis " + axes[0] + " is out of range for input rank " + rank);
        int axisSize = in.shape().dim(axis);
        p.require(axisSize > 0 || in.shape().numElements() == 0, "the axis has no elements to compare");
        long positions = axisSize == 0 ? 0 : in.shape().numElements() / axisSize;
        p.require(out.shape().numElements() == positions, Preparation.name("output", out) + " " + out.shape() + " does not hold one index for each of the " + positions + " positions");
    }


    @Override
    public void eval(OpContext ctx) { argMinMax(ctx, true); }

    /** {@code ArgMinMax} with {@code GreaterFn} (arg max) or {@code LessFn} (arg min); loops outer, inner, axis. */
    static void argMinMax(OpContext ctx, boolean isArgMax) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        View axisView = ctx.input(1);
        if (axisView.dtype() != DType.INT32 && axisView.dtype() != DType.INT64) throw ctx.unsupported("axis dtype " + axisView.dtype());
        DType to = out.dtype();
        if (to != DType.INT32 && to != DType.INT64) throw ctx.unsupported("output dtype " + to);
        DType ti = in.dtype();
        if (ti != DType.FLOAT32 && ti != DType.INT8 && ti != DType.UINT8 && ti != DType.INT16 && ti != DType.INT32) {
            throw ctx.unsupported("input dtype " + ti);
        }
        int rank = in.rank();
        int axis = axisView.toIntArray()[0];
        if (axis < 0) axis += rank;
        if (axis < 0 || axis >= rank) throw ctx.unsupported("axis " + axis + " for rank " + rank);
        int axisSize = in.dim(axis);
        int outerSize = 1, innerSize = 1;
        for (int i = 0; i < axis; i++) outerSize *= in.dim(i);
        for (int i = axis + 1; i < rank; i++) innerSize *= in.dim(i);
        boolean isFloat = ti == DType.FLOAT32;

        for (int outer = 0; outer < outerSize; outer++) {
            for (int inner = 0; inner < innerSize; inner++) {
                int first = outer * axisSize * innerSize + inner;
                int index = 0;
                if (isFloat) {
                    float best = in.f32(first);
                    for (int i = 1; i < axisSize; i++) {
                        float v = in.f32((outer * axisSize + i) * innerSize + inner);
                        if (isArgMax ? v > best : v < best) { best = v; index = i; }
                    }
                } else {
                    int best = in.asInt(first);
                    for (int i = 1; i < axisSize; i++) {
                        int v = in.asInt((outer * axisSize + i) * innerSize + inner);
                        if (isArgMax ? v > best : v < best) { best = v; index = i; }
                    }
                }
                int o = outer * innerSize + inner;
                if (to == DType.INT32) out.setI32(o, index);
                else out.setI64(o, index);
            }
        }
    }
}
