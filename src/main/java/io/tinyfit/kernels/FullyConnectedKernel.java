package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Region;
import io.tinyfit.model.Shape;
import io.tinyfit.model.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
 * <p>Loop nest: b, out_c, then d over the whole input row; output element {@code out_c + depth_out * b}. Over an
 * output region: its rows in row-major order, its output channels.
 *
 * <p>Regions: the output channels (last dimension) split and need the whole input row; the row dimensions split
 * when the input has the output's leading dims (row b of the output reads row b of the input), else a region
 * needs the whole input and the row dimensions stay whole. int8 and int16 activations also split over the
 * accumulation depth ({@link PartialSums}); the hybrid variant, which quantises whole rows, does not split.
 *
 * <p>Scratch: none in TFLM's reference kernel for float32, int8, int16 (only packed int4 weights request one).
 * The hybrid path (refused by TFLM) keeps its quantised input in one scratch buffer of the input's element count.
 */
final class FullyConnectedKernel implements PartialSums {
    static final FullyConnectedKernel INSTANCE = new FullyConnectedKernel();

    private FullyConnectedKernel() {}

    @Override public List<Long> scratchBytes(Graph graph, Op op) { return Conv2DKernel.scratchOfGemmLike(graph, op); }

    /** Rows, output depth and accumulation depth. */
    private record Dims(int batches, int outDepth, int accumDepth) {
        static Dims of(OpContext ctx, View in, View filter, View out) {
            if (filter.rank() < 2) throw ctx.unsupported("FULLY_CONNECTED weights must have at least 2 dimensions");
            if (out.rank() < 1) throw ctx.unsupported("FULLY_CONNECTED output must have at least 1 dimension");
            int outDepth = out.dim(out.rank() - 1);
            long outElements = out.shape().numElements(), inElements = in.shape().numElements();
            int batches = outDepth == 0 ? 0 : (int) (outElements / outDepth);
            int accumDepth = filter.dim(filter.rank() - 1);
            if (filter.dim(filter.rank() - 2) < outDepth) throw ctx.unsupported("weights have " + filter.dim(filter.rank() - 2) + " rows for " + outDepth + " outputs");
            if ((long) batches * accumDepth > inElements) throw ctx.unsupported("input of " + inElements + " elements is too small for " + batches + " rows of " + accumDepth);
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
        if (in.dtype() == DType.FLOAT32 && filter.dtype() == DType.INT8) {
            if (!in.isDense() || !out.isDense()) throw ctx.unsupported("hybrid FULLY_CONNECTED quantises whole rows: its views must be whole");
            evalHybrid(ctx, d, in, filter, bias, out, activation);
            return;
        }
        nest(in, filter, d, ctx.outputRegion(), 0, d.accumDepth(), arithmetic(ctx, d, in, filter, bias, out, activation), out);
    }

    @Override public Optional<DType> accumulator(Graph graph, Op op) { return Conv2DKernel.accumulatorOf(graph, op); }

    @Override public int inputChannels(Graph graph, Op op) { return graph.tensor(op.input(1)).shape().fromEnd(1); }

    @Override public void accumulate(OpContext ctx, View acc, int from, int to, boolean first) {
        View in = ConvCommon.requireInput(ctx, 0), filter = ConvCommon.requireInput(ctx, 1), out = ctx.output(0);
        Conv2DKernel.requireAccumulator(ctx, acc, accumulator(ctx.graph(), ctx.op()));
        Dims d = Dims.of(ctx, in, filter, out);
        ConvArithmetic a = arithmetic(ctx, d, in, filter, ConvCommon.optionalInput(ctx, 2), out, 0)
                .mode(first ? ConvArithmetic.Mode.ACCUMULATE_FIRST : ConvArithmetic.Mode.ACCUMULATE_ADD);
        nest(in, filter, d, ctx.outputRegion(), from, to, a, acc);
    }

    @Override public void finish(OpContext ctx, View acc) {
        View in = ConvCommon.requireInput(ctx, 0), filter = ConvCommon.requireInput(ctx, 1), out = ctx.output(0);
        Conv2DKernel.requireAccumulator(ctx, acc, accumulator(ctx.graph(), ctx.op()));
        int activation = ctx.op().options().getInt("fusedActivationFunction", QuantizedMath.ACT_NONE);
        arithmetic(ctx, Dims.of(ctx, in, filter, out), in, filter, ConvCommon.optionalInput(ctx, 2), out, activation)
                .finishRegion(ctx.outputRegion(), acc, out);
    }

    @Override public boolean[] splittableDims(Graph graph, Op op) {
        boolean[] s = new boolean[graph.tensor(op.output(0)).shape().rank()];
        if (Conv2DKernel.isHybrid(graph, op) || s.length == 0) return s;
        if (rowsAligned(graph, op)) Arrays.fill(s, true);
        s[s.length - 1] = true;
        return s;
    }

    /** The rows of the output region (all of them unless the rows are aligned), whole input rows; weight and bias rows of the output channels. */
    @Override public List<Region> inputRegions(Graph graph, Op op, Region output) {
        if (Conv2DKernel.isHybrid(graph, op)) return PartialSums.super.inputRegions(graph, op, output);
        List<Region> r = Kernel.wholeInputs(graph, op);
        if (output.isEmpty()) return Kernel.emptyInputs(graph, op);
        int last = output.rank() - 1;
        if (rowsAligned(graph, op)) {
            r.set(0, output.with(last, 0, graph.tensor(op.input(0)).shape().fromEnd(1)));
        } else if (!output.with(last, 0, 1).equals(Region.whole(graph.tensor(op.output(0)).shape()).with(last, 0, 1))) {
            throw new UnsupportedOpVariantException("FULLY_CONNECTED with input " + graph.tensor(op.input(0)).shape() + " cannot compute rows " + output + " alone");
        }
        Region w = r.get(1);
        r.set(1, w.with(w.rank() - 2, output.lo(last), output.hi(last)));
        if (r.size() > 2 && r.get(2) != null) r.set(2, r.get(2).with(0, output.lo(last), output.hi(last)));
        return r;
    }

    /**
     * A slice of the accumulation depth is a slice of the input's last dimension when that dimension is the depth;
     * otherwise (an input flattened into rows, say [1, 7, 7, 64] for a depth of 3136) the slice's elements are no
     * box, and the inference keeps the whole input.
     */
    @Override public List<Region> inputRegions(Graph graph, Op op, Region output, int from, int to) {
        if (graph.tensor(op.input(0)).shape().fromEnd(1) == inputChannels(graph, op)) return PartialSums.super.inputRegions(graph, op, output, from, to);
        return inputRegions(graph, op, output);
    }

    /** True when input row b is input coordinate (output row b's leading coordinates, *): same rank, same leading dims. */
    private static boolean rowsAligned(Graph graph, Op op) {
        Shape in = graph.tensor(op.input(0)).shape(), out = graph.tensor(op.output(0)).shape();
        if (in.rank() != out.rank()) return false;
        for (int d = 0; d < in.rank() - 1; d++) if (in.dim(d) != out.dim(d)) return false;
        return in.rank() > 0 && in.fromEnd(1) == graph.tensor(op.input(1)).shape().fromEnd(1);
    }

    /** The arithmetic of the op's dtype variant (hybrid aside). */
    private static ConvArithmetic arithmetic(OpContext ctx, Dims d, View in, View filter, View bias, View out, int activation) {
        DType it = in.dtype(), ft = filter.dtype();
        if (it == DType.FLOAT32 && ft == DType.FLOAT32) {
            return new ConvArithmetic.Float32(bias, QuantizedMath.activationRangeFloat(activation));
        } else if (it == DType.INT8 && ft == DType.INT8) {
            if (bias != null && bias.dtype() != DType.INT32) throw ctx.unsupported("int8 FULLY_CONNECTED with a " + bias.dtype().label() + " bias");
            boolean perChannel = ConvCommon.filterQuant(ctx, filter.tensor()).isPerChannel();
            ConvCommon.Requant rq = requant(ctx, in, filter, out, d.outDepth(), perChannel);
            // FullyConnectedPerChannel ignores the weight zero point (symmetric by the spec); FullyConnected applies it.
            return new ConvArithmetic.Int8(-in.zeroPoint(), perChannel ? 0 : -filter.zeroPoint(), rq.multiplier(), rq.shift(), out.zeroPoint(),
                    QuantizedMath.activationRange(activation, out), bias, out);
        } else if (it == DType.INT16 && ft == DType.INT8) {
            // FullyConnected<AccumScalar> / FullyConnectedPerChannel<AccumScalar> ignore the input and output zero
            // points (0 by the int16 spec); an int64 bias selects the int64 accumulator, an int32 one or none int32.
            if (bias != null && bias.dtype() != DType.INT32 && bias.dtype() != DType.INT64) {
                throw ctx.unsupported("int16 FULLY_CONNECTED with a " + bias.dtype().label() + " bias");
            }
            boolean perChannel = ConvCommon.filterQuant(ctx, filter.tensor()).isPerChannel();
            ConvCommon.Requant rq = requant(ctx, in, filter, out, d.outDepth(), perChannel);
            return new ConvArithmetic.Int16(perChannel ? 0 : -filter.zeroPoint(), rq.multiplier(), rq.shift(), QuantizedMath.activationRange(activation, out),
                    bias, bias != null && bias.dtype() == DType.INT64, out);
        } else if (it == DType.UINT8 && ft == DType.UINT8) {
            // TFLite's legacy uint8 reference_ops::FullyConnected (uint8 output, per-tensor multiplier).
            Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
            if (fq.isPerChannel()) throw ctx.unsupported("uint8 FULLY_CONNECTED with per-channel weights");
            if (out.dtype() != DType.UINT8) throw ctx.unsupported("uint8 FULLY_CONNECTED with " + out.dtype().label() + " output");
            ConvCommon.Requant rq = requant(ctx, in, filter, out, d.outDepth(), false);
            return new ConvArithmetic.Uint8(-in.zeroPoint(), -fq.zeroPoint(), rq.multiplier(), rq.shift(), out.zeroPoint(),
                    QuantizedMath.activationRange(activation, out), bias, out);
        }
        throw ctx.unsupported("FULLY_CONNECTED with " + it.label() + " input and " + ft.label() + " weights");
    }

    /**
     * Requantisation, one multiplier per output channel: per-channel weights use
     * {@code CalculateOpDataFullyConnected}'s per-channel loop (scale product in double); per-tensor weights
     * {@code GetQuantizedConvolutionMultipler} (product in float), repeated.
     */
    private static ConvCommon.Requant requant(OpContext ctx, View in, View filter, View out, int outDepth, boolean perChannel) {
        Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
        if (perChannel) {
            if (fq.channels() < outDepth) throw ctx.unsupported("weights have " + fq.channels() + " scales for " + outDepth + " outputs");
            return ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), fq.channels());
        }
        int[] m = ConvCommon.perTensor(in.scale(), fq.scale(), out.scale());
        return new ConvCommon.Requant(Conv2DKernel.repeat(m[0], outDepth), Conv2DKernel.repeat(m[1], outDepth));
    }

    /**
     * The rows of the output region in row-major order, then its output channels, then the weights' depth within
     * {@code [from, to)}. Input row b starts at element {@code b * depth} of a whole input, whatever its shape; a
     * tile of an aligned input is addressed by the row's coordinates.
     */
    private static void nest(View in, View filter, Dims d, Region r, int from, int to, ConvArithmetic a, View target) {
        if (r.isEmpty()) return;
        int depth = d.accumDepth(), last = r.rank() - 1;
        int is = in.isDense() ? 1 : in.stride(in.rank() - 1);
        int[] x = r.lo();
        while (true) {
            x[last] = 0;
            int inRow = in.isDense() ? flatRow(target, x) * depth : in.at(x);
            for (int oc = r.lo(last); oc < r.hi(last); oc++) {
                a.clear();
                a.mac(in, inRow + from * is, is, filter, oc * depth + from, 1, to - from);
                x[last] = oc;
                a.end(oc, target, target.at(x));
            }
            if (!r.next(x, last)) return;
        }
    }

    /** Row index of output coordinate x (its last coordinate ignored): row-major over the output's leading dims. */
    private static int flatRow(View out, int[] x) {
        int row = 0;
        for (int k = 0; k < x.length - 1; k++) row = row * out.dim(k) + x[k];
        return row;
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
