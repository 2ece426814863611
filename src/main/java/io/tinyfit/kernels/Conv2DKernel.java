package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Quantization;

import java.util.List;

import static io.tinyfit.kernels.ConvCommon.dims4;
import static io.tinyfit.kernels.ConvCommon.offset;
import static io.tinyfit.kernels.QuantizedMath.clamp;

/**
 * CONV_2D, bit-exact with TFLM's {@code micro/kernels/conv.cc} and the reference kernels it calls:
 * {@code reference_integer_ops::ConvPerChannel} (int8; int16x8 with an int64 or, when the bias is int32 or absent,
 * an int32 accumulator), {@code reference_ops::Conv} (float32 and the legacy uint8 path of TFLite), and TFLite's
 * hybrid path (float32 activations, int8 weights) which TFLM refuses. Grouped convolution (input channels =
 * groups x filter input channels), dilation, SAME/VALID padding and an omitted bias are supported.
 *
 * <p>Loop nest (the access order the overlap analysis relies on): batch, out_y, out_x, out_channel, then
 * filter_y, filter_x, in_channel; each output pixel's channels are written together, in order.
 *
 * <p>Scratch: TFLM's reference CONV_2D requests no scratch buffer for float32, int8 or int16 (only packed int4
 * filters need one, for their unpacked copy: counted by {@link #scratchBytes}, but tinyfit has no int4 kernel). The
 * hybrid path, which TFLM cannot run, keeps its quantised input in one scratch buffer of the input's element count.
 */
final class Conv2DKernel implements Kernel {
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
        View in = ConvCommon.requireInput(ctx, 0);
        View filter = ConvCommon.requireInput(ctx, 1);
        View bias = ConvCommon.optionalInput(ctx, 2);
        View out = ctx.output(0);
        ConvCommon.Geometry g = ConvCommon.Geometry.of(ctx.op());
        Shape s = new Shape(ctx, in, filter, out, g);
        DType it = in.dtype(), ft = filter.dtype();
        if (it == DType.FLOAT32 && ft == DType.FLOAT32) {
            evalFloat(s, in, filter, bias, out, g);
        } else if (it == DType.FLOAT32 && ft == DType.INT8) {
            evalHybrid(ctx, s, in, filter, bias, out, g);
        } else if (it == DType.INT8 && ft == DType.INT8) {
            evalInt8(ctx, s, in, filter, bias, out, g);
        } else if (it == DType.INT16 && ft == DType.INT8) {
            if (bias == null || bias.dtype() == DType.INT32) evalInt16Acc32(ctx, s, in, filter, bias, out, g);
            else if (bias.dtype() == DType.INT64) evalInt16Acc64(ctx, s, in, filter, bias, out, g);
            else throw ctx.unsupported("int16 CONV_2D with a " + bias.dtype().label() + " bias");
        } else if (it == DType.UINT8 && ft == DType.UINT8) {
            evalUint8(ctx, s, in, filter, bias, out, g);
        } else {
            throw ctx.unsupported("CONV_2D with " + it.label() + " input and " + ft.label() + " filter");
        }
    }

    /** The dimensions every variant uses. */
    private static final class Shape {
        final int[] id, fd, od;
        final int batches, inH, inW, inDepth, fH, fW, fInDepth, outH, outW, outDepth, filtersPerGroup;
        final ConvCommon.Padding pad;

        Shape(OpContext ctx, View in, View filter, View out, ConvCommon.Geometry g) {
            if (in.rank() != 4 || filter.rank() != 4 || out.rank() != 4) throw ctx.unsupported("CONV_2D needs 4-D input, filter and output");
            id = dims4(in);
            fd = dims4(filter);
            od = dims4(out);
            batches = id[0];
            inH = id[1];
            inW = id[2];
            inDepth = id[3];
            fH = fd[1];
            fW = fd[2];
            fInDepth = fd[3];
            outH = od[1];
            outW = od[2];
            outDepth = od[3];
            if (fd[0] != outDepth) throw ctx.unsupported("filter has " + fd[0] + " output channels, output has " + outDepth);
            if (fInDepth == 0 || inDepth % fInDepth != 0) throw ctx.unsupported("input depth " + inDepth + " is not a multiple of the filter depth " + fInDepth);
            int groups = inDepth / fInDepth;
            if (outDepth % groups != 0) throw ctx.unsupported("output depth " + outDepth + " is not a multiple of " + groups + " groups");
            filtersPerGroup = outDepth / groups;
            pad = ConvCommon.padding(g.strideH(), g.strideW(), g.dilationH(), g.dilationW(), inH, inW, fH, fW, g.padding());
        }
    }

    private static void evalInt8(OpContext ctx, Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        ConvCommon.Requant rq = ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), s.outDepth);
        int[] act = QuantizedMath.activationRange(g.activation(), out);
        int inputOffset = -in.zeroPoint();
        int outputOffset = out.zeroPoint();
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                int inYOrigin = oy * g.strideH() - s.pad.height();
                for (int ox = 0; ox < s.outW; ox++) {
                    int inXOrigin = ox * g.strideW() - s.pad.width();
                    for (int oc = 0; oc < s.outDepth; oc++) {
                        int group = oc / s.filtersPerGroup;
                        int acc = 0;
                        for (int fy = 0; fy < s.fH; fy++) {
                            int iy = inYOrigin + g.dilationH() * fy;
                            for (int fx = 0; fx < s.fW; fx++) {
                                int ix = inXOrigin + g.dilationW() * fx;
                                if (ix < 0 || ix >= s.inW || iy < 0 || iy >= s.inH) continue;
                                int inBase = offset(s.id, b, iy, ix, group * s.fInDepth);
                                int fBase = offset(s.fd, oc, fy, fx, 0);
                                for (int ic = 0; ic < s.fInDepth; ic++) {
                                    acc += filter.i8(fBase + ic) * (in.i8(inBase + ic) + inputOffset);
                                }
                            }
                        }
                        if (bias != null) acc += bias.i32(oc);
                        acc = QuantizedMath.multiplyByQuantizedMultiplier(acc, rq.multiplier()[oc], rq.shift()[oc]);
                        acc += outputOffset;
                        out.setI8(offset(s.od, b, oy, ox, oc), clamp(acc, act[0], act[1]));
                    }
                }
            }
        }
    }

    /** int16 activations, int8 weights, int32 bias or none: {@code ConvPerChannel<int32_t>}, int32 requantisation. */
    private static void evalInt16Acc32(OpContext ctx, Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        ConvCommon.Requant rq = ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), s.outDepth);
        int[] act = QuantizedMath.activationRange(g.activation(), out);
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                int inYOrigin = oy * g.strideH() - s.pad.height();
                for (int ox = 0; ox < s.outW; ox++) {
                    int inXOrigin = ox * g.strideW() - s.pad.width();
                    for (int oc = 0; oc < s.outDepth; oc++) {
                        int group = oc / s.filtersPerGroup;
                        int acc = 0;
                        for (int fy = 0; fy < s.fH; fy++) {
                            int iy = inYOrigin + g.dilationH() * fy;
                            for (int fx = 0; fx < s.fW; fx++) {
                                int ix = inXOrigin + g.dilationW() * fx;
                                if (ix < 0 || ix >= s.inW || iy < 0 || iy >= s.inH) continue;
                                int inBase = offset(s.id, b, iy, ix, group * s.fInDepth);
                                int fBase = offset(s.fd, oc, fy, fx, 0);
                                for (int ic = 0; ic < s.fInDepth; ic++) acc += filter.i8(fBase + ic) * in.i16(inBase + ic);
                            }
                        }
                        if (bias != null) acc += bias.i32(oc);
                        int scaled = QuantizedMath.multiplyByQuantizedMultiplier(acc, rq.multiplier()[oc], rq.shift()[oc]);
                        out.setI16(offset(s.od, b, oy, ox, oc), clamp(scaled, act[0], act[1]));
                    }
                }
            }
        }
    }

    /** int16 activations, int8 weights, int64 bias: {@code ConvPerChannel<int64_t>}, int64 requantisation. */
    private static void evalInt16Acc64(OpContext ctx, Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        ConvCommon.Requant rq = ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), s.outDepth);
        int[] act = QuantizedMath.activationRange(g.activation(), out);
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                int inYOrigin = oy * g.strideH() - s.pad.height();
                for (int ox = 0; ox < s.outW; ox++) {
                    int inXOrigin = ox * g.strideW() - s.pad.width();
                    for (int oc = 0; oc < s.outDepth; oc++) {
                        int group = oc / s.filtersPerGroup;
                        long acc = 0;
                        for (int fy = 0; fy < s.fH; fy++) {
                            int iy = inYOrigin + g.dilationH() * fy;
                            for (int fx = 0; fx < s.fW; fx++) {
                                int ix = inXOrigin + g.dilationW() * fx;
                                if (ix < 0 || ix >= s.inW || iy < 0 || iy >= s.inH) continue;
                                int inBase = offset(s.id, b, iy, ix, group * s.fInDepth);
                                int fBase = offset(s.fd, oc, fy, fx, 0);
                                // int32 product (filter_val * input_val), added to the int64 accumulator
                                for (int ic = 0; ic < s.fInDepth; ic++) acc += filter.i8(fBase + ic) * in.i16(inBase + ic);
                            }
                        }
                        acc += bias.i64(oc);
                        int scaled = QuantizedMath.multiplyByQuantizedMultiplier(acc, rq.multiplier()[oc], rq.shift()[oc]);
                        out.setI16(offset(s.od, b, oy, ox, oc), clamp(scaled, act[0], act[1]));
                    }
                }
            }
        }
    }

    /** TFLite's legacy uint8 {@code reference_ops::Conv}: input and weight zero points, per-tensor multiplier. */
    private static void evalUint8(OpContext ctx, Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
        if (fq.isPerChannel()) throw ctx.unsupported("uint8 CONV_2D with per-channel weights");
        int[] m = ConvCommon.perTensor(in.scale(), fq.scale(), out.scale());
        int[] act = QuantizedMath.activationRange(g.activation(), out);
        int inputOffset = -in.zeroPoint();
        int filterOffset = -fq.zeroPoint();
        int outputOffset = out.zeroPoint();
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                int inYOrigin = oy * g.strideH() - s.pad.height();
                for (int ox = 0; ox < s.outW; ox++) {
                    int inXOrigin = ox * g.strideW() - s.pad.width();
                    for (int oc = 0; oc < s.outDepth; oc++) {
                        int group = oc / s.filtersPerGroup;
                        int acc = 0;
                        for (int fy = 0; fy < s.fH; fy++) {
                            int iy = inYOrigin + g.dilationH() * fy;
                            for (int fx = 0; fx < s.fW; fx++) {
                                int ix = inXOrigin + g.dilationW() * fx;
                                if (ix < 0 || ix >= s.inW || iy < 0 || iy >= s.inH) continue;
                                int inBase = offset(s.id, b, iy, ix, group * s.fInDepth);
                                int fBase = offset(s.fd, oc, fy, fx, 0);
                                for (int ic = 0; ic < s.fInDepth; ic++) {
                                    acc += (filter.u8(fBase + ic) + filterOffset) * (in.u8(inBase + ic) + inputOffset);
                                }
                            }
                        }
                        if (bias != null) acc += bias.i32(oc);
                        acc = QuantizedMath.multiplyByQuantizedMultiplier(acc, m[0], m[1]);
                        acc += outputOffset;
                        out.setU8(offset(s.od, b, oy, ox, oc), clamp(acc, act[0], act[1]));
                    }
                }
            }
        }
    }

    /** {@code reference_ops::Conv} for float32: float accumulation in loop order, then {@code total + bias}. */
    private static void evalFloat(Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        float[] act = QuantizedMath.activationRangeFloat(g.activation());
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                int inYOrigin = oy * g.strideH() - s.pad.height();
                for (int ox = 0; ox < s.outW; ox++) {
                    int inXOrigin = ox * g.strideW() - s.pad.width();
                    for (int oc = 0; oc < s.outDepth; oc++) {
                        int group = oc / s.filtersPerGroup;
                        float total = 0f;
                        for (int fy = 0; fy < s.fH; fy++) {
                            int iy = inYOrigin + g.dilationH() * fy;
                            for (int fx = 0; fx < s.fW; fx++) {
                                int ix = inXOrigin + g.dilationW() * fx;
                                if (ix < 0 || ix >= s.inW || iy < 0 || iy >= s.inH) continue;
                                int inBase = offset(s.id, b, iy, ix, group * s.fInDepth);
                                int fBase = offset(s.fd, oc, fy, fx, 0);
                                for (int ic = 0; ic < s.fInDepth; ic++) total += in.f32(inBase + ic) * filter.f32(fBase + ic);
                            }
                        }
                        float biasValue = bias != null ? bias.f32(oc) : 0.0f;
                        out.setF32(offset(s.od, b, oy, ox, oc), clamp(total + biasValue, act[0], act[1]));
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
     * asymmetric quantisation per batch image and {@code reference_ops::HybridConvPerChannel}.
     */
    private static void evalHybrid(OpContext ctx, Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
        float[] act = QuantizedMath.activationRangeFloat(g.activation());
        View q = ctx.scratch(0);
        int imageSize = s.inH * s.inW * s.inDepth;
        boolean perChannel = ConvCommon.distinctScales(fq);
        float[] scale = new float[s.batches];
        int[] zp = new int[s.batches];
        for (int b = 0; b < s.batches; b++) {
            ConvCommon.RowQuant r = perChannel
                    ? ConvCommon.asymmetricQuantize(in, b * imageSize, imageSize, q, b * imageSize)
                    : ConvCommon.symmetricQuantize(in, b * imageSize, imageSize, q, b * imageSize);
            scale[b] = perChannel ? r.scale() : r.scale() * fq.scale(0);
            zp[b] = r.offset();
        }
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                int inYOrigin = oy * g.strideH() - s.pad.height();
                for (int ox = 0; ox < s.outW; ox++) {
                    int inXOrigin = ox * g.strideW() - s.pad.width();
                    for (int oc = 0; oc < s.outDepth; oc++) {
                        int group = oc / s.filtersPerGroup;
                        int acc = 0;
                        for (int fy = 0; fy < s.fH; fy++) {
                            int iy = inYOrigin + g.dilationH() * fy;
                            for (int fx = 0; fx < s.fW; fx++) {
                                int ix = inXOrigin + g.dilationW() * fx;
                                if (ix < 0 || ix >= s.inW || iy < 0 || iy >= s.inH) continue;
                                int inBase = offset(s.id, b, iy, ix, group * s.fInDepth);
                                int fBase = offset(s.fd, oc, fy, fx, 0);
                                for (int ic = 0; ic < s.fInDepth; ic++) acc += filter.i8(fBase + ic) * (q.i8(inBase + ic) - zp[b]);
                            }
                        }
                        float r;
                        if (perChannel) {
                            r = acc * fq.scale(oc) * scale[b];
                            if (bias != null) r += bias.f32(oc);
                        } else {
                            r = 0f;
                            r += acc * scale[b];
                            if (bias != null) r = r + bias.f32(oc);
                        }
                        out.setF32(offset(s.od, b, oy, ox, oc), clamp(r, act[0], act[1]));
                    }
                }
            }
        }
    }
}
