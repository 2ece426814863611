package io.tinyfit.kernels;

import io.tinyfit.model.DType;

import java.util.Set;

/**
 * GATHER (TFLM {@code micro/kernels/gather.cc}): for each batch, outer index and position, copies the inner slab
 * of the input selected by the position, writing the output sequentially. Positions are runtime data, so each is
 * bounds-checked right before its copy, as TFLM does; an out-of-range position stops the kernel with an error.
 */
final class GatherKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT8);

    @Override
    public void eval(OpContext ctx) {
        if (ctx.inputCount() != 2 || ctx.outputCount() != 1) throw ctx.unsupported("GATHER takes two inputs and one output");
        View in = ctx.input(0);
        View coords = ctx.input(1);
        View out = ctx.output(0);
        if (coords.dtype() != DType.INT32 && coords.dtype() != DType.INT64) {
            throw ctx.unsupported("positions of type " + coords.dtype().label() + " are not supported (int32 or int64)");
        }
        int esize = DataMovement.elementBytes(ctx, in, "input", TYPES);
        DataMovement.requireSameType(ctx, in, out, "output");
        int[] inDims = in.dims();
        int[] cDims = coords.dims();
        int axis = DataMovement.positiveAxis(ctx, ctx.op().options().getInt("axis", 0), inDims.length, "axis");
        int batchOption = ctx.op().options().getInt("batchDims", 0);
        int batchDims = batchOption < 0 ? batchOption + cDims.length : batchOption;
        if (batchDims > axis || batchDims < 0 || batchDims >= inDims.length || batchDims > cDims.length) {
            throw ctx.unsupported("batch_dims " + batchOption + " is invalid for axis " + axis + ", input rank " + inDims.length + " and positions rank " + cDims.length);
        }
        for (int i = 0; i < batchDims; i++) {
            if (inDims[i] != cDims[i]) throw ctx.unsupported("batch dim " + i + " differs: input " + inDims[i] + ", positions " + cDims[i]);
        }
        int axisSize = inDims[axis];
        int batchSize = DataMovement.product(inDims, 0, batchDims);
        int outerSize = DataMovement.product(inDims, batchDims, axis);
        int innerSize = DataMovement.product(inDims, axis + 1, inDims.length);
        int coordSize = DataMovement.product(cDims, batchDims, cDims.length);
        if ((long) batchSize * outerSize * coordSize * innerSize != out.elements()) {
            throw ctx.unsupported("output shape " + out.shape() + " does not match the gather of " + in.shape() + " by " + coords.shape());
        }
        boolean wide = coords.dtype() == DType.INT64;
        for (int batch = 0; batch < batchSize; batch++) {
            for (int outer = 0; outer < outerSize; outer++) {
                for (int coord = 0; coord < coordSize; coord++) {
                    int c = batch * coordSize + coord;
                    long position = wide ? coords.i64(c) : coords.i32(c);
                    if (position < 0 || position >= axisSize) {
                        throw ctx.unsupported("position " + position + " (positions element " + c + ") is outside [0, " + axisSize + ")");
                    }
                    int dst = ((batch * outerSize + outer) * coordSize + coord) * innerSize;
                    int src = (int) (((batch * outerSize + outer) * (long) axisSize + position) * innerSize);
                    DataMovement.copy(out, dst, in, src, innerSize, esize);
                }
            }
        }
    }
}
