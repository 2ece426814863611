package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Tensor;

import java.util.List;

import static io.tinyfit.kernels.QuantizedMath.clamp;

/**
 * FULLY_CONNECTED, bit-exact with TFLM's {@code micro/kernels/fully_connected.cc}:
 * {@code reference_integer_ops::FullyConnected} (per-tensor weights, the weight zero point applied) and
 * {@code FullyConnectedPerChannel} (per-channel weights) for int8 and int16x8 (int64 bias; an int32 bias or none
 * selects the int32 accumulator and the int32 requantisation), {@code reference_ops::FullyConnected} for float32
 * and TFLite's legacy uint8, and TFLite's hybrid {@code EvalHybridDense} (float32 activations, int8 weights).
 *
 * <p>Shapes: the rows are every output dimension but the last ({@code keepNumDims} only changes the output's
 * shape), the accumulation depth is the weights' last dimension; input row b is elements
 * {@code [b * depth, (b + 1) * depth)} of the input, whatever its shape.
 *
 * <p>Loop nest: b, out_c, then d over the whole input row; output element {@code out_c + depth_out * b}.
 *
 * <p>Scratch: none in TFLM's reference kernel for float32, int8, int16 (only packed int4 weights request one).
 * The hybrid path (refused by TFLM) keeps its quantised input in one scratch buffer of the input's element count.
 */
final class FullyConnectedKernel implements Kernel {
    static final FullyConnectedKernel INSTANCE = new FullyConnectedKernel();

    private FullyConnectedKernel() {}

    @Override public List<Long> scratchBytes(Graph graph, Op op) { return Conv2DKernel.scratchOfGemmLike(graph, op); }

    /** Rows, output depth and accumulation depth. */
    private record Dims(int batches, int outDepth, int accumDepth) {
        static Dims of(OpContext ctx, View in, View filter, View out) {
            if (filter.rank() < 2) throw ctx.unsupported("FULLY_CONNECTED weights must have at least 2 dimensions");
            if (out.rank() < 1) throw ctx.unsupported("FULLY_CONNECTED output must have at least 1 dimension");
            int outDepth = out.dim(out.rank() - 1);
            int batches = outDepth == 0 ? 0 : out.elements() / outDepth;
            int accumDepth = filter.dim(filter.rank() - 1);
            if (filter.dim(filter.rank() - 2) < outDepth) throw ctx.unsupported("weights have " + filter.dim(filter.rank() - 2) + " rows for " + outDepth + " outputs");
            if ((long) batches * accumDepth > in.elements()) throw ctx.unsupported("input of " + in.elements() + " elements is too small for " + batches + " rows of " + accumDepth);
            return new Dims(batches, outDepth, accumDepth);
        }
    }

    /**
     * fully_connected.cc's Prepare: weights [units, depth] (more leading dims allowed), the output's last dimension
     * the units, the input as whole rows of depth elements, and the quantisation of the integer paths. The hybrid
     * path applies only the clamping activations.
     */
    @Override public void prepare(Preparation p) {
        ConvCommon.Operands o = ConvCommon.prepareOperands(p);
        Tensor in = o.in(), filter = o.filter(), out = o.out();
        p.rank(filter, "weights", 2, 4);
        p.rank(out, "output", 1, 6);
        int units = out.shape().fromEnd(1);
        int depth = filter.shape().fromEnd(1);
        p.require(filter.shape().fromEnd(2) == units, Preparation.name("weights", filter) + " " + filter.shape() + " has " + filter.shape().fromEnd(2) + " rows for " + units + " output units");
        long rows = units == 0 ? 0 : out.shape().numElements() / units;
        p.require(rows * depth == in.shape().numElements(), Preparation.name("input", in) + " " + in.shape() + " is not " + rows + " rows of " + depth + " elements");
        ConvCommon.prepareTypes(p, in, filter, o.bias(), out, units, DType.INT32, DType.INT64);
        int activation = p.options().getInt("fusedActivationFunction", QuantizedMath.ACT_NONE);
        if (in.dtype() == DType.FLOAT32 && filter.dtype() == DType.INT8 && activation > QuantizedMath.ACT_RELU6) {
            throw p.unsupported("fused activation " + activation + " on a hybrid FULLY_CONNECTED");
        }
    }

    @Override public void eval(OpContext ctx) {
        View in = ConvCommon.requireInput(ctx, 0);
        View filter = ConvCommon.requireInput(ctx, 1);
        View bias = ConvCommon.optionalInput(ctx, 2);
        View out = ctx.output(0);
        int activation = ctx.op().options().getInt("fusedActivationFunction", QuantizedMath.ACT_NONE);
        Dims d = Dims.of(ctx, in, filter, out);
        DType it = in.dtype(), ft = filter.dtype();
        if (it == DType.FLOAT32 && ft == DType.FLOAT32) {
            evalFloat(d, in, filter, bias, out, activation);
        } else if (it == DType.FLOAT32 && ft == DType.INT8) {
            evalHybrid(ctx, d, in, filter, bias, out, activation);
        } else if (it == DType.INT8 && ft == DType.INT8) {
            if (bias != null && bias.dtype() != DType.INT32) throw ctx.unsupported("int8 FULLY_CONNECTED with a " + bias.dtype().label() + " bias");
            evalInt8(ctx, d, in, filter, bias, out, activation);
        } else if (it == DType.INT16 && ft == DType.INT8) {
            if (bias != null && bias.dtype() != DType.INT32 && bias.dtype() != DType.INT64) {
                throw ctx.unsupported("int16 FULLY_CONNECTED with a " + bias.dtype().label() + " bias");
            }
            evalInt16(ctx, d, in, filter, bias, out, activation);
        } else if (it == DType.UINT8 && ft == DType.UINT8) {
            evalUint8(ctx, d, in, filter, bias, out, activation);
        } else {
            throw ctx.unsupported("FULLY_CONNECTED with " + it.label() + " input and " + ft.label() + " weights");
        }
    }

    /**
     * Requantisation: per-channel weights use {@code CalculateOpDataFullyConnected}'s per-channel loop (scale
     * product in double); per-tensor weights {@code GetQuantizedConvolutionMultipler} (product in float).
     */
    private static ConvCommon.Requant requant(OpContext ctx, View in, View filter, View out, int outDepth, boolean perChannel) {
        Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
        if (perChannel) {
            if (fq.channels() < outDepth) throw ctx.unsupported("weights have " + fq.channels() + " scales for " + outDepth + " outputs");
            return ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), fq.channels());
        }
        int[] m = ConvCommon.perTensor(in.scale(), fq.scale(), out.scale());
        return new ConvCommon.Requant(new int[] {m[0]}, new int[] {m[1]});
    }

    private static void evalInt8(OpContext ctx, Dims d, View in, View filter, View bias, View out, int activation) {
        boolean perChannel = ConvCommon.filterQuant(ctx, filter.tensor()).isPerChannel();
        ConvCommon.Requant rq = requant(ctx, in, filter, out, d.outDepth(), perChannel);
        int[] act = QuantizedMath.activationRange(activation, out);
        int inputOffset = -in.zeroPoint();
        // FullyConnectedPerChannel ignores the weight zero point (symmetric by the spec); FullyConnected applies it.
        int filterOffset = perChannel ? 0 : -filter.zeroPoint();
        int outputOffset = out.zeroPoint();
        int depth = d.accumDepth();
        for (int b = 0; b < d.batches(); b++) {
            for (int oc = 0; oc < d.outDepth(); oc++) {
                int acc = 0;
                for (int k = 0; k < depth; k++) {
                    int iv = in.i8(b * depth + k);
                    int fv = filter.i8(oc * depth + k);
                    acc += (fv + filterOffset) * (iv + inputOffset);
                }
                if (bias != null) acc += bias.i32(oc);
                int c = perChannel ? oc : 0;
                acc = QuantizedMath.multiplyByQuantizedMultiplier(acc, rq.multiplier()[c], rq.shift()[c]);
                acc += outputOffset;
                out.setI8(oc + d.outDepth() * b, clamp(acc, act[0], act[1]));
            }
        }
    }

    /**
     * int16x8: {@code FullyConnected<AccumScalar>} / {@code FullyConnectedPerChannel<AccumScalar>}, which ignore the
     * input and output zero points (0 by the int16 spec); the per-tensor variant applies the weight zero point.
     */
    private static void evalInt16(OpContext ctx, Dims d, View in, View filter, View bias, View out, int activation) {
        boolean perChannel = ConvCommon.filterQuant(ctx, filter.tensor()).isPerChannel();
        ConvCommon.Requant rq = requant(ctx, in, filter, out, d.outDepth(), perChannel);
        int[] act = QuantizedMath.activationRange(activation, out);
        int filterOffset = perChannel ? 0 : -filter.zeroPoint();
        boolean acc64 = bias != null && bias.dtype() == DType.INT64;
        int depth = d.accumDepth();
        for (int b = 0; b < d.batches(); b++) {
            for (int oc = 0; oc < d.outDepth(); oc++) {
                int c = perChannel ? oc : 0;
                int scaled;
                if (acc64) {
                    long acc = 0;
                    for (int k = 0; k < depth; k++) acc += (filter.i8(oc * depth + k) + filterOffset) * in.i16(b * depth + k);
                    acc += bias.i64(oc);
                    scaled = QuantizedMath.multiplyByQuantizedMultiplier(acc, rq.multiplier()[c], rq.shift()[c]);
                } else {
                    int acc = 0;
                    for (int k = 0; k < depth; k++) acc += (filter.i8(oc * depth + k) + filterOffset) * in.i16(b * depth + k);
                    if (bias != null) acc += bias.i32(oc);
                    scaled = QuantizedMath.multiplyByQuantizedMultiplier(acc, rq.multiplier()[c], rq.shift()[c]);
                }
                out.setI16(oc + d.outDepth() * b, clamp(scaled, act[0], act[1]));
            }
        }
    }

    /** TFLite's legacy uint8 {@code reference_ops::FullyConnected} (uint8 output, per-tensor multiplier). */
    private static void evalUint8(OpContext ctx, Dims d, View in, View filter, View bias, View out, int activation) {
        Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
        if (fq.isPerChannel()) throw ctx.unsupported("uint8 FULLY_CONNECTED with per-channel weights");
        if (out.dtype() != DType.UINT8) throw ctx.unsupported("uint8 FULLY_CONNECTED with " + out.dtype().label() + " output");
        int[] m = ConvCommon.perTensor(in.scale(), fq.scale(), out.scale());
        int[] act = QuantizedMath.activationRange(activation, out);
        int inputOffset = -in.zeroPoint();
        int filterOffset = -fq.zeroPoint();
        int outputOffset = out.zeroPoint();
        int depth = d.accumDepth();
        for (int b = 0; b < d.batches(); b++) {
            for (int oc = 0; oc < d.outDepth(); oc++) {
                int acc = 0;
                for (int k = 0; k < depth; k++) {
                    acc += (filter.u8(oc * depth + k) + filterOffset) * (in.u8(b * depth + k) + inputOffset);
                }
                if (bias != null) acc += bias.i32(oc);
                acc = QuantizedMath.multiplyByQuantizedMultiplier(acc, m[0], m[1]);
                acc += outputOffset;
                out.setU8(oc + d.outDepth() * b, clamp(acc, act[0], act[1]));
            }
        }
    }

    private static void evalFloat(Dims d, View in, View filter, View bias, View out, int activation) {
        float[] act = QuantizedMath.activationRangeFloat(activation);
        int depth = d.accumDepth();
        for (int b = 0; b < d.batches(); b++) {
            for (int oc = 0; oc < d.outDepth(); oc++) {
                float total = 0f;
                for (int k = 0; k < depth; k++) total += in.f32(b * depth + k) * filter.f32(oc * depth + k);
                float biasValue = bias != null ? bias.f32(oc) : 0.0f;
                out.setF32(oc + d.outDepth() * b, clamp(total + biasValue, act[0], act[1]));
            }
        }
    }

    /**
     * TFLite's {@code EvalHybridDense}: the output starts as the bias (or zeros); an all-zero input only gets the
     * activation; otherwise each input row is quantised ({@code asymmetricQuantizeInputs} selects asymmetric
     * quantisation with a per-row zero point, else symmetric), the int32 dot product of each weight row
     * (minus {@code row_sum * zero_point} when asymmetric) is scaled by the row scale times the weight scale and
     * added to the output, and the activation is applied. Per-channel weight scales are applied per output row.
     */
    private static void evalHybrid(OpContext ctx, Dims d, View in, View filter, View bias, View out, int activation) {
        Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
        boolean perChannel = fq.channels() > 1;
        if (perChannel && fq.channels() < d.outDepth()) throw ctx.unsupported("weights have " + fq.channels() + " scales for " + d.outDepth() + " outputs");
        boolean asymmetric = ctx.op().options().getBool("asymmetricQuantizeInputs");
        int depth = d.accumDepth();
        int rows = d.batches();
        int units = d.outDepth();
        for (int b = 0; b < rows; b++) {
            for (int oc = 0; oc < units; oc++) out.setF32(b * units + oc, bias != null ? bias.f32(oc) : 0.0f);
        }
        if (!ConvCommon.isZero(in, 0, in.elements())) {
            View q = ctx.scratch(0);
            float[] scale = new float[rows];
            int[] zp = new int[rows];
            for (int b = 0; b < rows; b++) {
                ConvCommon.RowQuant r = asymmetric
                        ? ConvCommon.asymmetricQuantize(in, b * depth, depth, q, b * depth)
                        : ConvCommon.symmetricQuantize(in, b * depth, depth, q, b * depth);
                scale[b] = perChannel ? r.scale() : r.scale() * fq.scale(0);
                zp[b] = r.offset();
            }
            int[] rowSums = null;
            if (asymmetric) {
                rowSums = new int[units];
                for (int oc = 0; oc < units; oc++) {
                    int sum = 0;
                    for (int k = 0; k < depth; k++) sum += filter.i8(oc * depth + k);
                    rowSums[oc] = sum;
                }
            }
            for (int b = 0; b < rows; b++) {
                for (int oc = 0; oc < units; oc++) {
                    int dot = 0;
                    for (int k = 0; k < depth; k++) dot += filter.i8(oc * depth + k) * q.i8(b * depth + k);
                    float s = scale[b];
                    if (perChannel) s *= fq.scale(oc);
                    if (asymmetric) dot -= rowSums[oc] * zp[b];
                    int o = b * units + oc;
                    out.setF32(o, out.f32(o) + dot * s);
                }
            }
        }
        if (activation != QuantizedMath.ACT_NONE) {
            for (int i = 0; i < rows * units; i++) out.setF32(i, applyActivation(ctx, out.f32(i), activation));
        }
    }

    /**
     * {@code tensor_utils::ApplyActivationToVector} as the hybrid path applies it: {@code std::max(0.0f, x)} etc.,
     * with the constant as the first argument (so -0.0 and NaN become 0), and no clamp at all for NONE.
     */
    private static float applyActivation(OpContext ctx, float x, int activation) {
        switch (activation) {
            case QuantizedMath.ACT_RELU:
                return 0f < x ? x : 0f;
            case QuantizedMath.ACT_RELU_N1_TO_1: {
                float y = 1f < x ? 1f : x;
                return -1f < y ? y : -1f;
            }
            case QuantizedMath.ACT_RELU6: {
                float y = 6f < x ? 6f : x;
                return 0f < y ? y : 0f;
            }
            default:
                throw ctx.unsupported("fused activation " + activation + " on a hybrid FULLY_CONNECTED");
        }
    }
}
