package io.tinyfit.kernels;

import io.tinyfit.model.DType;

import java.util.Set;

/**
 * SLICE (TFLM {@code micro/kernels/slice.cc} over the 5-D {@code reference_ops::Slice}). begin and size (int32 or
 * int64, one value per input dim) are validated at every Eval as TFLM does: 0 &lt;= begin &lt;= dim, size -1
 * meaning "to the end", and the sliced element count must equal the output's. The reference loop runs over the
 * input extended to 5-D and writes the output sequentially; each innermost run is contiguous in the input too.
 */
final class SliceKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT32, DType.INT8, DType.INT16, DType.BOOL);
    private static final int MAX_DIMS = 5;

    @Override
    public void eval(OpContext ctx) {
        if (ctx.inputCount() != 3) throw ctx.unsupported(ctx.inputCount() + " inputs; SLICE takes 3");
        View in = ctx.input(0);
        View beginView = ctx.input(1);
        View sizeView = ctx.input(2);
        View out = ctx.output(0);
        int esize = DataMovement.elementBytes(ctx, in, "input", TYPES);
        DataMovement.requireSameType(ctx, in, out, "output");
        int dims = in.rank();
        if (beginView.dtype() != sizeView.dtype()) throw ctx.unsupported("begin and size types differ");
        if (beginView.dtype() != DType.INT32 && beginView.dtype() != DType.INT64) {
            throw ctx.unsupported("begin of type " + beginView.dtype().label() + " is not supported (int32 or int64)");
        }
        if (beginView.rank() != 1 || sizeView.rank() != 1 || beginView.elements() != dims || sizeView.elements() != dims) {
            throw ctx.unsupported("begin and size must be 1-D with one value per input dim (" + dims + ")");
        }
        if (dims > MAX_DIMS) throw ctx.unsupported("input rank " + dims + " exceeds " + MAX_DIMS);

        // GetValidatedBeginAndSizeVectors, into TFLM's front-padded 5-D parameters (begin 0, size 1).
        int offset = MAX_DIMS - dims;
        int[] begin = new int[MAX_DIMS];
        int[] size = new int[MAX_DIMS];
        java.util.Arrays.fill(size, 1);
        long sliced = 1;
        for (int idx = 0; idx < dims; idx++) {
            long b = value(beginView, idx);
            long s = value(sizeView, idx);
            int inputSize = in.dim(idx);
            if (b < 0 || b > inputSize) throw ctx.unsupported("begin " + b + " of dim " + idx + " is outside [0, " + inputSize + "]");
            long remaining = inputSize - b;
            long resolved = s == -1 ? remaining : s;
            if (resolved < 0 || resolved > remaining) throw ctx.unsupported("size " + s + " of dim " + idx + " exceeds the " + remaining + " remaining elements");
            sliced *= resolved;
            begin[offset + idx] = (int) b;
            size[offset + idx] = (int) s;
        }
        if (sliced != out.elements()) throw ctx.unsupported("the slice has " + sliced + " elements but the output has " + out.elements());

        int[] ext = in.shape().extended(MAX_DIMS);
        int[] start = new int[MAX_DIMS];
        int[] stop = new int[MAX_DIMS];
        for (int i = 0; i < MAX_DIMS; i++) {
            start[i] = begin[i];
            stop[i] = size[i] == -1 ? ext[i] : start[i] + size[i];
        }
        int run = stop[4] - start[4];
        if (run <= 0) return;
        int w = 0;
        for (int i0 = start[0]; i0 < stop[0]; i0++) {
            for (int i1 = start[1]; i1 < stop[1]; i1++) {
                for (int i2 = start[2]; i2 < stop[2]; i2++) {
                    for (int i3 = start[3]; i3 < stop[3]; i3++) {
                        int base = (((i0 * ext[1] + i1) * ext[2] + i2) * ext[3] + i3) * ext[4];
                        DataMovement.copy(out, w, in, base + start[4], run, esize);
                        w += run;
                    }
                }
            }
        }
    }

    private static long value(View v, int i) { return v.dtype() == DType.INT64 ? v.i64(i) : v.i32(i); }
}
