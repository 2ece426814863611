package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * ARG_MAX, bit-exact with TFLM's {@code arg_min_max.cc} / {@code reference_ops::ArgMinMax}: the first index of
 * the largest value along the axis (strict comparison, so ties keep the earliest index). float32 and int8
 * inputs (as TFLM) plus uint8/int16/int32; int32 output as TFLM, int64 as TFLite.
 */
final class ArgMaxKernel implements Kernel {

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
