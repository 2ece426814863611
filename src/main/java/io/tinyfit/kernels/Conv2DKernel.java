package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Region;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * CONV_2D, bit-exact with TFLM's {@code micro/kernels/conv.cc} and the reference kernels it calls:
 * {@code reference_integer_ops::ConvPerChannel} (int8; int16x8 with an int64 or, when the bias is int32 or absent,
 * an int32 accumulator), {@code reference_ops::Conv} (float32 and the legacy uint8 path of TFLite), and TFLite's
 * hybrid path (float32 activations, int8 weights) which TFLM refuses. Grouped convolution (input channels =
 * groups x filter input channels), dilation, SAME/VALID padding and an omitted bias are supported.
 *
 * <p>Loop nest (the access order the overlap analysis relies on): batch, out_y, out_x, out_channel, then
 * filter_y, filter_x, in_channel; each output pixel's channels are written together, in order. Over an output
 * region the same nest runs over the region's ranges, the taps judged against the global input shape.
 *
 * <p>Regions: every output dimension splits; output rows and columns need the input rows and columns their windows
 * reach ({@link Window.Axis#inputRange}), output channels the input channels of their groups (all of them unless
 * grouped). int8 and int16 activations also split over input channels ({@link PartialSums}).
 *
 * <p>Scratch: TFLM's reference CONV_2D requests no scratch buffer for float32, int8 or int16 (only packed int4
 * filters need one, for their unpacked copy: counted by {@link #scratchBytes}, but tinyfit has no int4 kernel). The
 * hybrid path, which TFLM cannot run, keeps its quantised input in one scratch buffer of the input's element count.
 */
final class Conv2DKernel implements PartialSums {
    static final Conv2DKernel INSTANCE = new Conv2DKernel();

    private Conv2DKernel() {}

    @Override public List<Long> scratchBytes(Graph graph, Op op) { return scratchOfGemmLike(graph, op); }

    /**
     * The requests of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: in TFLM only a packed int4 filter needs one (its
     * unpacked copy, one byte per element; tinyfit has no int4 kernel, but a plan must still count it); tinyfit's
     * hybrid path, which TFLM refuses, one for the quantised input.
     */
    static List<Long> scratchOfGemmLike(Graph graph, Op op) {
        if (op.inputs().size() > 1 && op.input(1) >= 0 && graph.tensor(op.input(1)).dtype() == DType.INT4) {
            return List.of(graph.tensor(op.input(1)).shape().numElements());
        }
        if (isHybrid(graph, op)) return List.of(graph.tensor(op.input(0)).shape().numElements());
        return List.of();
    }

    static boolean isHybrid(Graph g, Op op) {
        return op.inputs().size() > 1 && op.input(0) >= 0 && op.input(1) >= 0
                && g.tensor(op.input(0)).dtype() == DType.FLOAT32 && g.tensor(op.input(1)).dtype() == DType.INT8;
    }

    /** conv_common.cc's ConvPrepare and CalculateOpDataConv, plus the shape rules the loop nest relies on. */
    @Override public void prepare(Preparation p) {
        ConvCommon.Operands o = ConvCommon.prepareImageOperands(p);
        ConvCommon.Geometry g = ConvCommon.prepareGeometry(p, true);
        int[] id = o.in().shape().toArray(), fd = o.filter().shape().toArray(), od = o.out().shape().toArray();
        p.require(fd[0] == od[3], "filter has " + fd[0] + " output channels, output has " + od[3]);
        p.require(fd[3] > 0 && id[3] % fd[3] == 0, "input depth " + id[3] + " is not a multiple of the filter depth " + fd[3]);
        int groups = id[3] / fd[3];
        p.require(groups > 0 && od[3] % groups == 0, "output depth " + od[3] + " is not a multiple of " + groups + " groups");
        ConvCommon.prepareOutputSize(p, g, id[1], id[2], fd[1], fd[2], od[1], od[2]);
        ConvCommon.prepareTypes(p, o.in(), o.filter(), o.bias(), o.out(), od[3], DType.INT32, DType.INT64);
    }

    @Override public void eval(OpContext ctx) {
        Operands o = Operands.of(ctx);
        nest(o.window, ctx.outputRegion(), o.in, o.filter, 0, o.window.inDepth(), arithmetic(ctx, o), o.out);
    }

    @Override public Optional<DType> accumulator(Graph graph, Op op) { return accumulatorOf(graph, op); }

    /** int32 partial sums for int8 activations and weights, int64 for int16 activations with int8 weights. */
    static Optional<DType> accumulatorOf(Graph graph, Op op) {
        DType it = graph.tensor(op.input(0)).dtype(), ft = graph.tensor(op.input(1)).dtype();
        if (ft != DType.INT8) return Optional.empty();
        return it == DType.INT8 ? Optional.of(DType.INT32) : it == DType.INT16 ? Optional.of(DType.INT64) : Optional.empty();
    }

    @Override public int inputChannels(Graph graph, Op op) { return graph.tensor(op.input(0)).shape().fromEnd(1); }

    @Override public void accumulate(OpContext ctx, View acc, int from, int to, boolean first) {
        Operands o = Operands.of(ctx);
        requireAccumulator(ctx, acc, accumulator(ctx.graph(), ctx.op()));
        ConvArithmetic a = arithmetic(ctx, o).mode(first ? ConvArithmetic.Mode.ACCUMULATE_FIRST : ConvArithmetic.Mode.ACCUMULATE_ADD);
        nest(o.window, ctx.outputRegion(), o.in, o.filter, from, to, a, acc);
    }

    @Override public void finish(OpContext ctx, View acc) {
        Operands o = Operands.of(ctx);
        requireAccumulator(ctx, acc, accumulator(ctx.graph(), ctx.op()));
        arithmetic(ctx, o).finishRegion(ctx.outputRegion(), acc, o.out);
    }

    /** The accumulator view must be of the type this op's partial sums need. */
    static void requireAccumulator(OpContext ctx, View acc, Optional<DType> type) {
        if (type.isEmpty()) throw ctx.unsupported("no accumulate/finish split for these dtypes");
        if (acc.dtype() != type.get()) throw ctx.unsupported("accumulator of type " + acc.dtype().label() + ", needs " + type.get().label());
    }

    @Override public boolean[] splittableDims(Graph graph, Op op) {
        return isHybrid(graph, op) ? new boolean[4] : Kernel.allSplittable(graph, op);
    }

    /** Input rows and columns from the windows, input channels from the groups; filter and bias rows of the output channels. */
    @Override public List<Region> inputRegions(Graph graph, Op op, Region output) {
        if (isHybrid(graph, op)) return PartialSums.super.inputRegions(graph, op, output);
        return ConvCommon.windowInputs(graph, op, output, 0);
    }

    /** The operands, checked, and the window geometry. */
    private record Operands(View in, View filter, View bias, View out, Window window) {
        static Operands of(OpContext ctx) {
            View in = ConvCommon.requireInput(ctx, 0);
            View filter = ConvCommon.requireInput(ctx, 1);
            View bias = ConvCommon.optionalInput(ctx, 2);
            View out = ctx.output(0);
            if (in.rank() != 4 || filter.rank() != 4 || out.rank() != 4) throw ctx.unsupported("CONV_2D needs 4-D input, filter and output");
            int inDepth = in.dim(3), fInDepth = filter.dim(3), outDepth = out.dim(3);
            if (filter.dim(0) != outDepth) throw ctx.unsupported("filter has " + filter.dim(0) + " output channels, output has " + outDepth);
            if (fInDepth == 0 || inDepth % fInDepth != 0) throw ctx.unsupported("input depth " + inDepth + " is not a multiple of the filter depth " + fInDepth);
            int groups = inDepth / fInDepth;
            if (outDepth % groups != 0) throw ctx.unsupported("output depth " + outDepth + " is not a multiple of " + groups + " groups");
            return new Operands(in, filter, bias, out, Window.of(ctx.graph(), ctx.op()));
        }
    }

    /** The arithmetic of the op's dtype variant. */
    private static ConvArithmetic arithmetic(OpContext ctx, Operands o) {
        View in = o.in, filter = o.filter, bias = o.bias, out = o.out;
        int activation = ConvCommon.Geometry.of(ctx.op()).activation();
        int outDepth = out.dim(3);
        DType it = in.dtype(), ft = filter.dtype();
        if (it == DType.FLOAT32 && ft == DType.FLOAT32) {
            return new ConvArithmetic.Float32(bias, QuantizedMath.activationRangeFloat(activation));
        } else if (it == DType.FLOAT32 && ft == DType.INT8) {
            return hybrid(ctx, o, activation);
        } else if (it == DType.INT8 && ft == DType.INT8) {
            ConvCommon.Requant rq = ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), outDepth);
            return new ConvArithmetic.Int8(-in.zeroPoint(), 0, rq.multiplier(), rq.shift(), out.zeroPoint(),
                    QuantizedMath.activationRange(activation, out), bias, out);
        } else if (it == DType.INT16 && ft == DType.INT8) {
            // ConvPerChannel<int64_t> with an int64 bias; ConvPerChannel<int32_t> with an int32 bias or none.
            if (bias != null && bias.dtype() != DType.INT32 && bias.dtype() != DType.INT64) {
                throw ctx.unsupported("int16 CONV_2D with a " + bias.dtype().label() + " bias");
            }
            ConvCommon.Requant rq = ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), outDepth);
            return new ConvArithmetic.Int16(0, rq.multiplier(), rq.shift(), QuantizedMath.activationRange(activation, out), bias,
                    bias != null && bias.dtype() == DType.INT64, out);
        } else if (it == DType.UINT8 && ft == DType.UINT8) {
            // TFLite's legacy reference_ops::Conv: input and weight zero points, one per-tensor multiplier.
            Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
            if (fq.isPerChannel()) throw ctx.unsupported("uint8 CONV_2D with per-channel weights");
            int[] m = ConvCommon.perTensor(in.scale(), fq.scale(), out.scale());
            return new ConvArithmetic.Uint8(-in.zeroPoint(), -fq.zeroPoint(), repeat(m[0], outDepth), repeat(m[1], outDepth), out.zeroPoint(),
                    QuantizedMath.activationRange(activation, out), bias, out);
        }
        throw ctx.unsupported("CONV_2D with " + it.label() + " input and " + ft.label() + " filter");
    }

    static int[] repeat(int value, int n) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }

    /**
     * batch, out_y, out_x, out_channel, then filter_y, filter_x, in_channel ({@code ConvPerChannel}'s order) over the
     * output region; each output channel reads the channels of its group within {@code [from, to)}.
     */
    private static void nest(Window w, Region r, View in, View filter, int from, int to, ConvArithmetic a, View target) {
        Window.Axis ay = w.y(), ax = w.x();
        // Bounds in locals: the JIT's early tiers do not hoist them, and the first inferences run there.
        int is = in.stride4(3), fs = filter.stride4(3);
        int tapsY = ay.taps(), tapsX = ax.taps(), dilationY = ay.dilation(), dilationX = ax.dilation(), inH = ay.in(), inW = ax.in();
        int tapDepth = w.tapDepth();
        int y0 = r.lo(1), y1 = r.hi(1), x0 = r.lo(2), x1 = r.hi(2), c0 = r.lo(3), c1 = r.hi(3);
        for (int b = r.lo(0); b < r.hi(0); b++) {
            a.batch(b);
            for (int oy = y0; oy < y1; oy++) {
                int inYOrigin = ay.origin(oy);
                for (int ox = x0; ox < x1; ox++) {
                    int inXOrigin = ax.origin(ox);
                    for (int oc = c0; oc < c1; oc++) {
                        int groupStart = w.firstChannel(oc);
                        int first = Math.max(from, groupStart);
                        int n = Math.min(to, groupStart + tapDepth) - first;
                        a.clear();
                        for (int fy = 0; fy < tapsY; fy++) {
                            int iy = inYOrigin + dilationY * fy;
                            for (int fx = 0; fx < tapsX; fx++) {
                                int ix = inXOrigin + dilationX * fx;
                                if (ix < 0 || ix >= inW || iy < 0 || iy >= inH) continue;
                                a.mac(in, in.at(b, iy, ix, first), is, filter, filter.at(oc, fy, fx, first - groupStart), fs, n);
                            }
                        }
                        a.end(oc, target, target.at(b, oy, ox, oc));
                    }
                }
            }
        }
    }

    /**
     * TFLite's hybrid CONV_2D. With a per-tensor filter scale (or per-channel scales that are all equal) it is
     * {@code EvalHybrid}: each batch image is quantised symmetrically, the scale folded with the filter scale, and
     * {@code out = (0 + float(acc) * scale) + bias} (the im2col + GEMM of {@code optimized_ops::HybridConv}, whose
     * integer sums do not depend on order). With distinct per-channel scales it is {@code EvalHybridPerChannel}:
     * asymmetric quantisation per batch image and {@code reference_ops::HybridConvPerChannel}. The quantisation
     * needs whole images, so the hybrid variant is unsplittable.
     */
    private static ConvArithmetic hybrid(OpContext ctx, Operands o, int activation) {
        Quantization fq = ConvCommon.filterQuant(ctx, o.filter.tensor());
        boolean perChannel = ConvCommon.distinctScales(fq);
        ConvCommon.HybridInput h = ConvCommon.HybridInput.quantise(ctx, o.in, perChannel);
        float[] scale = h.scale().clone();
        if (!perChannel) for (int b = 0; b < scale.length; b++) scale[b] *= fq.scale(0);
        return new ConvArithmetic.Hybrid(h.q(), scale, h.zeroPoint(), ConvCommon.HybridInput.filterScales(fq, o.out.dim(3)), perChannel, false,
                o.bias, QuantizedMath.activationRangeFloat(activation), o.out);
    }
}
