package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Shared pieces of the data-movement kernels (RESHAPE, PAD, CONCATENATION, SPLIT, ...). These kernels never
 * look at values, only at element sizes, so they move raw bytes: a run of {@code n} consecutive elements is one
 * {@link View#copyBytes} call (an {@code arraycopy} between arena views), in the same ascending order as the
 * element loop or {@code memcpy} of TFLM's reference kernel.
 */
final class DataMovement {
    /** The dtypes whose bytes can be moved without looking at them (TFLM's {@code TfLiteTypeSizeOf} knows them). */
    static final Set<DType> SIZED = EnumSet.of(DType.FLOAT32, DType.FLOAT16, DType.FLOAT64, DType.INT8, DType.UINT8,
            DType.INT16, DType.UINT16, DType.INT32, DType.UINT32, DType.INT64, DType.UINT64, DType.BOOL,
            DType.COMPLEX64, DType.COMPLEX128);

    /** Largest element count of a pad-value pattern; longer fills repeat it. */
    private static final int PATTERN_ELEMENTS = 64;

    private DataMovement() {}

    /** The element size of {@code t}, after checking that TFLM's kernel accepts its dtype. */
    static int elementBytes(Refusals r, Tensor t, String role, Set<DType> allowed) {
        if (!allowed.contains(t.dtype())) {
            throw r.unsupported(role + " of type " + t.dtype().label() + " is not supported (TFLM accepts " + labels(allowed) + ")");
        }
        return t.dtype().bytes();
    }

    static Set<DType> of(DType first, DType... rest) { return EnumSet.of(first, rest); }

    /**
     * The element size of a data-moving operator's input, after checking that TFLM's kernel accepts its dtype and
     * that the output has the same one.
     */
    static int movable(Refusals r, Tensor in, Tensor out, Set<DType> allowed) {
        int esize = elementBytes(r, in, "input", allowed);
        requireSameType(r, in, out, "output");
        return esize;
    }

    /** Output i must have input 0's dtype: the reference kernels are templated on one element type. */
    static void requireSameType(Refusals r, Tensor in, Tensor out, String outRole) {
        if (in.dtype() != out.dtype()) {
            throw r.unsupported(outRole + " of type " + out.dtype().label() + " differs from the input's " + in.dtype().label());
        }
    }

    /** The values of a constant int32 or int64 operand (axes, shapes, paddings, begin/end/strides). */
    static int[] constantInts(Refusals r, Tensor t, String role) {
        if (t == null) throw r.invalid(role + " operand is missing");
        if (!t.isConstant()) throw r.unsupported("non-constant " + role + " tensor is not supported");
        if (t.dtype() != DType.INT32 && t.dtype() != DType.INT64) {
            throw r.unsupported(role + " of type " + t.dtype().label() + " is not supported (int32 or int64)");
        }
        int[] out = new int[(int) t.shape().numElements()];
        for (int i = 0; i < out.length; i++) out[i] = t.dtype() == DType.INT64 ? (int) t.data().i64At(8 * i) : t.data().i32At(4 * i);
        return out;
    }

    /** Input i of the operator as a tensor, or null when it is omitted or missing. */
    static Tensor optionalTensor(Refusals r, int i) {
        return r.op().hasInput(i) ? r.graph().tensor(r.op().input(i)) : null;
    }

    /** Copies {@code count} elements of {@code esize} bytes; a no-op for an empty run. */
    static void copy(View dst, int dstElem, View src, int srcElem, int count, int esize) {
        if (count > 0) dst.copyBytes(dstElem * esize, src, srcElem * esize, count * esize);
    }

    /**
     * Copies a run of {@code count} elements that lie {@code dstStep} and {@code srcStep} storage elements apart: one
     * copy when both are contiguous (what the whole-tensor kernels do), else element by element, in order.
     */
    static void copy(View dst, int dstElem, int dstStep, View src, int srcElem, int srcStep, int count, int esize) {
        if (count <= 1 || (dstStep == 1 && srcStep == 1)) {
            copy(dst, dstElem, src, srcElem, count, esize);
            return;
        }
        for (int k = 0; k < count; k++) copy(dst, dstElem + k * dstStep, src, srcElem + k * srcStep, 1, esize);
    }

    /**
     * Copies the box of {@code extents} from {@code src} at global coordinate {@code srcStart} to {@code dst} at
     * {@code dstStart}, in row-major order; trailing dimensions that are contiguous in both views go as one run (on
     * whole tensors, the single copy of the reference kernel).
     */
    static void copyBox(View dst, int[] dstStart, View src, int[] srcStart, int[] extents, int esize) {
        int rank = extents.length;
        for (int e : extents) if (e == 0) return;
        if (rank == 0) {
            copy(dst, dst.at(dstStart), src, src.at(srcStart), 1, esize);
            return;
        }
        // Merge trailing dims while both views store them back to back.
        int merged = rank - 1;
        int run = extents[rank - 1];
        int dstStep = dst.stride(rank - 1), srcStep = src.stride(rank - 1);
        if (dstStep == 1 && srcStep == 1) {
            while (merged > 0 && dst.stride(merged - 1) == run && src.stride(merged - 1) == run) {
                merged--;
                run *= extents[merged];
            }
        }
        int[] d = dstStart.clone(), s = srcStart.clone();
        while (true) {
            copy(dst, dst.at(d), dstStep, src, src.at(s), srcStep, run, esize);
            int k = merged - 1;
            while (k >= 0) {
                d[k]++;
                s[k]++;
                if (d[k] < dstStart[k] + extents[k]) break;
                d[k] = dstStart[k];
                s[k] = srcStart[k];
                k--;
            }
            if (k < 0) return;
        }
    }

    /** Axis counted from the end when negative, as TFLM does; throws when it stays out of {@code [0, rank)}. */
    static int positiveAxis(Refusals r, int axis, int rank, String what) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw r.invalid(what + " " + axis + " is out of range for rank " + rank);
        return a;
    }

    /** Product of {@code dims[from..to)}. */
    static int product(int[] dims, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= dims[i];
        return p;
    }

    /** The first element of a scalar operand as raw little-endian bytes (a pad value, say). */
    static byte[] firstElementBytes(View v) {
        byte[] b = new byte[v.dtype().bytes()];
        for (int i = 0; i < b.length; i++) b[i] = (byte) v.rawByte(i);
        return b;
    }

    private static String labels(Set<DType> types) {
        return Arrays.toString(types.stream().map(DType::label).toArray());
    }

    /**
     * Writes one element value many times. The value is held, repeated, in a small view of its own, so a run of
     * pad elements is a few {@code copyBytes} calls in ascending order, like the reference kernel's
     * {@code *out_ptr++ = pad_value} loop.
     */
    static final class Filler {
        private final View pattern;
        private final int esize;

        Filler(byte[] value) {
            this.esize = value.length;
            byte[] mem = new byte[PATTERN_ELEMENTS * esize];
            for (int i = 0; i < PATTERN_ELEMENTS; i++) System.arraycopy(value, 0, mem, i * esize, esize);
            Tensor t = new Tensor(-1, "pad value", DType.INT8, Shape.of(mem.length), null, null, 0, null, false, false);
            this.pattern = new ArenaView(mem, 0, t);
        }

        /** Writes the value into {@code count} elements {@code step} storage elements apart. */
        void fill(View dst, int dstElem, int step, int count) {
            if (step == 1 || count <= 1) {
                fill(dst, dstElem, count);
                return;
            }
            for (int k = 0; k < count; k++) fill(dst, dstElem + k * step, 1);
        }

        void fill(View dst, int dstElem, int count) {
            while (count > 0) {
                int n = Math.min(count, PATTERN_ELEMENTS);
                dst.copyBytes(dstElem * esize, pattern, 0, n * esize);
                dstElem += n;
                count -= n;
            }
        }
    }
}
