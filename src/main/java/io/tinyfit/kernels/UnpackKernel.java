package io.tinyfit.kernels;

import io.tinyfit.model.DType;

import java.util.Set;

/**
 * UNPACK (TFLM {@code micro/kernels/unpack.cc}): splits the input along an axis into num outputs that drop that
 * axis. The reference loop goes output by output, and within an output over the outer index, copying the run at
 * {@code (k * num + i) * copy_size} of the input.
 */
final class UnpackKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT32, DType.INT16, DType.INT8);

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        int esize = DataMovement.elementBytes(ctx, in, "input", TYPES);
        int num = ctx.op().options().getInt("num", ctx.outputCount());
        if (num != ctx.outputCount()) throw ctx.unsupported("num " + num + " differs from the " + ctx.outputCount() + " outputs");
        int rank = in.rank();
        int axis = DataMovement.positiveAxis(ctx, ctx.op().options().getInt("axis", 0), rank, "axis");
        int[] dims = in.dims();
        if (dims[axis] != num) throw ctx.unsupported("input dim " + axis + " is " + dims[axis] + " but num is " + num);
        int outer = DataMovement.product(dims, 0, axis);
        int copySize = DataMovement.product(dims, axis + 1, rank);
        for (int i = 0; i < num; i++) {
            View out = ctx.output(i);
            DataMovement.requireSameType(ctx, in, out, "output " + i);
            if (out.elements() != outer * copySize) throw ctx.unsupported("output " + i + " has " + out.elements() + " elements, expected " + outer * copySize);
            for (int k = 0; k < outer; k++) {
                DataMovement.copy(out, k * copySize, in, (k * num + i) * copySize, copySize, esize);
            }
        }
    }
}
