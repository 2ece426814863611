package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * LOG_SOFTMAX over the last dimension, bit-exact with TFLM's {@code log_softmax.cc} and TFLite's
 * {@code reference/log_softmax.h}: float32 with glibc's expf/logf, and int8 ({@code LogSoftmaxQuantized} with
 * beta 1, output fixed at scale 16/256 and zero point 127).
 */
final class LogSoftmaxKernel implements Kernel {
    private static final int INPUT_INTEGER_BITS = 5;
    private static final int ACCUMULATION_INTEGER_BITS = 12;
    private static final int OUTPUT_INTEGER_BITS = 4;

    /** log_softmax.cc's Prepare: one input and output of one shape; int8 needs TFLM's fixed output quantisation. */
    @Override
    public void prepare(Preparation p) {
        DType t = ElementwiseKernels.prepareUnary(p, DType.FLOAT32, DType.INT8);
        p.rank(p.input(0), "input", 1, 6);
        if (t == DType.FLOAT32) return;
        p.quantized(p.input(0), "input");
        Tensor out = p.output(0);
        if (p.quantized(out, "output").scale() != 16.0f / 256 || out.quant().zeroPoint() != 127) {
            throw p.unsupported("int8 output quantisation " + out.quant().scale() + "/" + out.quant().zeroPoint() + " (TFLM requires 16/256, 127)");
        }
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("input " + t + " with output " + out.dtype());
        if (in.rank() < 1) throw ctx.unsupported("log_softmax of a scalar");
        int depth = in.dim(in.rank() - 1);
        int outer = depth == 0 ? 0 : in.elements() / depth;
        switch (t) {
            case FLOAT32 -> logSoftmaxFloat(in, out, outer, depth);
            case INT8 -> {
                if (out.scale() != 16.0f / 256 || out.zeroPoint() != 127) {
                    throw ctx.unsupported("int8 output quantisation " + out.scale() + "/" + out.zeroPoint() + " (TFLM requires 16/256, 127)");
                }
                logSoftmaxInt8(in, out, outer, depth);
            }
            default -> throw ctx.unsupported("dtype " + t);
        }
    }

    private static void logSoftmaxFloat(View in, View out, int outer, int depth) {
        for (int i = 0; i < outer; i++) {
            int base = i * depth;
            float max = -Float.MAX_VALUE;
            for (int c = 0; c < depth; c++) {
                float v = in.f32(base + c);
                if (max < v) max = v; // std::max(max, v)
            }
            float sum = 0f;
            for (int c = 0; c < depth; c++) sum += Libm.expf(in.f32(base + c) - max);
            float logSum = Libm.logf(sum);
            for (int c = 0; c < depth; c++) out.setF32(base + c, in.f32(base + c) - max - logSum);
        }
    }

    private static void logSoftmaxInt8(View in, View out, int outer, int depth) {
        // PreprocessLogSoftmaxScalingExp with beta = 1.
        int[] m = QuantizedMath.preprocessSoftmaxScaling(1.0, (double) in.scale(), INPUT_INTEGER_BITS);
        int inputMultiplier = m[0], inputLeftShift = m[1];
        double realReverseScalingDivisor = (1 << (31 - inputLeftShift)) / (double) inputMultiplier;
        int[] r = QuantizedMath.quantizeMultiplierSmallerThanOneExp(realReverseScalingDivisor);
        int reverseScalingDivisor = r[0];
        int reverseScalingRightShift = -r[1];
        int diffMin = -QuantizedMath.calculateInputRadius(INPUT_INTEGER_BITS, inputLeftShift);

        for (int i = 0; i < outer; i++) {
            int base = i * depth;
            int maxInRow = -128;
            for (int c = 0; c < depth; c++) maxInRow = Math.max(maxInRow, in.i8(base + c));

            int sumOfExpsInQ12 = 0;
            for (int c = 0; c < depth; c++) {
                int inputDiff = in.i8(base + c) - maxInRow;
                if (inputDiff >= diffMin) {
                    int inputDiffInQ5 = QuantizedMath.multiplyByQuantizedMultiplier(inputDiff, inputMultiplier, inputLeftShift);
                    sumOfExpsInQ12 += QuantizedMath.fixedPointRescale(
                            QuantizedMath.expOnNegativeValues(inputDiffInQ5, INPUT_INTEGER_BITS), 0, ACCUMULATION_INTEGER_BITS);
                }
            }

            int logSumOfExpsInQ5 = QuantizedMath.logXForXGreaterThanOrEqualTo1(sumOfExpsInQ12, ACCUMULATION_INTEGER_BITS, INPUT_INTEGER_BITS);
            // The smallest value representable in Q5.26 plus the log-sum: diffs below it would underflow.
            int shiftedLogSumOfExpsInQ5 = logSumOfExpsInQ5 + Integer.MIN_VALUE;
            int adjustedDiffMin = Math.max(diffMin - 1,
                    QuantizedMath.multiplyByQuantizedMultiplier(shiftedLogSumOfExpsInQ5, reverseScalingDivisor, -reverseScalingRightShift));

            for (int c = 0; c < depth; c++) {
                int inputDiff = in.i8(base + c) - maxInRow;
                if (inputDiff > adjustedDiffMin) {
                    int inputDiffInQ5 = QuantizedMath.multiplyByQuantizedMultiplier(inputDiff, inputMultiplier, inputLeftShift);
                    int outputInQ27 = QuantizedMath.roundingDivideByPOT(inputDiffInQ5 - logSumOfExpsInQ5,
                            31 - INPUT_INTEGER_BITS - OUTPUT_INTEGER_BITS) + 127;
                    out.setI8(base + c, Math.max(Math.min(outputInQ27, 127), -128));
                } else {
                    out.setI8(base + c, -128);
                }
            }
        }
    }
}
