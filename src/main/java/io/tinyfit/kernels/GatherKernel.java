package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import java.util.Set;

/**
 * GATHER (TFLM {@code micro/kernels/gather.cc}): for each batch, outer index and position, copies the inner slab
 * of the input selected by the position, writing the output sequentially. Positions are runtime data, so each is
 * bounds-checked right before its copy, as TFLM does; an out-of-range position stops the kernel with an error.
 */
final class GatherKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT8);

    @Override
    public void prepare(Preparation p) { check(p); }

    /**
     * TFLM's gather.cc Prepare: params and int32/int64 positions, an axis and batch_dims in range, equal batch
     * dims, and the output one inner slab per position. Returns {axis, batch_dims}.
     */
    private static int[] check(Refusals r) {
        if (r.op().inputs().size() != 2 || r.op().outputs().size() != 1 || !r.op().hasInput(0) || !r.op().hasInput(1)) {
            throw r.invalid("GATHER takes two inputs and one output");
        }
        Tensor in = r.graph().tensor(r.op().input(0)), coords = r.graph().tensor(r.op().input(1)), out = r.graph().tensor(r.op().output(0));
        if (coords.dtype() != DType.INT32 && coords.dtype() != DType.INT64) {
            throw r.unsupported("positions of type " + coords.dtype().label() + " are not supported (int32 or int64)");
        }
        DataMovement.movable(r, in, out, TYPES);
        int[] inDims = in.shape().toArray();
        int[] cDims = coords.shape().toArray();
        int axis = DataMovement.positiveAxis(r, r.op().options().getInt("axis", 0), inDims.length, "axis");
        int batchOption = r.op().options().getInt("batchDims", 0);
        int batchDims = batchOption < 0 ? batchOption + cDims.length : batchOption;
        if (batchDims > axis || batchDims < 0 || batchDims >= inDims.length || batchDims > cDims.length) {
            throw r.invalid("batch_dims " + batchOption + " is invalid for axis " + axis + ", input rank " + inDims.length + " and positions rank " + cDims.length);
        }
        for (int i = 0; i < batchDims; i++) {
            if (inDims[i] != cDims[i]) throw r.invalid("batch dim " + i + " differs: input " + inDims[i] + ", positions " + cDims[i]);
        }
        long expected = (long) DataMovement.product(inDims, 0, axis) * DataMovement.product(cDims, batchDims, cDims.length)
                * DataMovement.product(inDims, axis + 1, inDims.length);
        if (expected != out.shape().numElements()) {
            throw r.invalid("output shape " + out.shape() + " does not match the gather of " + in.shape() + " by " + coords.shape());
        }
        return new int[] {axis, batchDims};
    }

    @Override
    public void eval(OpContext ctx) {
        int[] checked = check(ctx);
        View in = ctx.input(0);
        View coords = ctx.input(1);
        View out = ctx.output(0);
        int esize = in.dtype().bytes();
        int[] inDims = in.dims();
        int[] cDims = coords.dims();
        int axis = checked[0], batchDims = checked[1];
        int axisSize = inDims[axis];
        int batchSize = DataMovement.product(inDims, 0, batchDims);
        int outerSize = DataMovement.product(inDims, batchDims, axis);
        int innerSize = DataMovement.product(inDims, axis + 1, inDims.length);
        int coordSize = DataMovement.product(cDims, batchDims, cDims.length);
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
