package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.util.List;

/**
 * What the convolution family (CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, FULLY_CONNECTED) shares beyond the
 * window geometry ({@link Window}, TFLite's {@code kernels/padding.h}): the requantisation parameters of
 * {@code kernel_util.cc} ({@code PopulateConvolutionQuantizationParams}, {@code GetQuantizedConvolutionMultipler},
 * {@code CalculateActivationRange[Quantized]}), the float clamp of {@code ActivationFunctionWithMinMax}, and the
 * hybrid input quantisation of {@code portable_tensor_utils.cc}.
 */
final class ConvCommon {
    private ConvCommon() {}

    /** Spatial parameters of CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV options (dilation 1 when absent). */
    record Geometry(int padding, int strideH, int strideW, int dilationH, int dilationW, int activation) {
        static Geometry of(Op op) {
            Options o = op.options();
            return new Geometry(o.getInt("padding", Window.SAME), o.getInt("strideH", 1), o.getInt("strideW", 1),
                    o.getInt("dilationHFactor", 1), o.getInt("dilationWFactor", 1),
                    o.getInt("fusedActivationFunction", QuantizedMath.ACT_NONE));
        }
    }

    /**
     * CONV_2D / DEPTHWISE_CONV_2D region inference: the window's input region, the filter's slice of the output
     * channels (on {@code filterChannelDim}), the bias's.
     */
    static List<Region> windowInputs(Graph graph, Op op, Region output, int filterChannelDim) {
        if (output.isEmpty()) return Kernel.emptyInputs(graph, op);
        List<Region> r = Kernel.wholeInputs(graph, op);
        r.set(0, Window.of(graph, op).inputRegion(output));
        r.set(1, r.get(1).with(filterChannelDim, output.lo(3), output.hi(3)));
        if (r.size() > 2 && r.get(2) != null) r.set(2, r.get(2).with(0, output.lo(3), output.hi(3)));
        return r;
    }

    /** The operands of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: input, filter, optional bias, output. */
    record Operands(Tensor in, Tensor filter, Tensor bias, Tensor out) {}

    /** Two or three inputs (the bias may be left out) and one output, as the three kinds' Prepare require. */
    static Operands prepareOperands(Preparation p) {
        p.inputs(2, 3);
        p.outputs(1, 1);
        return new Operands(p.input(0), p.input(1), p.optionalInput(2), p.output(0));
    }

    /** {@link #prepareOperands}, all of rank 4 (bias aside) and one batch in and out: the 2-D convolutions. */
    static Operands prepareImageOperands(Preparation p) {
        Operands o = prepareOperands(p);
        p.rank(o.in(), "input", 4, 4);
        p.rank(o.filter(), "filter", 4, 4);
        p.rank(o.out(), "output", 4, 4);
        int batch = o.in().shape().dim(0), outBatch = o.out().shape().dim(0);
        p.require(outBatch == batch, "output batch " + outBatch + " differs from input batch " + batch);
        return o;
    }

    /**
     * The spatial options of a windowed operator (conv, depthwise conv, transpose conv), checked as TFLM's
     * Prepare relies on them: options present (absent ones are all zero in TFLM), strides and dilations at least 1,
     * a padding scheme the schema defines.
     */
    static Geometry prepareGeometry(Preparation p, boolean dilated) {
        p.require(!p.options().isNone(), "has no options; its strides would be 0");
        int padding = p.options().getInt("padding", Window.SAME);
        if (padding != Window.SAME && padding != Window.VALID) throw p.invalid("padding " + padding + " is neither SAME (0) nor VALID (1)");
        int sh = p.atLeastOne("strideH", 1), sw = p.atLeastOne("strideW", 1);
        int dh = dilated ? p.atLeastOne("dilationHFactor", 1) : 1, dw = dilated ? p.atLeastOne("dilationWFactor", 1) : 1;
        return new Geometry(padding, sh, sw, dh, dw, p.options().getInt("fusedActivationFunction", QuantizedMath.ACT_NONE));
    }

    /**
     * The output height and width TFLite's {@code ComputeOutSize} gives (out_height, out_width): the model's output
     * tensor must have them, and with VALID padding the dilated filter must fit the input.
     */
    static void prepareOutputSize(Preparation p, Geometry g, int inH, int inW, int fH, int fW, int outH, int outW) {
        long effH = (long) (fH - 1) * g.dilationH() + 1, effW = (long) (fW - 1) * g.dilationW() + 1;
        if (g.padding() == Window.VALID && (effH > inH || effW > inW)) {
            throw p.invalid("the " + effH + "x" + effW + " filter window is larger than the " + inH + "x" + inW + " input (VALID padding)");
        }
        int wantH = Window.Axis.outSize(g.padding(), inH, fH, g.strideH(), g.dilationH());
        int wantW = Window.Axis.outSize(g.padding(), inW, fW, g.strideW(), g.dilationW());
        if (outH != wantH || outW != wantW) {
            throw p.invalid("output is " + outH + "x" + outW + " but the input, filter, strides and padding give " + wantH + "x" + wantW);
        }
    }

    /**
     * The dtype combinations of the conv family (input, filter; the output has the input's dtype) and their bias
     * types, then the quantisation the integer paths compute with: input, filter and output scales, one filter scale
     * or one per output channel (uint8 per tensor only), and representable per-channel multipliers.
     *
     * @param int16Biases the bias dtypes the kind's int16x8 kernel reads
     */
    static void prepareTypes(Preparation p, Tensor in, Tensor filter, Tensor bias, Tensor out, int channels, DType... int16Biases) {
        p.sameType(in, "input", out, "output");
        DType it = in.dtype(), ft = filter.dtype();
        DType biasType;
        if (it == DType.FLOAT32 && (ft == DType.FLOAT32 || ft == DType.INT8)) biasType = DType.FLOAT32;
        else if ((it == DType.INT8 && ft == DType.INT8) || (it == DType.UINT8 && ft == DType.UINT8)) biasType = DType.INT32;
        else if (it == DType.INT16 && ft == DType.INT8) biasType = null;
        else throw p.unsupported(p.op().kind() + " with " + it.label() + " input and " + ft.label() + " filter");
        if (bias != null) {
            if (biasType != null) p.dtype(bias, "bias", biasType);
            else p.dtype(bias, "bias", int16Biases);
            if (bias.shape().numElements() != channels) {
                throw p.invalid(Preparation.name("bias", bias) + " has " + bias.shape().numElements() + " elements for " + channels + " output channels");
            }
        }
        if (it == DType.FLOAT32) {
            if (ft == DType.INT8) filterScales(p, filter, channels);
            return;
        }
        float inScale = p.quantized(in, "input").scale(), outScale = p.quantized(out, "output").scale();
        Quantization q = filterScales(p, filter, channels);
        if (it == DType.UINT8) {
            if (q.isPerChannel()) throw p.unsupported("uint8 " + p.op().kind() + " with per-channel weights");
            p.multiplier((double) (inScale * q.scale()) / (double) outScale, "output");
            return;
        }
        for (int c = 0; c < q.channels(); c++) p.multiplier((double) inScale * (double) q.scale(c) / (double) outScale, "output channel " + c);
    }

    /** The filter has one scale, or one per output channel. */
    private static Quantization filterScales(Preparation p, Tensor filter, int channels) {
        Quantization q = p.quantized(filter, "filter");
        if (q.channels() != 1 && q.channels() != channels) {
            throw p.invalid(Preparation.name("filter", filter) + " has " + q.channels() + " scales for " + channels + " output channels");
        }
        return q;
    }

    /** Per-channel output multipliers and shifts. */
    record Requant(int[] multiplier, int[] shift) {}

    /**
     * The per-channel loop of {@code PopulateConvolutionQuantizationParams}: for each output channel,
     * {@code QuantizeMultiplier(double(input_scale) * double(filter_scale[c]) / double(output_scale))}; a per-tensor
     * filter scale is broadcast to every channel.
     */
    static Requant perChannel(OpContext ctx, float inputScale, Tensor filter, float outputScale, int channels) {
        Quantization q = filterQuant(ctx, filter);
        if (q.channels() > 1 && q.channels() != channels) {
            throw ctx.unsupported("filter " + filter.label() + " has " + q.channels() + " scales for " + channels + " output channels");
        }
        return perChannel(inputScale, q, outputScale, channels);
    }

    /** The loop of {@link #perChannel(OpContext, float, Tensor, float, int)} on a filter quantisation already checked. */
    static Requant perChannel(float inputScale, Quantization q, float outputScale, int channels) {
        boolean perChannel = q.channels() > 1;
        int[] m = new int[channels];
        int[] s = new int[channels];
        for (int c = 0; c < channels; c++) {
            float scale = perChannel ? q.scale(c) : q.scale(0);
            double effective = (double) inputScale * (double) scale / (double) outputScale;
            int[] qm = QuantizedMath.quantizeMultiplier(effective);
            m[c] = qm[0];
            s[c] = qm[1];
        }
        return new Requant(m, s);
    }

    /**
     * {@code GetQuantizedConvolutionMultipler} + {@code QuantizeMultiplier}: the per-tensor multiplier of the
     * per-tensor FULLY_CONNECTED paths and of the legacy uint8 paths. Note the product of the two scales is taken
     * in float, then divided in double, unlike {@link #perChannel}.
     */
    static int[] perTensor(float inputScale, float filterScale, float outputScale) {
        double inputProductScale = (double) (inputScale * filterScale);
        return QuantizedMath.quantizeMultiplier(inputProductScale / (double) outputScale);
    }

    static Quantization filterQuant(OpContext ctx, Tensor filter) {
        Quantization q = filter.quant();
        if (!q.hasScale()) throw ctx.unsupported("quantized filter " + filter.label() + " has no scale");
        return q;
    }

    /** Offset of (b, y, x, c) in an NHWC tensor of dims {@code d} (TFLite's {@code Offset}). */
    static int offset(int[] d, int b, int y, int x, int c) {
        return ((b * d[1] + y) * d[2] + x) * d[3] + c;
    }

    /** The view's shape as 4 dims (leading ones added). */
    static int[] dims4(View v) {
        return new int[] {v.dim4(0), v.dim4(1), v.dim4(2), v.dim4(3)};
    }

    /** Optional input i: null when absent or omitted (-1), as {@code GetOptionalTensorData} returns nullptr. */
    static View optionalInput(OpContext ctx, int i) {
        return i < ctx.inputCount() ? ctx.input(i) : null;
    }

    static View requireInput(OpContext ctx, int i) {
        View v = optionalInput(ctx, i);
        if (v == null) throw ctx.unsupported("input " + i + " is missing");
        return v;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Hybrid (float activations, int8 weights): TFLite's on-the-fly input quantisation.

    /**
     * A hybrid kernel's float input quantised per batch image into scratch buffer 0 ({@code q}, same element indices
     * as the dense input), with each image's scale and zero point (0 when symmetric).
     */
    record HybridInput(View q, float[] scale, int[] zeroPoint) {
        static HybridInput quantise(OpContext ctx, View in, boolean asymmetric) {
            if (!in.isDense()) throw ctx.unsupported("a hybrid kernel quantises whole images: its input must be the whole tensor");
            View q = ctx.scratch(0);
            int batches = in.dim4(0);
            int imageSize = in.dim4(1) * in.dim4(2) * in.dim4(3);
            float[] scale = new float[batches];
            int[] zp = new int[batches];
            for (int b = 0; b < batches; b++) {
                RowQuant r = asymmetric
                        ? asymmetricQuantize(in, b * imageSize, imageSize, q, b * imageSize)
                        : symmetricQuantize(in, b * imageSize, imageSize, q, b * imageSize);
                scale[b] = r.scale();
                zp[b] = r.offset();
            }
            return new HybridInput(q, scale, zp);
        }

        /** The filter scale of every output channel, a per-tensor scale repeated. */
        static float[] filterScales(Quantization q, int channels) {
            float[] s = new float[channels];
            for (int c = 0; c < channels; c++) s[c] = channelScale(q, c);
            return s;
        }
    }

    /** Result of quantising one batch row: the scale and (asymmetric only) the zero point. */
    record RowQuant(float scale, int offset) {}

    /**
     * {@code PortableSymmetricQuantizeFloats}: {@code scale = range / 127} with {@code range = max|x|}, values
     * {@code round(x * (127 / range))} clamped to [-127, 127]; an all-zero row gives zeros and scale 1.
     */
    static RowQuant symmetricQuantize(View src, int from, int size, View dst, int dstFrom) {
        float min = src.f32(from);
        float max = min;
        for (int i = 1; i < size; i++) {
            float v = src.f32(from + i);
            if (v < min) min = v;
            if (max < v) max = v;
        }
        float range = Math.max(Math.abs(min), Math.abs(max));
        if (range == 0f) {
            for (int i = 0; i < size; i++) dst.setI8(dstFrom + i, 0);
            return new RowQuant(1f, 0);
        }
        float scale = range / 127;
        float inv = 127 / range;
        for (int i = 0; i < size; i++) {
            int q = (int) QuantizedMath.round(src.f32(from + i) * inv);
            dst.setI8(dstFrom + i, Math.min(127, Math.max(-127, q)));
        }
        return new RowQuant(scale, 0);
    }

    /**
     * {@code PortableAsymmetricQuantizeFloats}: the range [min(0, min x), max(0, max x)] mapped onto [-128, 127]
     * with a nudged zero point, computed in double as in TFLite; values {@code round(zp + x * (1 / scale))}.
     */
    static RowQuant asymmetricQuantize(View src, int from, int size, View dst, int dstFrom) {
        float lo = src.f32(from);
        float hi = lo;
        for (int i = 1; i < size; i++) {
            float v = src.f32(from + i);
            if (v < lo) lo = v;
            if (hi < v) hi = v;
        }
        final double qmin = -128, qmax = 127;
        double rmin = fmin(0, lo);
        double rmax = fmax(0, hi);
        if (rmin == rmax) {
            for (int i = 0; i < size; i++) dst.setI8(dstFrom + i, 0);
            return new RowQuant(1f, 0);
        }
        double scale = (rmax - rmin) / (qmax - qmin);
        double zpFromMin = qmin - rmin / scale;
        double zpFromMax = qmax - rmax / scale;
        double zpFromMinError = Math.abs(qmin) + Math.abs(rmin / scale);
        double zpFromMaxError = Math.abs(qmax) + Math.abs(rmax / scale);
        double zp = zpFromMinError < zpFromMaxError ? zpFromMin : zpFromMax;
        int nudged;
        if (zp <= qmin) nudged = -128;
        else if (zp >= qmax) nudged = 127;
        else nudged = (byte) (long) QuantizedMath.round(zp);
        float scaleF = (float) scale;
        float inv = 1.0f / scaleF;
        for (int i = 0; i < size; i++) {
            int q = (int) QuantizedMath.round((float) nudged + src.f32(from + i) * inv);
            dst.setI8(dstFrom + i, Math.min(127, Math.max(-128, q)));
        }
        return new RowQuant(scaleF, nudged);
    }

    /** {@code std::fmin} on doubles: NaN-ignoring. */
    private static double fmin(double a, double b) {
        if (Double.isNaN(a)) return b;
        if (Double.isNaN(b)) return a;
        return Math.min(a, b);
    }

    private static double fmax(double a, double b) {
        if (Double.isNaN(a)) return b;
        if (Double.isNaN(b)) return a;
        return Math.max(a, b);
    }

    /** {@code tensor_utils::IsZeroVector}. */
    static boolean isZero(View v, int from, int size) {
        for (int i = 0; i < size; i++) if (v.f32(from + i) != 0f) return false;
        return true;
    }

    /** True when the filter has per-channel scales that are not all equal (TFLite's {@code is_hybrid_per_channel}). */
    static boolean distinctScales(Quantization q) {
        for (int i = 1; i < q.channels(); i++) if (q.scale(i) != q.scale(0)) return true;
        return false;
    }

    /** The filter scale of output channel c, broadcasting a per-tensor scale. */
    static float channelScale(Quantization q, int c) {
        return q.channels() > 1 ? q.scale(c) : q.scale(0);
    }
}
