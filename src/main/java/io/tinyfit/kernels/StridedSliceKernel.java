package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Options;
import io.tinyfit.model.Tensor;

import java.util.Arrays;
import java.util.Set;

/**
 * STRIDED_SLICE (TFLM {@code micro/kernels/strided_slice.cc}). TFLM builds its parameters from begin, end and
 * strides and from begin_mask, end_mask and shrink_axis_mask only: ellipsis_mask and new_axis_mask are set to 0
 * and the offset flag is never copied, so all three are ignored here too. Prepare checks the model's output
 * shape with {@code StartForAxis}/{@code StopForAxis}; Eval runs the reference {@code StridedSlice}, which pads
 * the parameters to 5-D ({@code StridedSlicePadIndices}) and uses {@code StridedSliceStartForAxis}/
 * {@code StridedSliceEndForAxis} in a 5-deep loop, writing the output sequentially. With an innermost stride of 1
 * it writes whole runs ({@code WriteN}), copied here at once.
 */
final class StridedSliceKernel implements Kernel {
    private static final Set<DType> TYPES = DataMovement.of(DType.FLOAT32, DType.INT8, DType.INT16, DType.INT32, DType.BOOL);
    /** TFLM's kernel supports up to 4-D inputs. */
    private static final int MAX_DIMS = 4;
    private static final int PADDED_DIMS = 5;

    @Override
    public void prepare(Preparation p) {
        p.outputs(1, 1);
        check(p);
    }

    /**
     * TFLM's strided_slice.cc Prepare: four inputs, at most 4 dims, constant int32 begin, end and strides with a
     * value per dim, non-zero strides, and the output shaped as the slice. Returns {begin, end, strides}.
     */
    private static int[][] check(Refusals r) {
        if (r.op().inputs().size() != 4) throw r.invalid(r.op().inputs().size() + " inputs; STRIDED_SLICE takes 4");
        Tensor in = DataMovement.optionalTensor(r, 0);
        if (in == null) throw r.invalid("input 0 is missing");
        Tensor out = r.graph().tensor(r.op().output(0));
        DataMovement.movable(r, in, out, TYPES);
        int dims = in.shape().rank();
        if (dims > MAX_DIMS) throw r.unsupported("input rank " + dims + " exceeds " + MAX_DIMS);
        int[] begin = indexOperand(r, 1, "begin", dims);
        int[] end = indexOperand(r, 2, "end", dims);
        int[] strides = indexOperand(r, 3, "strides", dims);
        Options o = r.op().options();
        checkOutputSize(r, in.shape().toArray(), begin, end, strides, o.getInt("beginMask", 0), o.getInt("endMask", 0),
                o.getInt("shrinkAxisMask", 0), out.shape().toArray());
        return new int[][] {begin, end, strides};
    }

    @Override
    public void eval(OpContext ctx) {
        int[][] checked = check(ctx);
        int[] begin = checked[0], end = checked[1], strides = checked[2];
        View in = ctx.input(0);
        View out = ctx.output(0);
        int esize = in.dtype().bytes();
        int dims = in.rank();
        Options o = ctx.op().options();
        int beginMask = o.getInt("beginMask", 0);
        int endMask = o.getInt("endMask", 0);
        int shrinkMask = o.getInt("shrinkAxisMask", 0);
        int[] inDims = in.dims();
        KernelParameters.Slice slice = slice(inDims, begin, end, strides, beginMask, endMask, shrinkMask);
        int[] shape = new int[PADDED_DIMS];
        for (int i = 0; i < PADDED_DIMS; i++) shape[i] = i < PADDED_DIMS - dims ? 1 : inDims[i - (PADDED_DIMS - dims)];
        int[] start = slice.start(), stop = slice.stop(), s = slice.stride();

        int out1 = shape[1] * shape[2] * shape[3] * shape[4];
        int out2 = shape[2] * shape[3] * shape[4];
        int out3 = shape[3] * shape[4];
        int out4 = shape[4];
        boolean innerStrideIs1 = s[4] == 1;
        int w = 0;
        for (int i0 = start[0]; more(stop[0], s[0], i0); i0 += s[0]) {
            for (int i1 = start[1]; more(stop[1], s[1], i1); i1 += s[1]) {
                for (int i2 = start[2]; more(stop[2], s[2], i2); i2 += s[2]) {
                    for (int i3 = start[3]; more(stop[3], s[3], i3); i3 += s[3]) {
                        int base = i3 * out4 + i2 * out3 + i1 * out2 + i0 * out1;
                        if (innerStrideIs1) {
                            int len = stop[4] - start[4];
                            if (len > 0) {
                                DataMovement.copy(out, w, in, base + start[4], len, esize);
                                w += len;
                            }
                        } else {
                            for (int i4 = start[4]; more(stop[4], s[4], i4); i4 += s[4]) {
                                DataMovement.copy(out, w++, in, base + i4, 1, esize);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code StridedSlicePadIndices} (leading dims take [0, 1) with stride 1 and both masks set), then
     * {@code StridedSliceStartForAxis} and {@code StridedSliceEndForAxis} on every padded axis.
     */
    static KernelParameters.Slice slice(int[] inDims, int[] begin, int[] end, int[] strides, int beginMask, int endMask, int shrinkMask) {
        int dims = inDims.length;
        int pad = PADDED_DIMS - dims;
        int[] s = new int[PADDED_DIMS];
        int pBegin = (beginMask << pad) | ((1 << pad) - 1);
        int pEnd = (endMask << pad) | ((1 << pad) - 1);
        int pShrink = shrinkMask << pad;
        int[] start = new int[PADDED_DIMS];
        int[] stop = new int[PADDED_DIMS];
        for (int axis = 0; axis < PADDED_DIMS; axis++) {
            boolean padded = axis < pad;
            int shape = padded ? 1 : inDims[axis - pad];
            s[axis] = padded ? 1 : strides[axis - pad];
            start[axis] = paddedStart(shape, padded ? 0 : begin[axis - pad], s[axis], (pBegin & (1 << axis)) != 0);
            stop[axis] = paddedEnd(shape, padded ? 1 : end[axis - pad], s[axis], (pEnd & (1 << axis)) != 0, (pShrink & (1 << axis)) != 0, start[axis]);
        }
        return new KernelParameters.Slice(start, stop, s);
    }

    private static boolean more(int end, int stride, int index) { return stride < 0 ? index > end : index < end; }

    private static int[] indexOperand(Refusals r, int i, String name, int dims) {
        Tensor t = DataMovement.optionalTensor(r, i);
        if (t == null) throw r.invalid(name + " operand is missing");
        if (t.dtype() != DType.INT32) throw r.unsupported(name + " of type " + t.dtype().label() + " is not supported (TFLM reads int32)");
        int[] values = DataMovement.constantInts(r, t, name);
        if (values.length < dims) throw r.invalid(name + " holds " + values.length + " values for an input of rank " + dims);
        return Arrays.copyOf(values, dims);
    }

    private static int clamp(int v, int lo, int hi) { return hi < v ? hi : v < lo ? lo : v; }

    /** {@code strided_slice::StridedSliceStartForAxis}. */
    private static int paddedStart(int axisSize, int start, int stride, boolean masked) {
        if (start < 0) start += axisSize;
        start = stride > 0 ? clamp(start, 0, axisSize) : clamp(start, -1, axisSize - 1);
        if (masked) start = stride > 0 ? 0 : axisSize - 1;
        return start;
    }

    /** {@code strided_slice::StridedSliceEndForAxis}, with TFLM's offset flag always false. */
    private static int paddedEnd(int axisSize, int end, int stride, boolean masked, boolean shrink, int start) {
        if (shrink) return start >= axisSize ? start : start + 1;
        if (end < 0) end += axisSize;
        end = stride > 0 ? clamp(end, 0, axisSize) : clamp(end, -1, axisSize - 1);
        if (masked) end = stride > 0 ? axisSize : -1;
        return end;
    }

    /** {@code strided_slice::StartForAxis}, used by TFLM's Prepare on the unpadded parameters. */
    private static int startForAxis(int axisSize, int start, int stride, boolean masked) {
        if (axisSize == 0) return 0;
        if (masked) start = stride > 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        if (start < 0) start += axisSize;
        return stride > 0 ? clamp(start, 0, axisSize) : clamp(start, -1, axisSize - 1);
    }

    /** {@code strided_slice::StopForAxis}. */
    private static int stopForAxis(int axisSize, int stop, int stride, boolean masked, boolean shrink, int start) {
        if (axisSize == 0) return 0;
        if (shrink) return start + 1;
        if (masked) stop = stride > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        if (stop < 0) stop += axisSize;
        return stride > 0 ? clamp(stop, 0, axisSize) : clamp(stop, -1, axisSize - 1);
    }

    /** TFLM's CheckOutputSize: non-zero strides, and the model's output shape is the one the slice produces. */
    private static void checkOutputSize(Refusals ctx, int[] inDims, int[] begin, int[] end, int[] strides, int beginMask, int endMask,
                                        int shrinkMask, int[] outDims) {
        int[] expected = new int[inDims.length];
        int n = 0;
        for (int idx = 0; idx < inDims.length; idx++) {
            int stride = strides[idx];
            if (stride == 0) throw ctx.invalid("stride of axis " + idx + " is 0; it has to be non-zero");
            boolean shrink = (shrinkMask & (1 << idx)) != 0;
            int b = startForAxis(inDims[idx], begin[idx], stride, (beginMask & (1 << idx)) != 0);
            int e = stopForAxis(inDims[idx], end[idx], stride, (endMask & (1 << idx)) != 0, shrink, b);
            if (shrink) e = b + 1;
            // TFLM computes ceil((end - begin) / (float) stride) in single precision.
            int dim = (int) Math.ceil((float) (e - b) / (float) stride);
            if (dim < 0) dim = 0;
            if (!shrink) expected[n++] = dim;
        }
        int[] exp = Arrays.copyOf(expected, n);
        if (!Arrays.equals(exp, outDims)) {
            throw ctx.invalid("output shape " + Arrays.toString(outDims) + " differs from the slice's " + Arrays.toString(exp)
                    + " (TFLM ignores ellipsis_mask, new_axis_mask and offset)");
        }
    }
}
