package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import java.util.Set;

/**
 * PACK (TFLM {@code micro/kernels/pack.cc}): stacks values_count inputs of one shape along a new axis. The
 * reference loop goes input by input, and within an input over the outer index, copying one contiguous run of
 * {@code copy_size} elements into the output at {@code (k * values_count + i) * copy_size}.
 */
final class PackKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT8, DType.INT16, DType.INT32, DType.INT64);

    @Override
    public void prepare(Preparation p) {
        p.outputs(1, 1);
        check(p);
    }

    /**
     * TFLM's pack.cc: values_count inputs, each of the output's dtype and of the output's shape without the
     * axis, which holds values_count. Returns {axis, outer count, copy size, element bytes}.
     */
    private static int[] check(Refusals r) {
        Tensor out = r.graph().tensor(r.op().output(0));
        int esize = DataMovement.elementBytes(r, out, "output", TYPES);
        int n = r.op().inputs().size();
        int valuesCount = r.op().options().getInt("valuesCount", n);
        if (valuesCount != n || n < 1) throw r.invalid("values_count " + valuesCount + " differs from the " + n + " inputs");
        int rank = out.shape().rank();
        int axis = DataMovement.positiveAxis(r, r.op().options().getInt("axis", 0), rank, "axis");
        int[] dims = out.shape().toArray();
        if (dims[axis] != valuesCount) throw r.invalid("output dim " + axis + " is " + dims[axis] + " but " + valuesCount + " values are packed");
        int outer = DataMovement.product(dims, 0, axis);
        int copySize = DataMovement.product(dims, axis + 1, rank);
        for (int i = 0; i < n; i++) {
            Tensor in = DataMovement.optionalTensor(r, i);
            if (in == null) throw r.invalid("input " + i + " is missing");
            if (in.dtype() != out.dtype()) throw r.unsupported("input " + i + " of type " + in.dtype().label() + " differs from the output's");
            if (in.shape().numElements() != (long) outer * copySize) throw r.invalid("input " + i + " has " + in.shape().numElements() + " elements, expected " + outer * copySize);
        }
        return new int[] {axis, outer, copySize, esize};
    }

    @Override
    public void eval(OpContext ctx) {
        int[] c = check(ctx);
        View out = ctx.output(0);
        int valuesCount = ctx.inputCount(), outer = c[1], copySize = c[2], esize = c[3];
        for (int i = 0; i < valuesCount; i++) {
            View in = ctx.input(i);
            for (int k = 0; k < outer; k++) {
                DataMovement.copy(out, (k * valuesCount + i) * copySize, in, k * copySize, copySize, esize);
            }
        }
    }
}
