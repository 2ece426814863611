package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

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
    public void prepare(Preparation p) {
        p.inputs(3, 3);
        p.outputs(1, 1);
        Tensor in = p.input(0), begin = p.input(1), size = p.input(2), out = p.output(0);
        checkOperands(p, in, begin, size, out);
        // begin and size are often constants: then the Eval-time validation can run now
        if (begin.isConstant() && size.isConstant()) {
            validated(p, in, p.constantInts(begin, "begin"), p.constantInts(size, "size"), out);
        }
    }

    /** The operand rules of slice.cc: dtypes, begin and size 1-D int32/int64 of one value per input dim, at most 5 dims. */
    private static void checkOperands(Refusals r, Tensor in, Tensor begin, Tensor size, Tensor out) {
        DataMovement.movable(r, in, out, TYPES);
        int dims = in.shape().rank();
        if (begin.dtype() != size.dtype()) throw r.unsupported("begin and size types differ");
        if (begin.dtype() != DType.INT32 && begin.dtype() != DType.INT64) {
            throw r.unsupported("begin of type " + begin.dtype().label() + " is not supported (int32 or int64)");
        }
        if (begin.shape().rank() != 1 || size.shape().rank() != 1 || begin.shape().numElements() != dims || size.shape().numElements() != dims) {
            throw r.invalid("begin and size must be 1-D with one value per input dim (" + dims + ")");
        }
        if (dims > MAX_DIMS) throw r.unsupported("input rank " + dims + " exceeds " + MAX_DIMS);
    }

    /**
     * GetValidatedBeginAndSizeVectors, into TFLM's front-padded 5-D parameters (begin 0, size 1): returns
     * {begin, size}, after checking 0 &lt;= begin &lt;= dim, sizes within the rest, and the output's element count.
     */
    private static int[][] validated(Refusals r, Tensor in, long[] beginValues, long[] sizeValues, Tensor out) {
        int dims = in.shape().rank();
        int offset = MAX_DIMS - dims;
        int[] begin = new int[MAX_DIMS];
        int[] size = new int[MAX_DIMS];
        java.util.Arrays.fill(size, 1);
        long sliced = 1;
        for (int idx = 0; idx < dims; idx++) {
            long b = beginValues[idx];
            long s = sizeValues[idx];
            int inputSize = in.shape().dim(idx);
            if (b < 0 || b > inputSize) throw r.invalid("begin " + b + " of dim " + idx + " is outside [0, " + inputSize + "]");
            long remaining = inputSize - b;
            long resolved = s == -1 ? remaining : s;
            if (resolved < 0 || resolved > remaining) throw r.invalid("size " + s + " of dim " + idx + " exceeds the " + remaining + " remaining elements");
            sliced *= resolved;
            begin[offset + idx] = (int) b;
            size[offset + idx] = (int) s;
        }
        if (sliced != out.shape().numElements()) throw r.invalid("the slice has " + sliced + " elements but the output has " + out.shape().numElements());
        return new int[][] {begin, size};
    }

    private static int[][] validated(Refusals r, Tensor in, int[] beginValues, int[] sizeValues, Tensor out) {
        return validated(r, in, java.util.Arrays.stream(beginValues).asLongStream().toArray(), java.util.Arrays.stream(sizeValues).asLongStream().toArray(), out);
    }

    @Override
    public void eval(OpContext ctx) {
        if (ctx.inputCount() != 3) throw ctx.invalid(ctx.inputCount() + " inputs; SLICE takes 3");
        View in = ctx.input(0);
        View beginView = ctx.input(1);
        View sizeView = ctx.input(2);
        View out = ctx.output(0);
        checkOperands(ctx, in.tensor(), beginView.tensor(), sizeView.tensor(), out.tensor());
        int esize = in.dtype().bytes();
        int dims = in.rank();
        long[] beginValues = new long[dims], sizeValues = new long[dims];
        for (int idx = 0; idx < dims; idx++) {
            beginValues[idx] = value(beginView, idx);
            sizeValues[idx] = value(sizeView, idx);
        }
        int[][] bs = validated(ctx, in.tensor(), beginValues, sizeValues, out.tensor());
        int[] begin = bs[0], size = bs[1];

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
