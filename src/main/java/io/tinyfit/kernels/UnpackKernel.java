package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

import java.util.Set;

/**
 * UNPACK (TFLM {@code micro/kernels/unpack.cc}): splits the input along an axis into num outputs that drop that
 * axis. The reference loop goes output by output, and within an output over the outer index, copying the run at
 * {@code (k * num + i) * copy_size} of the input.
 */
final class UnpackKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT32, DType.INT16, DType.INT8);

    @Override
    public void prepare(Preparation p) {
        p.inputs(1, 1);
        check(p);
    }

    /**
     * TFLM's unpack.cc: num outputs, each of the input's dtype and of the input's shape without the axis, which
     * holds num. Returns {outer count, copy size, element bytes}.
     */
    private static int[] check(Refusals r) {
        Tensor in = DataMovement.optionalTensor(r, 0);
        if (in == null) throw r.invalid("input 0 is missing");
        int esize = DataMovement.elementBytes(r, in, "input", TYPES);
        int n = r.op().outputs().size();
        int num = r.op().options().getInt("num", n);
        if (num != n || n < 1) throw r.invalid("num " + num + " differs from the " + n + " outputs");
        int rank = in.shape().rank();
        int axis = DataMovement.positiveAxis(r, r.op().options().getInt("axis", 0), rank, "axis");
        int[] dims = in.shape().toArray();
        if (dims[axis] != num) throw r.invalid("input dim " + axis + " is " + dims[axis] + " but num is " + num);
        int outer = DataMovement.product(dims, 0, axis);
        int copySize = DataMovement.product(dims, axis + 1, rank);
        for (int i = 0; i < n; i++) {
            Tensor out = r.graph().tensor(r.op().output(i));
            DataMovement.requireSameType(r, in, out, "output " + i);
            if (out.shape().numElements() != (long) outer * copySize) throw r.invalid("output " + i + " has " + out.shape().numElements() + " elements, expected " + outer * copySize);
        }
        return new int[] {outer, copySize, esize};
    }

    @Override
    public void eval(OpContext ctx) {
        int[] c = check(ctx);
        View in = ctx.input(0);
        int num = ctx.outputCount(), outer = c[0], copySize = c[1], esize = c[2];
        for (int i = 0; i < num; i++) {
            View out = ctx.output(i);
            for (int k = 0; k < outer; k++) {
                DataMovement.copy(out, k * copySize, in, (k * num + i) * copySize, copySize, esize);
            }
        }
    }
}
