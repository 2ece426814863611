package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * SOFTMAX over the last dimension, bit-exact with TFLM's {@code softmax_common.cc} and TFLite's
 * {@code reference/softmax.h}:
 * <ul>
 * <li>float32: max, then expf((x - max) * beta) cached in the output and summed, then division by the sum;</li>
 * <li>int8 → int8, int8 → int16 (and TFLite's legacy uint8 → uint8): the gemmlowp fixed-point path with
 *   input_beta_multiplier / left shift, diff_min, exp_on_negative_values and GetReciprocal;</li>
 * <li>int16 → int16: {@code SoftmaxInt16} with the two 513-entry LUTs TFLM generates in Prepare.</li>
 * </ul>
 */
final class SoftmaxKernel implements Kernel {
    static final int SCALED_DIFF_INTEGER_BITS = 5;
    private static final int ACCUMULATION_INTEGER_BITS = 12;

    /** Largest row the 8-bit path can sum: each exp is at most 1.0 in Q12.19, so 4,096 of them overflow int32. */
    private static final int MAX_QUANTIZED_DEPTH = (1 << ACCUMULATION_INTEGER_BITS) - 1;

    /** softmax_common.cc's Prepare: one input and output of one shape, a beta, and the supported type pairs. */
    @Override
    public void prepare(Preparation p) {
        p.inputs(1, 1);
        p.outputs(1, 1);
        Tensor in = p.input(0), out = p.output(0);
        p.rank(in, "input", 1, 6);
        p.sameShape(in, "input", out, "output");
        float beta = p.floatOption("beta");
        DType ti = in.dtype(), to = out.dtype();
        if (ti == DType.FLOAT32 && to == DType.FLOAT32) return;
        boolean eightBit = (ti == DType.INT8 && (to == DType.INT8 || to == DType.INT16)) || (ti == DType.UINT8 && to == DType.UINT8);
        if (!eightBit && !(ti == DType.INT16 && to == DType.INT16)) throw p.unsupported("input " + ti + " with output " + to);
        float inScale = p.quantized(in, "input").scale();
        p.quantized(out, "output");
        if (eightBit) {
            int depth = in.shape().fromEnd(1);
            p.require(depth <= MAX_QUANTIZED_DEPTH, "a row of " + depth + " classes overflows the 8-bit path's sum (at most " + MAX_QUANTIZED_DEPTH + ")");
        } else {
            p.zeroPoint(out, "output", 0);
            p.multiplier((double) inScale * (double) beta / (10.0 / 65535.0), "input");
        }
    }

    /** exp on [-10, 0] and 1/(1+x) on [0, 1], as {@code gen_lut<float, int16_t, int16_t>} builds them in Prepare. */
    private static final short[] EXP_LUT = genLutInt16(Libm::expf, -10.0f, 0.0f, -1.0f, 1.0f);
    private static final short[] ONE_OVER_ONE_PLUS_X_LUT = genLutInt16(v -> 1.0f / (1.0f + v), 0.0f, 1.0f, -1.0f, 1.0f);

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        float beta = ctx.op().options().getFloat("beta");
        DType ti = in.dtype(), to = out.dtype();
        if (in.rank() < 1) throw ctx.unsupported("softmax of a scalar");
        int depth = in.dim(in.rank() - 1);
        int outer = depth == 0 ? 0 : in.elements() / depth;
        if (ti == DType.FLOAT32 && to == DType.FLOAT32) {
            softmaxFloat(in, out, outer, depth, beta);
        } else if ((ti == DType.INT8 && (to == DType.INT8 || to == DType.INT16)) || (ti == DType.UINT8 && to == DType.UINT8)) {
            softmaxQuantized(in, out, outer, depth, beta);
        } else if (ti == DType.INT16 && to == DType.INT16) {
            softmaxInt16(ctx, in, out, outer, depth, beta);
        } else {
            throw ctx.unsupported("input " + ti + " with output " + to);
        }
    }

    private static void softmaxFloat(View in, View out, int outer, int depth, float beta) {
        for (int i = 0; i < outer; i++) {
            int base = i * depth;
            float max = -Float.MAX_VALUE;
            for (int c = 0; c < depth; c++) {
                float v = in.f32(base + c);
                if (max < v) max = v; // std::max(max, v)
            }
            float sum = 0f;
            for (int c = 0; c < depth; c++) {
                float e = Libm.expf((in.f32(base + c) - max) * beta);
                out.setF32(base + c, e);
                sum += e;
            }
            for (int c = 0; c < depth; c++) out.setF32(base + c, out.f32(base + c) / sum);
        }
    }

    /** {@code reference_ops::Softmax<InputT, OutputT>} for 8-bit inputs. */
    private static void softmaxQuantized(View in, View out, int outer, int depth, float beta) {
        KernelParameters.Softmax m = KernelParameters.softmax(beta, in.scale(), SCALED_DIFF_INTEGER_BITS);
        int inputBetaMultiplier = m.multiplier(), inputBetaLeftShift = m.leftShift();
        int diffMin = m.diffMin();
        DType ti = in.dtype(), to = out.dtype();
        boolean unsignedIn = ti == DType.UINT8;
        int inMin = unsignedIn ? 0 : -128;
        int outBits = to == DType.INT16 ? 16 : 8;
        int outMin = to == DType.UINT8 ? 0 : (to == DType.INT16 ? -32768 : -128);
        int outMax = to == DType.UINT8 ? 255 : (to == DType.INT16 ? 32767 : 127);

        for (int i = 0; i < outer; i++) {
            int base = i * depth;
            int maxInRow = inMin;
            for (int c = 0; c < depth; c++) maxInRow = Math.max(maxInRow, read8(in, base + c, unsignedIn));

            int sumOfExps = 0; // Q12.19
            for (int c = 0; c < depth; c++) {
                int inputDiff = read8(in, base + c, unsignedIn) - maxInRow;
                if (inputDiff >= diffMin) {
                    int rescaled = QuantizedMath.multiplyByQuantizedMultiplierGreaterThanOne(inputDiff, inputBetaMultiplier, inputBetaLeftShift);
                    sumOfExps += QuantizedMath.fixedPointRescale(
                            QuantizedMath.expOnNegativeValues(rescaled, SCALED_DIFF_INTEGER_BITS), 0, ACCUMULATION_INTEGER_BITS);
                }
            }

            int[] recip = QuantizedMath.getReciprocal(sumOfExps, ACCUMULATION_INTEGER_BITS);
            int shiftedScale = recip[0];
            int exponent = recip[1] + 31 - outBits;
            if (exponent < 0 || exponent > 31) throw new IllegalStateException("softmax exponent " + exponent + " out of [0, 31]");

            for (int c = 0; c < depth; c++) {
                int inputDiff = read8(in, base + c, unsignedIn) - maxInRow;
                int o = base + c;
                if (inputDiff >= diffMin) {
                    int rescaled = QuantizedMath.multiplyByQuantizedMultiplierGreaterThanOne(inputDiff, inputBetaMultiplier, inputBetaLeftShift);
                    int expIn0 = QuantizedMath.expOnNegativeValues(rescaled, SCALED_DIFF_INTEGER_BITS);
                    int unsat = QuantizedMath.roundingDivideByPOT(QuantizedMath.saturatingRoundingDoublingHighMul(shiftedScale, expIn0), exponent);
                    int shifted = unsat + outMin;
                    write(out, o, Math.max(Math.min(shifted, outMax), outMin), outBits);
                } else {
                    write(out, o, outMin, outBits);
                }
            }
        }
    }

    private static int read8(View v, int i, boolean unsigned) { return unsigned ? v.u8(i) : v.i8(i); }

    private static void write(View v, int i, int value, int bits) {
        if (bits == 16) v.setI16(i, value);
        else v.setI8(i, value);
    }

    /** {@code reference_ops::SoftmaxInt16}: exp via LUT cached in the output row, reciprocal via LUT. */
    private static void softmaxInt16(OpContext ctx, View in, View out, int outer, int depth, float beta) {
        if (out.zeroPoint() != 0) throw ctx.unsupported("int16 softmax output zero point " + out.zeroPoint());
        // Scale the input difference so that [-65535, 0] maps onto [-10.0, 0.0], the exp LUT's domain.
        double inputScaleBetaRescale = (double) in.scale() * (double) beta / (10.0 / 65535.0);
        int[] m = QuantizedMath.quantizeMultiplier(inputScaleBetaRescale);
        int inputMultiplier = m[0], inputLeftShift = m[1];

        for (int i = 0; i < outer; i++) {
            int base = i * depth;
            int maxInRow = -32768;
            for (int c = 0; c < depth; c++) maxInRow = Math.max(maxInRow, in.i16(base + c));

            int sumOfExps = 0; // Q16.15
            for (int c = 0; c < depth; c++) {
                int inputDiff = in.i16(base + c) - maxInRow;
                int scaledDiff = QuantizedMath.multiplyByQuantizedMultiplier(inputDiff, inputMultiplier, inputLeftShift);
                int symScaledDiff = scaledDiff + 32767;
                int sat = Math.min(Math.max(symScaledDiff, -32768), 32767);
                out.setI16(base + c, lutLookup(sat, EXP_LUT));
                sumOfExps += out.i16(base + c);
            }

            int headroomPlusOne = Integer.numberOfLeadingZeros(sumOfExps);
            int shiftedSum = (int) ((((long) sumOfExps << (headroomPlusOne - 1)) + (1 << 13)) >> 14);
            // The LUT computes 1/(1 + x) on a symmetric input: x = sum - 1 recentred from [0, 65535].
            int symShiftedSum = shiftedSum + (-((1 << 15) + (1 << 16)));
            int sat = (short) Math.min(Math.max(symShiftedSum, -32768), 32767);
            int reciprocalScaleQ015 = lutLookup(sat, ONE_OVER_ONE_PLUS_X_LUT);

            for (int c = 0; c < depth; c++) {
                int rightShift = 31 - headroomPlusOne;
                long round = 1 << (rightShift - 1);
                int result = (int) (((long) out.i16(base + c) * (long) reciprocalScaleQ015 + round) >> rightShift);
                out.setI16(base + c, Math.min(Math.max(result, 0), 32767));
            }
        }
    }

    /** {@code lut_lookup_with_interpolation} for int16 input and output: 512 segments, linear interpolation. */
    static int lutLookup(int value, short[] lut) {
        int index = (256 + (value >> 7)) & 0xFFFF;
        int offset = (short) (value & 0x7f);
        int base = lut[index];
        int slope = (short) (lut[index + 1] - lut[index]);
        int delta = (slope * offset + 64) >> 7;
        return (short) (base + delta);
    }

    interface FloatFunction { float apply(float x); }

    /** {@code gen_lut<float, int16_t, int16_t>}: 512 samples plus one extra interpolation end point, in float. */
    static short[] genLutInt16(FloatFunction func, float inputMin, float inputMax, float outputMin, float outputMax) {
        final int nbSteps = 512;
        float step = (inputMax - inputMin) / nbSteps;
        float halfStep = step / 2;
        float outputScalingInv = (float) (32767 - (-32768) + 1) / (outputMax - outputMin);
        float tableMin = -32768f;
        float tableMax = 32767f;
        short[] lut = new short[nbSteps + 1];
        for (int i = 0; i < nbSteps; i++) {
            float val = func.apply(inputMin + i * step);
            float valMidpoint = func.apply(inputMin + i * step + halfStep);
            float valNext = func.apply(inputMin + (i + 1) * step);
            float sampleVal = QuantizedMath.round(val * outputScalingInv);
            float midpointInterpVal = QuantizedMath.round((valNext * outputScalingInv + QuantizedMath.round(val * outputScalingInv)) / 2);
            float midpointVal = QuantizedMath.round(valMidpoint * outputScalingInv);
            float midpointErr = midpointInterpVal - midpointVal;
            float bias = QuantizedMath.round(midpointErr / 2);
            lut[i] = (short) (int) cppMin(cppMax(sampleVal - bias, tableMin), tableMax);
        }
        lut[nbSteps] = (short) (int) cppMin(cppMax(QuantizedMath.round(func.apply(inputMax) * outputScalingInv), tableMin), tableMax);
        return lut;
    }

    private static float cppMax(float a, float b) { return a < b ? b : a; }

    private static float cppMin(float a, float b) { return b < a ? b : a; }
}
