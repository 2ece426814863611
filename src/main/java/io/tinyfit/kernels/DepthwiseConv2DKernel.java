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
 * DEPTHWISE_CONV_2D, bit-exact with TFLM's {@code micro/kernels/depthwise_conv.cc}:
 * {@code reference_integer_ops::DepthwiseConvPerChannel} (int8 with int32 bias; int16x8 with int64 bias),
 * {@code reference_ops::DepthwiseConv} (float32, and TFLite's legacy uint8 {@code DepthwiseConvBasicKernel} with
 * away-from-zero rounding, which is the double-rounding {@code MultiplyByQuantizedMultiplier}), and TFLite's hybrid
 * {@code DepthwiseConvHybridPerChannel}. The filter is {@code [1, KH, KW, in_depth * depth_multiplier]}.
 *
 * <p>Loop nest: batch, out_y, out_x, in_channel, m (output channel {@code in_channel * depth_multiplier + m}), then
 * filter_y, filter_x.
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
        ConvCommon.Geometry g = ConvCommon.Geometry.of(ctx.op());
        Shape s = new Shape(ctx, in, filter, out, g);
        DType it = in.dtype(), ft = filter.dtype();
        if (it == DType.FLOAT32 && ft == DType.FLOAT32) {
            evalFloat(s, in, filter, bias, out, g);
        } else if (it == DType.FLOAT32 && ft == DType.INT8) {
            evalHybrid(ctx, s, in, filter, bias, out, g);
        } else if (it == DType.INT8 && ft == DType.INT8) {
            if (bias != null && bias.dtype() != DType.INT32) throw ctx.unsupported("int8 DEPTHWISE_CONV_2D with a " + bias.dtype().label() + " bias");
            evalInt8(ctx, s, in, filter, bias, out, g);
        } else if (it == DType.INT16 && ft == DType.INT8) {
            // TFLM reads the bias as int64 whatever its type; an int32 bias would be misread there.
            if (bias != null && bias.dtype() != DType.INT64) throw ctx.unsupported("int16 DEPTHWISE_CONV_2D with a " + bias.dtype().label() + " bias (TFLM needs int64)");
            evalInt16(ctx, s, in, filter, bias, out, g);
        } else if (it == DType.UINT8 && ft == DType.UINT8) {
            evalUint8(ctx, s, in, filter, bias, out, g);
        } else {
            throw ctx.unsupported("DEPTHWISE_CONV_2D with " + it.label() + " input and " + ft.label() + " filter");
        }
    }

    private static final class Shape {
        final int[] id, fd, od;
        final int batches, inH, inW, inDepth, fH, fW, outH, outW, outDepth, depthMultiplier;
        final ConvCommon.Padding pad;

        Shape(OpContext ctx, View in, View filter, View out, ConvCommon.Geometry g) {
            if (in.rank() != 4 || filter.rank() != 4 || out.rank() != 4) throw ctx.unsupported("DEPTHWISE_CONV_2D needs 4-D input, filter and output");
            id = dims4(in);
            fd = dims4(filter);
            od = dims4(out);
            batches = id[0];
            inH = id[1];
            inW = id[2];
            inDepth = id[3];
            fH = fd[1];
            fW = fd[2];
            outH = od[1];
            outW = od[2];
            outDepth = od[3];
            if (fd[3] != outDepth) throw ctx.unsupported("filter has " + fd[3] + " channels, output has " + outDepth);
            int option = ctx.op().options().getInt("depthMultiplier", 0);
            if (option > 0 && option * inDepth == outDepth) {
                depthMultiplier = option;
            } else if (inDepth > 0 && outDepth % inDepth == 0) {
                depthMultiplier = outDepth / inDepth; // the option is missing or inconsistent: the shapes decide
            } else {
                throw ctx.unsupported("output depth " + outDepth + " is not a multiple of input depth " + inDepth);
            }
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
                for (int ox = 0; ox < s.outW; ox++) {
                    for (int ic = 0; ic < s.inDepth; ic++) {
                        for (int m = 0; m < s.depthMultiplier; m++) {
                            int oc = m + ic * s.depthMultiplier;
                            int inXOrigin = ox * g.strideW() - s.pad.width();
                            int inYOrigin = oy * g.strideH() - s.pad.height();
                            int acc = 0;
                            for (int fy = 0; fy < s.fH; fy++) {
                                for (int fx = 0; fx < s.fW; fx++) {
                                    int ix = inXOrigin + g.dilationW() * fx;
                                    int iy = inYOrigin + g.dilationH() * fy;
                                    if (ix >= 0 && ix < s.inW && iy >= 0 && iy < s.inH) {
                                        int iv = in.i8(offset(s.id, b, iy, ix, ic));
                                        int fv = filter.i8(offset(s.fd, 0, fy, fx, oc));
                                        acc += fv * (iv + inputOffset);
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
    }

    private static void evalInt16(OpContext ctx, Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        ConvCommon.Requant rq = ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), s.outDepth);
        int[] act = QuantizedMath.activationRange(g.activation(), out);
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                for (int ox = 0; ox < s.outW; ox++) {
                    for (int ic = 0; ic < s.inDepth; ic++) {
                        for (int m = 0; m < s.depthMultiplier; m++) {
                            int oc = m + ic * s.depthMultiplier;
                            int inXOrigin = ox * g.strideW() - s.pad.width();
                            int inYOrigin = oy * g.strideH() - s.pad.height();
                            long acc = 0;
                            for (int fy = 0; fy < s.fH; fy++) {
                                for (int fx = 0; fx < s.fW; fx++) {
                                    int ix = inXOrigin + g.dilationW() * fx;
                                    int iy = inYOrigin + g.dilationH() * fy;
                                    if (ix >= 0 && ix < s.inW && iy >= 0 && iy < s.inH) {
                                        long iv = in.i16(offset(s.id, b, iy, ix, ic));
                                        long fv = filter.i8(offset(s.fd, 0, fy, fx, oc));
                                        acc += fv * iv;
                                    }
                                }
                            }
                            if (bias != null) acc += bias.i64(oc);
                            int scaled = QuantizedMath.multiplyByQuantizedMultiplier(acc, rq.multiplier()[oc], rq.shift()[oc]);
                            out.setI16(offset(s.od, b, oy, ox, oc), clamp(scaled, act[0], act[1]));
                        }
                    }
                }
            }
        }
    }

    /** TFLite's legacy uint8 {@code DepthwiseConvBasicKernel<kAwayFromZero>::Run}: per-tensor multiplier. */
    private static void evalUint8(OpContext ctx, Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
        if (fq.isPerChannel()) throw ctx.unsupported("uint8 DEPTHWISE_CONV_2D with per-channel weights");
        int[] mult = ConvCommon.perTensor(in.scale(), fq.scale(), out.scale());
        int[] act = QuantizedMath.activationRange(g.activation(), out);
        int inputOffset = -in.zeroPoint();
        int filterOffset = -fq.zeroPoint();
        int outputOffset = out.zeroPoint();
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                for (int ox = 0; ox < s.outW; ox++) {
                    for (int ic = 0; ic < s.inDepth; ic++) {
                        for (int m = 0; m < s.depthMultiplier; m++) {
                            int oc = m + ic * s.depthMultiplier;
                            int inXOrigin = ox * g.strideW() - s.pad.width();
                            int inYOrigin = oy * g.strideH() - s.pad.height();
                            int acc = 0;
                            for (int fy = 0; fy < s.fH; fy++) {
                                for (int fx = 0; fx < s.fW; fx++) {
                                    int ix = inXOrigin + g.dilationW() * fx;
                                    int iy = inYOrigin + g.dilationH() * fy;
                                    if (ix >= 0 && ix < s.inW && iy >= 0 && iy < s.inH) {
                                        int iv = in.u8(offset(s.id, b, iy, ix, ic));
                                        int fv = filter.u8(offset(s.fd, 0, fy, fx, oc));
                                        acc += (fv + filterOffset) * (iv + inputOffset);
                                    }
                                }
                            }
                            if (bias != null) acc += bias.i32(oc);
                            acc = QuantizedMath.multiplyByQuantizedMultiplier(acc, mult[0], mult[1]);
                            acc += outputOffset;
                            out.setU8(offset(s.od, b, oy, ox, oc), clamp(acc, act[0], act[1]));
                        }
                    }
                }
            }
        }
    }

    private static void evalFloat(Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        float[] act = QuantizedMath.activationRangeFloat(g.activation());
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                for (int ox = 0; ox < s.outW; ox++) {
                    for (int ic = 0; ic < s.inDepth; ic++) {
                        for (int m = 0; m < s.depthMultiplier; m++) {
                            int oc = m + ic * s.depthMultiplier;
                            int inXOrigin = ox * g.strideW() - s.pad.width();
                            int inYOrigin = oy * g.strideH() - s.pad.height();
                            float total = 0f;
                            for (int fy = 0; fy < s.fH; fy++) {
                                for (int fx = 0; fx < s.fW; fx++) {
                                    int ix = inXOrigin + g.dilationW() * fx;
                                    int iy = inYOrigin + g.dilationH() * fy;
                                    if (ix >= 0 && ix < s.inW && iy >= 0 && iy < s.inH) {
                                        total += in.f32(offset(s.id, b, iy, ix, ic)) * filter.f32(offset(s.fd, 0, fy, fx, oc));
                                    }
                                }
                            }
                            float biasValue = bias != null ? bias.f32(oc) : 0.0f;
                            out.setF32(offset(s.od, b, oy, ox, oc), clamp(total + biasValue, act[0], act[1]));
                        }
                    }
                }
            }
        }
    }

    /**
     * TFLite's hybrid depthwise path ({@code EvalHybridPerChannel}): each batch image quantised asymmetrically,
     * {@code reference_integer_ops::DepthwiseConvHybridPerChannel}; a per-tensor filter scale is broadcast.
     */
    private static void evalHybrid(OpContext ctx, Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
        float[] act = QuantizedMath.activationRangeFloat(g.activation());
        View q = ctx.scratch(0);
        int imageSize = s.inH * s.inW * s.inDepth;
        float[] scale = new float[s.batches];
        int[] zp = new int[s.batches];
        for (int b = 0; b < s.batches; b++) {
            ConvCommon.RowQuant r = ConvCommon.asymmetricQuantize(in, b * imageSize, imageSize, q, b * imageSize);
            scale[b] = r.scale();
            zp[b] = r.offset();
        }
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                for (int ox = 0; ox < s.outW; ox++) {
                    for (int ic = 0; ic < s.inDepth; ic++) {
                        for (int m = 0; m < s.depthMultiplier; m++) {
                            int oc = m + ic * s.depthMultiplier;
                            int inXOrigin = ox * g.strideW() - s.pad.width();
                            int inYOrigin = oy * g.strideH() - s.pad.height();
                            int acc = 0;
                            for (int fy = 0; fy < s.fH; fy++) {
                                for (int fx = 0; fx < s.fW; fx++) {
                                    int ix = inXOrigin + g.dilationW() * fx;
                                    int iy = inYOrigin + g.dilationH() * fy;
                                    if (ix >= 0 && ix < s.inW && iy >= 0 && iy < s.inH) {
                                        int iv = q.i8(offset(s.id, b, iy, ix, ic));
                                        int fv = filter.i8(offset(s.fd, 0, fy, fx, oc));
                                        acc += fv * (iv - zp[b]);
                                    }
                                }
                            }
                            float accFloat = (float) acc;
                            accFloat *= ConvCommon.channelScale(fq, oc) * scale[b];
                            if (bias != null) accFloat += bias.f32(oc);
                            out.setF32(offset(s.od, b, oy, ox, oc), clamp(accFloat, act[0], act[1]));
                        }
                    }
                }
            }
        }
    }
}
