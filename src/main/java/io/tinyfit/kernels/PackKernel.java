package io.tinyfit.kernels;

import io.tinyfit.model.DType;

import java.util.Set;

/**
 * PACK (TFLM {@code micro/kernels/pack.cc}): stacks values_count inputs of one shape along a new axis. The
 * reference loop goes input by input, and within an input over the outer index, copying one contiguous run of
 * {@code copy_size} elements into the output at {@code (k * values_count + i) * copy_size}.
 */
final class PackKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT8, DType.INT16, DType.INT32, DType.INT64);

    @Override
    public void eval(OpContext ctx) {
        View out = ctx.output(0);
        int esize = DataMovement.elementBytes(ctx, out, "output", TYPES);
        int valuesCount = ctx.op().options().getInt("valuesCount", ctx.inputCount());
        if (valuesCount != ctx.inputCount()) throw ctx.unsupported("values_count " + valuesCount + " differs from the " + ctx.inputCount() + " inputs");
        int rank = out.rank();
        int axis = DataMovement.positiveAxis(ctx, ctx.op().options().getInt("axis", 0), rank, "axis");
        int[] dims = out.dims();
        int outer = DataMovement.product(dims, 0, axis);
        int copySize = DataMovement.product(dims, axis + 1, rank);
        if (dims[axis] != valuesCount) throw ctx.unsupported("output dim " + axis + " is " + dims[axis] + " but " + valuesCount + " values are packed");
        for (int i = 0; i < valuesCount; i++) {
            View in = ctx.input(i);
            if (in == null) throw ctx.unsupported("input " + i + " is missing");
            if (in.dtype() != out.dtype()) throw ctx.unsupported("input " + i + " of type " + in.dtype().label() + " differs from the output's");
            if (in.elements() != outer * copySize) throw ctx.unsupported("input " + i + " has " + in.elements() + " elements, expected " + outer * copySize);
            for (int k = 0; k < outer; k++) {
                DataMovement.copy(out, (k * valuesCount + i) * copySize, in, k * copySize, copySize, esize);
            }
        }
    }
}
