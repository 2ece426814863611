package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Tensor;

/**
 * The constants TFLM's kernels derive in {@code Prepare} (requantisation multipliers, padding, slice bounds,
 * nearest-neighbour sources), for code that runs the same arithmetic elsewhere: the C generator bakes them into
 * the generated source. The Java kernels use these same derivations, so there is one formula per constant.
 */
public final class KernelParameters {
    private KernelParameters() {}

    /** Fixed-point multipliers and shifts, one per output channel or a single one. */
    public record Requantization(int[] multiplier, int[] shift) {
        public Requantization {
            multiplier = multiplier.clone();
            shift = shift.clone();
        }

        @Override public int[] multiplier() { return multiplier.clone(); }
        @Override public int[] shift() { return shift.clone(); }
    }

    /**
     * Strides, dilations, the padding before the data (TFLite's {@code ComputePaddingHeightWidth}, as the one window
     * geometry {@link io.tinyfit.kernels.Window} computes it) and the fused activation.
     */
    public record Window(int strideH, int strideW, int dilationH, int dilationW, int padH, int padW, int activation) {}

    /** CONV_2D and DEPTHWISE_CONV_2D: input 0 is NHWC, the filter (input 1) holds the kernel size in dims 1 and 2. */
    public static Window convWindow(Graph g, Op op) { return window(g, op); }

    /** AVERAGE_POOL_2D and MAX_POOL_2D: the filter size comes from the options, dilation is 1. */
    public static Window poolWindow(Graph g, Op op) { return window(g, op); }

    private static Window window(Graph g, Op op) {
        io.tinyfit.kernels.Window w = io.tinyfit.kernels.Window.of(g, op);
        return new Window(w.y().stride(), w.x().stride(), w.y().dilation(), w.x().dilation(), w.y().pad(), w.x().pad(),
                op.options().getInt("fusedActivationFunction", QuantizedMath.ACT_NONE));
    }

    /** {@code PopulateConvolutionQuantizationParams}: one multiplier per output channel (a per-tensor scale broadcast). */
    public static Requantization perChannel(float inputScale, Quantization filter, float outputScale, int channels) {
        ConvCommon.Requant r = ConvCommon.perChannel(inputScale, filter, outputScale, channels);
        return new Requantization(r.multiplier(), r.shift());
    }

    /** {@code GetQuantizedConvolutionMultipler}: the per-tensor FULLY_CONNECTED multiplier. */
    public static Requantization perTensor(float inputScale, float filterScale, float outputScale) {
        int[] m = ConvCommon.perTensor(inputScale, filterScale, outputScale);
        return new Requantization(new int[] {m[0]}, new int[] {m[1]});
    }

    /** {@code CalculateOpDataAdd}: the input scales relative to twice the larger one, and the output's. */
    public record AddScales(int leftShift, int multiplier1, int shift1, int multiplier2, int shift2, int outputMultiplier, int outputShift) {}

    public static AddScales add(DType type, float scale1, float scale2, float outputScale) {
        int leftShift = type == DType.INT16 ? 15 : 20;
        double twiceMax = 2 * (double) Math.max(scale1, scale2);
        int[] m1 = QuantizedMath.quantizeMultiplierSmallerThanOneExp((double) scale1 / twiceMax);
        int[] m2 = QuantizedMath.quantizeMultiplierSmallerThanOneExp((double) scale2 / twiceMax);
        int[] mo = QuantizedMath.quantizeMultiplierSmallerThanOneExp(twiceMax / ((1 << leftShift) * (double) outputScale));
        return new AddScales(leftShift, m1[0], m1[1], m2[0], m2[1], mo[0], mo[1]);
    }

    /** {@code CalculateOpDataSub}: like ADD's, but the scale ratios are taken in single precision, then widened. */
    public static AddScales sub(DType type, float scale1, float scale2, float outputScale) {
        int leftShift = type == DType.INT16 ? 15 : 20;
        float twiceMax = 2 * Math.max(scale1, scale2);
        int[] m1 = QuantizedMath.quantizeMultiplierSmallerThanOneExp((double) (scale1 / twiceMax));
        int[] m2 = QuantizedMath.quantizeMultiplierSmallerThanOneExp((double) (scale2 / twiceMax));
        int[] mo = QuantizedMath.quantizeMultiplierSmallerThanOneExp((double) (twiceMax / ((1 << leftShift) * outputScale)));
        return new AddScales(leftShift, m1[0], m1[1], m2[0], m2[1], mo[0], mo[1]);
    }

    /** RELU's clamp after requantisation: from the output zero point ({@code zp + roundf(0 / scale)}) to the type's top. */
    public static int[] reluRange(DType type, int outputZeroPoint) {
        return new int[] {Math.max(QuantizedMath.qmin(type), outputZeroPoint), QuantizedMath.qmax(type)};
    }

    /** RELU6's clamp of the raw input: from its zero point to 6 quantised on its scale ({@code FloatToQuantizedType}). */
    public static int[] relu6Range(DType type, float inputScale, int inputZeroPoint) {
        int six = (int) QuantizedMath.round(6.0f / inputScale) + inputZeroPoint;
        return new int[] {inputZeroPoint, Math.min(QuantizedMath.qmax(type), Math.max(QuantizedMath.qmin(type), six))};
    }

    /** MUL: one {@code QuantizeMultiplier} of {@code s1 * s2 / s_out} in double. */
    public static int[] mul(float scale1, float scale2, float outputScale) {
        return QuantizedMath.quantizeMultiplier((double) scale1 * (double) scale2 / (double) outputScale);
    }

    /** QUANTIZE between integer types ({@code Requantize}) and the int8 MEAN before its 1/count fold. */
    public static int[] requantize(float inputScale, float outputScale) {
        return QuantizedMath.quantizeMultiplier((double) inputScale / (double) outputScale);
    }

    /** LEAKY_RELU's two multipliers, {alpha, identity}, from single-precision scale ratios. */
    public static int[][] leakyRelu(float inputScale, float alpha, float outputScale) {
        return new int[][] {QuantizedMath.quantizeMultiplier((double) (inputScale * alpha / outputScale)),
                QuantizedMath.quantizeMultiplier((double) (inputScale / outputScale))};
    }

    /** The 8-bit SOFTMAX's {@code input_beta_multiplier}, left shift and {@code diff_min}. */
    public record Softmax(int multiplier, int leftShift, int diffMin) {}

    public static Softmax softmax(float beta, float inputScale, int scaledDiffIntegerBits) {
        int[] m = QuantizedMath.preprocessSoftmaxScaling((double) beta, (double) inputScale, scaledDiffIntegerBits);
        int diffMin = (int) (-1.0 * QuantizedMath.calculateInputRadius(scaledDiffIntegerBits, m[1]));
        return new Softmax(m[0], m[1], diffMin);
    }

    /**
     * The int8/int16 MEAN's multiplier with 1/count folded in, as {@code QuantizedMeanOrSum} does it: the shift stays
     * at most 32 and the output shift at least -31.
     */
    public static int[] meanMultiplier(float inputScale, float outputScale, long count) {
        int[] m = requantize(inputScale, outputScale);
        int shift = 63 - Long.numberOfLeadingZeros(count);
        shift = Math.min(shift, 32);
        shift = Math.min(shift, 31 + m[1]);
        return new int[] {(int) (((long) m[0] << shift) / count), m[1] - shift};
    }

    /** STRIDED_SLICE bounds over the input padded to 5-D: per axis the first index, the end and the stride. */
    public record Slice(int[] start, int[] stop, int[] stride) {
        public Slice {
            start = start.clone();
            stop = stop.clone();
            stride = stride.clone();
        }

        @Override public int[] start() { return start.clone(); }
        @Override public int[] stop() { return stop.clone(); }
        @Override public int[] stride() { return stride.clone(); }
    }

    public static Slice stridedSlice(int[] inDims, int[] begin, int[] end, int[] strides, int beginMask, int endMask, int shrinkMask) {
        return StridedSliceKernel.slice(inDims, begin, end, strides, beginMask, endMask, shrinkMask);
    }

    /** RESIZE_NEAREST_NEIGHBOR's source index of output position {@code value} ({@code GetNearestNeighbor}). */
    public static int nearestNeighbor(int value, int inputSize, int outputSize, boolean alignCorners, boolean halfPixelCenters) {
        return ResizeNearestNeighborKernel.nearest(value, inputSize, outputSize, alignCorners, halfPixelCenters);
    }

    /** The filter's quantisation, failing with the filter's name when it has no scale. */
    public static Quantization filterQuantization(Tensor filter) {
        Quantization q = filter.quant();
        if (!q.hasScale()) throw new UnsupportedOpVariantException("quantized filter " + filter.label() + " has no scale");
        return q;
    }
}
