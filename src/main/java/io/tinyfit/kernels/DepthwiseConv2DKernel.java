package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Region;

import java.util.List;

/**
 * DEPTHWISE_CONV_2D, bit-exact with TFLM's {@code micro/kernels/depthwise_conv.cc}:
 * {@code reference_integer_ops::DepthwiseConvPerChannel} (int8 with int32 bias; int16x8 with int64 bias),
 * {@code reference_ops::DepthwiseConv} (float32, and TFLite's legacy uint8 {@code DepthwiseConvBasicKernel} with
 * away-from-zero rounding, which is the double-rounding {@code MultiplyByQuantizedMultiplier}), and TFLite's hybrid
 * {@code DepthwiseConvHybridPerChannel}. The filter is {@code [1, KH, KW, in_depth * depth_multiplier]}.
 *
 * <p>Loop nest: batch, out_y, out_x, in_channel, m (output channel {@code in_channel * depth_multiplier + m}, so
 * the output channels ascend), then filter_y, filter_x; over an output region, the region's ranges.
 *
 * <p>Regions: every output dimension splits; rows and columns need the input rows and columns their windows reach,
 * output channels pass through to input channels {@code oc / depth_multiplier}.
 *
 * <p>Scratch: none for float32, int8 and int16 in TFLM's reference kernel (only packed int4 filters request one);
 * the hybrid path keeps its quantised input in one scratch buffer of the input's element count.
 */
final class DepthwiseConv2DKernel implements Kernel {
    static final DepthwiseConv2DKernel INSTANCE = new DepthwiseConv2DKernel();

    private DepthwiseConv2DKernel() {}

    @Override public List<Long> scratchBytes(Graph graph, Op op) { return Conv2DKernel.scratchOfGemmLike(graph, op); }

    /** depthwise_conv_common.cc's Prepare, plus the shape rules the loop nest relies on. */
    @Override public void prepare(Preparation p) {
        ConvCommon.Operands o = ConvCommon.prepareImageOperands(p);
        ConvCommon.Geometry g = ConvCommon.prepareGeometry(p, true);
        int[] id = o.in().shape().toArray(), fd = o.filter().shape().toArray(), od = o.out().shape().toArray();
        p.require(fd[0] == 1, Preparation.name("filter", o.filter()) + " " + o.filter().shape() + " must have 1 as its first dimension");
        p.require(fd[3] == od[3], "filter has " + fd[3] + " channels, output has " + od[3]);
        // the depth multiplier option may be missing or stale (the shapes decide, as in eval); it must exist
        p.require(id[3] > 0 && od[3] % id[3] == 0, "output depth " + od[3] + " is not a multiple of input depth " + id[3]);
        ConvCommon.prepareOutputSize(p, g, id[1], id[2], fd[1], fd[2], od[1], od[2]);
        ConvCommon.prepareTypes(p, o.in(), o.filter(), o.bias(), o.out(), od[3], DType.INT64);
    }

    @Override public void eval(OpContext ctx) {
        View in = ConvCommon.requireInput(ctx, 0);
        View filter = ConvCommon.requireInput(ctx, 1);
        View bias = ConvCommon.optionalInput(ctx, 2);
        View out = ctx.output(0);
        check(ctx, in, filter, out);
        nest(Window.of(ctx.graph(), ctx.op()), ctx.outputRegion(), in, filter, arithmetic(ctx, in, filter, bias, out), out);
    }

    @Override public boolean[] splittableDims(Graph graph, Op op) {
        return Conv2DKernel.isHybrid(graph, op) ? new boolean[4] : Kernel.allSplittable(graph, op);
    }

    /** Input rows and columns from the windows, channels {@code oc / multiplier}; filter and bias columns of the output channels. */
    @Override public List<Region> inputRegions(Graph graph, Op op, Region output) {
        if (Conv2DKernel.isHybrid(graph, op)) return Kernel.super.inputRegions(graph, op, output);
        return ConvCommon.windowInputs(graph, op, output, 3);
    }

    private static void check(OpContext ctx, View in, View filter, View out) {
        if (in.rank() != 4 || filter.rank() != 4 || out.rank() != 4) throw ctx.unsupported("DEPTHWISE_CONV_2D needs 4-D input, filter and output");
        int inDepth = in.dim(3), outDepth = out.dim(3);
        if (filter.dim(3) != outDepth) throw ctx.unsupported("filter has " + filter.dim(3) + " channels, output has " + outDepth);
        int option = ctx.op().options().getInt("depthMultiplier", 0);
        // A missing or inconsistent option leaves the shapes to decide, as TFLite does.
        if (!(option > 0 && option * inDepth == outDepth) && !(inDepth > 0 && outDepth % inDepth == 0)) {
            throw ctx.unsupported("output depth " + outDepth + " is not a multiple of input depth " + inDepth);
        }
    }

    private static ConvArithmetic arithmetic(OpContext ctx, View in, View filter, View bias, View out) {
        int activation = ConvCommon.Geometry.of(ctx.op()).activation();
        int outDepth = out.dim(3);
        DType it = in.dtype(), ft = filter.dtype();
        if (it == DType.FLOAT32 && ft == DType.FLOAT32) {
            return new ConvArithmetic.Float32(bias, QuantizedMath.activationRangeFloat(activation));
        } else if (it == DType.FLOAT32 && ft == DType.INT8) {
            // TFLite's EvalHybridPerChannel: each batch image quantised asymmetrically, DepthwiseConvHybridPerChannel.
            Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
            ConvCommon.HybridInput h = ConvCommon.HybridInput.quantise(ctx, in, true);
            return new ConvArithmetic.Hybrid(h.q(), h.scale(), h.zeroPoint(), ConvCommon.HybridInput.filterScales(fq, outDepth), true, true,
                    bias, QuantizedMath.activationRangeFloat(activation), out);
        } else if (it == DType.INT8 && ft == DType.INT8) {
            if (bias != null && bias.dtype() != DType.INT32) throw ctx.unsupported("int8 DEPTHWISE_CONV_2D with a " + bias.dtype().label() + " bias");
            ConvCommon.Requant rq = ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), outDepth);
            return new ConvArithmetic.Int8(-in.zeroPoint(), 0, rq.multiplier(), rq.shift(), out.zeroPoint(),
                    QuantizedMath.activationRange(activation, out), bias, out);
        } else if (it == DType.INT16 && ft == DType.INT8) {
            // TFLM reads the bias as int64 whatever its type; an int32 bias would be misread there.
            if (bias != null && bias.dtype() != DType.INT64) throw ctx.unsupported("int16 DEPTHWISE_CONV_2D with a " + bias.dtype().label() + " bias (TFLM needs int64)");
            ConvCommon.Requant rq = ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), outDepth);
            return new ConvArithmetic.Int16(0, rq.multiplier(), rq.shift(), QuantizedMath.activationRange(activation, out), bias, true, out);
        } else if (it == DType.UINT8 && ft == DType.UINT8) {
            // TFLite's legacy DepthwiseConvBasicKernel<kAwayFromZero>::Run: per-tensor multiplier, both zero points.
            Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
            if (fq.isPerChannel()) throw ctx.unsupported("uint8 DEPTHWISE_CONV_2D with per-channel weights");
            int[] m = ConvCommon.perTensor(in.scale(), fq.scale(), out.scale());
            return new ConvArithmetic.Uint8(-in.zeroPoint(), -fq.zeroPoint(), Conv2DKernel.repeat(m[0], outDepth), Conv2DKernel.repeat(m[1], outDepth),
                    out.zeroPoint(), QuantizedMath.activationRange(activation, out), bias, out);
        }
        throw ctx.unsupported("DEPTHWISE_CONV_2D with " + it.label() + " input and " + ft.label() + " filter");
    }

    /**
     * batch, out_y, out_x, in_channel, m (output channel {@code in_channel * multiplier + m}, so the output channels
     * ascend: one loop over them), then filter_y, filter_x, over the output region.
     */
    private static void nest(Window w, Region r, View in, View filter, ConvArithmetic a, View out) {
        Window.Axis ay = w.y(), ax = w.x();
        // Bounds in locals: the JIT's early tiers do not hoist them, and the first inferences run there.
        int multiplier = w.groupWidth();
        int tapsY = ay.taps(), tapsX = ax.taps(), dilationY = ay.dilation(), dilationX = ax.dilation(), inH = ay.in(), inW = ax.in();
        int y0 = r.lo(1), y1 = r.hi(1), x0 = r.lo(2), x1 = r.hi(2), c0 = r.lo(3), c1 = r.hi(3);
        for (int b = r.lo(0); b < r.hi(0); b++) {
            a.batch(b);
            for (int oy = y0; oy < y1; oy++) {
                int inYOrigin = ay.origin(oy);
                for (int ox = x0; ox < x1; ox++) {
                    int inXOrigin = ax.origin(ox);
                    for (int oc = c0; oc < c1; oc++) {
                        int ic = oc / multiplier;
                        a.clear();
                        for (int fy = 0; fy < tapsY; fy++) {
                            for (int fx = 0; fx < tapsX; fx++) {
                                int ix = inXOrigin + dilationX * fx;
                                int iy = inYOrigin + dilationY * fy;
                                if (ix >= 0 && ix < inW && iy >= 0 && iy < inH) {
                                    a.tap(in, in.at(b, iy, ix, ic), filter, filter.at(0, fy, fx, oc));
                                }
                            }
                        }
                        a.end(oc, out, out.at(b, oy, ox, oc));
                    }
                }
            }
        }
    }
}
