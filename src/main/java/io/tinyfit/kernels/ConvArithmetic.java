package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Region;

/**
 * The arithmetic of one output element of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED, one subclass per dtype
 * variant, so that each kernel writes its loop nest once: the nest calls {@link #clear}, then {@link #mac} for each
 * in-image tap (a run of input channels), then {@link #end}, which either finishes the element into the output
 * (bias, requantisation, activation) or, for the accumulate/finish split, stores or adds the raw sum to an
 * accumulator. The integer sums are kept in a long: adding in 64 bits and truncating to 32 bits gives the same bits
 * as TFLM's wrapping int32 accumulator, so one sum serves the int32 and the int64 paths, and partial sums over
 * channel slices add up to the unsplit sum exactly.
 *
 * <p>One instance per kernel call: it holds the running sum.
 */
abstract class ConvArithmetic {
    /** What {@link #end} does with an element's sum. */
    enum Mode { COMPUTE, ACCUMULATE_FIRST, ACCUMULATE_ADD }

    private Mode mode = Mode.COMPUTE;

    final ConvArithmetic mode(Mode m) {
        this.mode = m;
        return this;
    }

    /** Called at the start of each batch image (the hybrid paths quantise per image). */
    void batch(int b) {}

    abstract void clear();

    /** Adds {@code n} products of input {@code in[i + k * is]} and filter {@code f[fi + k * fs]}, k ascending. */
    abstract void mac(View in, int i, int is, View f, int fi, int fs, int n);

    /**
     * Adds the one product of input {@code in[i]} and filter {@code f[fi]} (a depthwise tap). Not {@link #mac} with
     * n = 1: the JIT profiles a method's loop once for all its callers, and millions of one-trip depthwise calls
     * would make it compile the convolution's long channel loops as short ones.
     */
    abstract void tap(View in, int i, View f, int fi);

    /** Bias, requantisation and activation of the sum of output channel oc into {@code out[o]}. */
    abstract void finish(int oc, View out, int o);

    /** Stores ({@code add} false) or adds the sum to accumulator element {@code acc[a]}. */
    abstract void store(View acc, int a, boolean add);

    /** Makes accumulator element {@code acc[a]} the sum, for {@link #finish}. */
    abstract void load(View acc, int a);

    final void end(int oc, View target, int index) {
        // An identity test rather than an enum switch: this runs once per output element.
        if (mode == Mode.COMPUTE) finish(oc, target, index);
        else store(target, index, mode == Mode.ACCUMULATE_ADD);
    }

    /**
     * The finish step: every element of {@code region} (row-major, the output channel last) from the accumulator
     * into the output, in the order the unsplit kernel writes them.
     */
    final void finishRegion(Region region, View acc, View out) {
        if (region.isEmpty()) return;
        int last = region.rank() - 1;
        int[] x = region.lo();
        while (true) {
            load(acc, acc.at(x));
            finish(x[last], out, out.at(x));
            if (!region.next(x, x.length)) return;
        }
    }

    /**
     * The quantized paths: sum {@code (filter + filterOffset) * (input + inputOffset)}, then TFLM's finish: int32
     * ({@code wide} false: sum truncated to int32 plus an int32 bias, the int32 {@code MultiplyByQuantizedMultiplier})
     * or int64 ({@code wide}: an int64 bias, the int64 one), the output offset, the activation clamp.
     */
    abstract static class Quantized extends ConvArithmetic {
        long acc;
        int inputOffset;
        final int filterOffset;
        private final int[] multiplier, shift;
        private final int outputOffset, lo, hi;
        private final View bias;
        private final boolean wide, out16;

        /**
         * @param multiplier per output channel (a per-tensor multiplier repeated)
         * @param act        the activation range {lo, hi}
         */
        Quantized(int inputOffset, int filterOffset, int[] multiplier, int[] shift, int outputOffset, int[] act, View bias, boolean wide, View out) {
            this.inputOffset = inputOffset;
            this.filterOffset = filterOffset;
            this.multiplier = multiplier;
            this.shift = shift;
            this.outputOffset = outputOffset;
            this.lo = act[0];
            this.hi = act[1];
            this.bias = bias;
            this.wide = wide;
            this.out16 = out.dtype() == DType.INT16;
        }

        @Override final void clear() { acc = 0; }

        @Override void finish(int oc, View out, int o) {
            int r;
            if (wide) {
                long v = acc;
                if (bias != null) v += bias.i64(oc);
                r = QuantizedMath.multiplyByQuantizedMultiplier(v, multiplier[oc], shift[oc]);
            } else {
                int v = (int) acc;
                if (bias != null) v += bias.i32(oc);
                r = QuantizedMath.multiplyByQuantizedMultiplier(v, multiplier[oc], shift[oc]);
            }
            r = QuantizedMath.clamp(r + outputOffset, lo, hi);
            if (out16) out.setI16(o, r);
            else out.setI8(o, r);
        }

        /** int8 activations keep int32 partial sums, int16 activations int64 ones (the accumulator view's type). */
        @Override final void store(View a, int i, boolean add) {
            if (a.dtype() == DType.INT64) a.setI64(i, add ? a.i64(i) + acc : acc);
            else a.setI32(i, add ? a.i32(i) + (int) acc : (int) acc);
        }

        @Override final void load(View a, int i) { acc = a.dtype() == DType.INT64 ? a.i64(i) : a.i32(i); }
    }

    /** int8 activations and weights. */
    static final class Int8 extends Quantized {
        Int8(int inputOffset, int filterOffset, int[] multiplier, int[] shift, int outputOffset, int[] act, View bias, View out) {
            super(inputOffset, filterOffset, multiplier, shift, outputOffset, act, bias, false, out);
        }

        /**
         * The sum stays in an int: the 8-bit finish uses only its low 32 bits, so wrapping here changes nothing, and
         * the unit-stride loop over an int sum without a weight offset (every int8 conv) is the one the JIT compiles
         * best: the speed of whole-tensor runs depends on it.
         */
        @Override void mac(View in, int i, int is, View f, int fi, int fs, int n) {
            int sum = 0;
            if (is == 1 && fs == 1 && filterOffset == 0) {
                for (int k = 0; k < n; k++) sum += f.i8(fi + k) * (in.i8(i + k) + inputOffset);
            } else {
                for (int k = 0; k < n; k++) sum += (f.i8(fi + k * fs) + filterOffset) * (in.i8(i + k * is) + inputOffset);
            }
            acc += sum;
        }

        @Override void tap(View in, int i, View f, int fi) { acc += (f.i8(fi) + filterOffset) * (in.i8(i) + inputOffset); }
    }

    /** TFLite's legacy uint8: uint8 activations and weights, both with zero points. */
    static final class Uint8 extends Quantized {
        Uint8(int inputOffset, int filterOffset, int[] multiplier, int[] shift, int outputOffset, int[] act, View bias, View out) {
            super(inputOffset, filterOffset, multiplier, shift, outputOffset, act, bias, false, out);
        }

        @Override void mac(View in, int i, int is, View f, int fi, int fs, int n) {
            long sum = acc;
            for (int k = 0; k < n; k++) sum += (f.u8(fi + k * fs) + filterOffset) * (in.u8(i + k * is) + inputOffset);
            acc = sum;
        }

        @Override void tap(View in, int i, View f, int fi) { acc += (f.u8(fi) + filterOffset) * (in.u8(i) + inputOffset); }
    }

    /** int16 activations, int8 weights: the int16 spec has no input or output zero point. */
    static final class Int16 extends Quantized {
        Int16(int filterOffset, int[] multiplier, int[] shift, int[] act, View bias, boolean wide, View out) {
            super(0, filterOffset, multiplier, shift, 0, act, bias, wide, out);
        }

        @Override void mac(View in, int i, int is, View f, int fi, int fs, int n) {
            long sum = acc;
            for (int k = 0; k < n; k++) sum += (f.i8(fi + k * fs) + filterOffset) * in.i16(i + k * is);
            acc = sum;
        }

        @Override void tap(View in, int i, View f, int fi) { acc += (f.i8(fi) + filterOffset) * in.i16(i); }
    }

    /**
     * TFLite's hybrid CONV_2D / DEPTHWISE_CONV_2D: the float input was quantised per batch image into {@code q}
     * (same element indices as the dense input); the int32 sum of {@code filter * (q - zp[b])} is scaled back to
     * float. Per-channel conv ({@code HybridConvPerChannel}) and depthwise multiply the sum by the filter scale and
     * the image scale, per-tensor conv ({@code EvalHybrid}) by the folded scale; then the bias and the clamp.
     */
    static final class Hybrid extends Quantized {
        private final View q;
        private final float[] imageScale;
        private final int[] zeroPoint;
        private final float[] filterScale;
        private final boolean perChannelConv, depthwise;
        private final View floatBias;
        private final float flo, fhi;
        private float scale;

        Hybrid(View q, float[] imageScale, int[] zeroPoint, float[] filterScale, boolean perChannelConv, boolean depthwise, View bias, float[] act, View out) {
            super(0, 0, null, null, 0, new int[2], null, false, out);
            this.q = q;
            this.imageScale = imageScale;
            this.zeroPoint = zeroPoint;
            this.filterScale = filterScale;
            this.perChannelConv = perChannelConv;
            this.depthwise = depthwise;
            this.floatBias = bias;
            this.flo = act[0];
            this.fhi = act[1];
        }

        @Override void batch(int b) {
            inputOffset = -zeroPoint[b];
            scale = imageScale[b];
        }

        @Override void mac(View in, int i, int is, View f, int fi, int fs, int n) {
            long sum = acc;
            for (int k = 0; k < n; k++) sum += f.i8(fi + k * fs) * (q.i8(i + k * is) + inputOffset);
            acc = sum;
        }

        @Override void tap(View in, int i, View f, int fi) { acc += f.i8(fi) * (q.i8(i) + inputOffset); }

        @Override void finish(int oc, View out, int o) {
            int sum = (int) acc;
            float r;
            if (depthwise) {
                r = (float) sum;
                r *= filterScale[oc] * scale;
                if (floatBias != null) r += floatBias.f32(oc);
            } else if (perChannelConv) {
                r = sum * filterScale[oc] * scale;
                if (floatBias != null) r += floatBias.f32(oc);
            } else {
                r = 0f;
                r += sum * scale;
                if (floatBias != null) r = r + floatBias.f32(oc);
            }
            out.setF32(o, QuantizedMath.clamp(r, flo, fhi));
        }
    }

    /** float32: products summed in loop order, then {@code total + bias} clamped. */
    static final class Float32 extends ConvArithmetic {
        private float total;
        private final View bias;
        private final float lo, hi;

        Float32(View bias, float[] act) {
            this.bias = bias;
            this.lo = act[0];
            this.hi = act[1];
        }

        @Override void clear() { total = 0f; }

        @Override void mac(View in, int i, int is, View f, int fi, int fs, int n) {
            float t = total;
            for (int k = 0; k < n; k++) t += in.f32(i + k * is) * f.f32(fi + k * fs);
            total = t;
        }

        @Override void tap(View in, int i, View f, int fi) { total += in.f32(i) * f.f32(fi); }

        @Override void finish(int oc, View out, int o) {
            float biasValue = bias != null ? bias.f32(oc) : 0.0f;
            out.setF32(o, QuantizedMath.clamp(total + biasValue, lo, hi));
        }

        @Override void store(View acc, int a, boolean add) { throw new IllegalStateException("float32 has no partial sums"); }

        @Override void load(View acc, int a) { throw new IllegalStateException("float32 has no partial sums"); }
    }
}
