package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Quantization;
import io.tinyfit.model.Tensor;

import java.util.ArrayList;
import java.util.List;

import static io.tinyfit.kernels.ConvCommon.dims4;
import static io.tinyfit.kernels.ConvCommon.offset;
import static io.tinyfit.kernels.QuantizedMath.clamp;

/**
 * TRANSPOSE_CONV, bit-exact with TFLM's {@code micro/kernels/transpose_conv.cc}. Inputs: 0 the output shape
 * (ignored: TFLM has no dynamic shapes), 1 the filter {@code [out_depth, KH, KW, in_depth]}, 2 the input, 3 the
 * optional bias. The padding is {@code ComputePaddingHeightWidth} on the <em>output</em> size, dilation 1.
 *
 * <p>All variants "scatter": every input element adds its products into the output elements it influences
 * (loop nest batch, in_y, in_x, in_channel, filter_y, filter_x, out_channel), then a second pass adds the bias,
 * requantises and clamps in NHWC order. float32 ({@code reference_ops::TransposeConv}) accumulates in the output
 * tensor itself, zeroed first; int8 ({@code reference_integer_ops::TransposeConv}) in an int32 scratch buffer;
 * int16x8 in an int64 scratch buffer; TFLite's legacy uint8 path in an int32 scratch buffer.
 *
 * <p>Scratch, as TFLM's {@code Prepare} requests it ({@code RequestScratchBufferInArena}): int8 input:
 * output elements x 4 bytes; int16 input: output elements x 8 bytes, then, when the bias is int16, bias elements x 8
 * bytes for the bias widened to int64 (requested later, in {@code CalculateOpData}); float32: none. uint8 (which TFLM
 * rejects) uses the int8 request; the hybrid path (also rejected) one buffer for the quantised input.
 */
final class TransposeConvKernel implements Kernel {
    static final TransposeConvKernel INSTANCE = new TransposeConvKernel();

    private TransposeConvKernel() {}

    @Override public List<Long> scratchBytes(Graph graph, Op op) {
        if (op.inputs().size() < 3 || op.input(2) < 0 || op.input(1) < 0 || op.outputs().isEmpty()) return List.of();
        Tensor in = graph.tensor(op.input(2));
        Tensor filter = graph.tensor(op.input(1));
        long outElements = graph.tensor(op.output(0)).shape().numElements();
        List<Long> sizes = new ArrayList<>();
        switch (in.dtype()) {
            case INT8, UINT8 -> sizes.add(outElements * 4);
            case INT16 -> {
                sizes.add(outElements * 8);
                if (op.hasInput(3) && graph.tensor(op.input(3)).dtype() == DType.INT16) {
                    sizes.add(graph.tensor(op.input(3)).shape().numElements() * 8);
                }
            }
            case FLOAT32 -> {
                if (filter.dtype() == DType.INT8) sizes.add(in.shape().numElements());
            }
            default -> { }
        }
        return sizes;
    }

    /**
     * transpose_conv.cc's Prepare: the output_shape operand (when constant) is the output's shape, channels and
     * batch match, strides at least 1. Every output position is bounds-checked in the loop nest, so the spatial
     * sizes need not follow one formula.
     */
    @Override public void prepare(Preparation p) {
        p.inputs(3, 4);
        p.outputs(1, 1);
        Tensor outputShape = p.input(0), filter = p.input(1), in = p.input(2), bias = p.optionalInput(3), out = p.output(0);
        p.rank(in, "input", 4, 4);
        p.rank(filter, "filter", 4, 4);
        p.rank(out, "output", 4, 4);
        ConvCommon.prepareGeometry(p, false);
        if (outputShape.isConstant()) {
            int[] want = p.constantInts(outputShape, "output_shape");
            p.require(java.util.Arrays.equals(want, out.shape().toArray()), "output shape " + out.shape() + " differs from its output_shape operand " + java.util.Arrays.toString(want));
        }
        int[] id = in.shape().toArray(), fd = filter.shape().toArray(), od = out.shape().toArray();
        p.require(fd[3] == id[3], "filter depth " + fd[3] + " differs from input depth " + id[3]);
        p.require(fd[0] == od[3], "filter has " + fd[0] + " output channels, output has " + od[3]);
        p.require(od[0] == id[0], "output batch " + od[0] + " differs from input batch " + id[0]);
        ConvCommon.prepareTypes(p, in, filter, bias, out, od[3], DType.INT64, DType.INT16);
    }

    @Override public void eval(OpContext ctx) {
        View filter = ConvCommon.requireInput(ctx, 1);
        View in = ConvCommon.requireInput(ctx, 2);
        View bias = ConvCommon.optionalInput(ctx, 3);
        View out = ctx.output(0);
        ConvCommon.Geometry g = ConvCommon.Geometry.of(ctx.op());
        Shape s = new Shape(ctx, in, filter, out, g);
        DType it = in.dtype(), ft = filter.dtype();
        if (it == DType.FLOAT32 && ft == DType.FLOAT32) {
            evalFloat(s, in, filter, bias, out, g);
        } else if (it == DType.FLOAT32 && ft == DType.INT8) {
            evalHybrid(ctx, s, in, filter, bias, out, g);
        } else if (it == DType.INT8 && ft == DType.INT8) {
            if (bias != null && bias.dtype() != DType.INT32) throw ctx.unsupported("int8 TRANSPOSE_CONV with a " + bias.dtype().label() + " bias");
            evalInt8(ctx, s, in, filter, bias, out, g);
        } else if (it == DType.INT16 && ft == DType.INT8) {
            if (bias != null && bias.dtype() != DType.INT64 && bias.dtype() != DType.INT16) {
                throw ctx.unsupported("int16 TRANSPOSE_CONV with a " + bias.dtype().label() + " bias (TFLM reads int64 or widens int16)");
            }
            evalInt16(ctx, s, in, filter, bias, out, g);
        } else if (it == DType.UINT8 && ft == DType.UINT8) {
            evalUint8(ctx, s, in, filter, bias, out, g);
        } else {
            throw ctx.unsupported("TRANSPOSE_CONV with " + it.label() + " input and " + ft.label() + " filter");
        }
    }

    private static final class Shape {
        final int[] id, fd, od;
        final int batches, inH, inW, inDepth, fH, fW, outH, outW, outDepth, outElements;
        /** Padding before the data ({@code ComputePaddingHeightWidth} over the output, as TFLM computes it). */
        final int padH, padW;

        Shape(OpContext ctx, View in, View filter, View out, ConvCommon.Geometry g) {
            if (in.rank() != 4 || filter.rank() != 4 || out.rank() != 4) throw ctx.unsupported("TRANSPOSE_CONV needs 4-D input, filter and output");
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
            outElements = out.elements();
            if (fd[3] != inDepth) throw ctx.unsupported("filter depth " + fd[3] + " differs from input depth " + inDepth);
            if (fd[0] != outDepth) throw ctx.unsupported("filter has " + fd[0] + " output channels, output has " + outDepth);
            if (od[0] != batches) throw ctx.unsupported("output batch " + od[0] + " differs from input batch " + batches);
            // Dilation is always 1 for TRANSPOSE_CONV; the "input" size of the padding computation is the output's.
            padH = Window.Axis.of(outH, inH, g.strideH(), 1, fH, g.padding()).pad();
            padW = Window.Axis.of(outW, inW, g.strideW(), 1, fW, g.padding()).pad();
        }
    }

    private static void evalFloat(Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        float[] act = QuantizedMath.activationRangeFloat(g.activation());
        for (int i = 0; i < s.outElements; i++) out.setF32(i, 0.0f);
        for (int b = 0; b < s.batches; b++) {
            for (int iy = 0; iy < s.inH; iy++) {
                for (int ix = 0; ix < s.inW; ix++) {
                    for (int ic = 0; ic < s.inDepth; ic++) {
                        int outXOrigin = ix * g.strideW() - s.padW;
                        int outYOrigin = iy * g.strideH() - s.padH;
                        for (int fy = 0; fy < s.fH; fy++) {
                            for (int fx = 0; fx < s.fW; fx++) {
                                for (int oc = 0; oc < s.outDepth; oc++) {
                                    int ox = outXOrigin + fx;
                                    int oy = outYOrigin + fy;
                                    if (ox >= 0 && ox < s.outW && oy >= 0 && oy < s.outH) {
                                        float iv = in.f32(offset(s.id, b, iy, ix, ic));
                                        float fv = filter.f32(offset(s.fd, oc, fy, fx, ic));
                                        int o = offset(s.od, b, oy, ox, oc);
                                        out.setF32(o, out.f32(o) + iv * fv);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                for (int ox = 0; ox < s.outW; ox++) {
                    for (int oc = 0; oc < s.outDepth; oc++) {
                        int o = offset(s.od, b, oy, ox, oc);
                        float acc = out.f32(o);
                        if (bias != null) acc += bias.f32(oc);
                        out.setF32(o, clamp(acc, act[0], act[1]));
                    }
                }
            }
        }
    }

    private static void evalInt8(OpContext ctx, Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        ConvCommon.Requant rq = ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), s.outDepth);
        int[] act = QuantizedMath.activationRange(g.activation(), out);
        int inputOffset = -in.zeroPoint();
        int outputOffset = out.zeroPoint();
        View scratch = ctx.scratch(0);
        for (int i = 0; i < s.outElements; i++) scratch.setI32(i, 0);
        for (int b = 0; b < s.batches; b++) {
            for (int iy = 0; iy < s.inH; iy++) {
                for (int ix = 0; ix < s.inW; ix++) {
                    for (int ic = 0; ic < s.inDepth; ic++) {
                        int outXOrigin = ix * g.strideW() - s.padW;
                        int outYOrigin = iy * g.strideH() - s.padH;
                        for (int fy = 0; fy < s.fH; fy++) {
                            for (int fx = 0; fx < s.fW; fx++) {
                                for (int oc = 0; oc < s.outDepth; oc++) {
                                    int ox = outXOrigin + fx;
                                    int oy = outYOrigin + fy;
                                    if (ox >= 0 && ox < s.outW && oy >= 0 && oy < s.outH) {
                                        int iv = in.i8(offset(s.id, b, iy, ix, ic));
                                        int fv = filter.i8(offset(s.fd, oc, fy, fx, ic));
                                        int o = offset(s.od, b, oy, ox, oc);
                                        scratch.setI32(o, scratch.i32(o) + (iv + inputOffset) * fv);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                for (int ox = 0; ox < s.outW; ox++) {
                    for (int oc = 0; oc < s.outDepth; oc++) {
                        int o = offset(s.od, b, oy, ox, oc);
                        int acc = scratch.i32(o);
                        if (bias != null) acc += bias.i32(oc);
                        acc = QuantizedMath.multiplyByQuantizedMultiplier(acc, rq.multiplier()[oc], rq.shift()[oc]);
                        acc += outputOffset;
                        out.setI8(o, clamp(acc, act[0], act[1]));
                    }
                }
            }
        }
    }

    /** int16x8: int64 accumulators in scratch 0; an int16 bias is first widened into scratch 1, as TFLM does. */
    private static void evalInt16(OpContext ctx, Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        ConvCommon.Requant rq = ConvCommon.perChannel(ctx, in.scale(), filter.tensor(), out.scale(), s.outDepth);
        int[] act = QuantizedMath.activationRange(g.activation(), out);
        View scratch = ctx.scratch(0);
        View bias64 = bias;
        if (bias != null && bias.dtype() == DType.INT16) {
            bias64 = ctx.scratch(1);
            for (int i = 0; i < bias.elements(); i++) bias64.setI64(i, bias.i16(i));
        }
        for (int i = 0; i < s.outElements; i++) scratch.setI64(i, 0L);
        for (int b = 0; b < s.batches; b++) {
            for (int iy = 0; iy < s.inH; iy++) {
                for (int ix = 0; ix < s.inW; ix++) {
                    for (int ic = 0; ic < s.inDepth; ic++) {
                        int outXOrigin = ix * g.strideW() - s.padW;
                        int outYOrigin = iy * g.strideH() - s.padH;
                        for (int fy = 0; fy < s.fH; fy++) {
                            for (int fx = 0; fx < s.fW; fx++) {
                                for (int oc = 0; oc < s.outDepth; oc++) {
                                    int ox = outXOrigin + fx;
                                    int oy = outYOrigin + fy;
                                    if (ox >= 0 && ox < s.outW && oy >= 0 && oy < s.outH) {
                                        int iv = in.i16(offset(s.id, b, iy, ix, ic));
                                        int fv = filter.i8(offset(s.fd, oc, fy, fx, ic));
                                        int o = offset(s.od, b, oy, ox, oc);
                                        scratch.setI64(o, scratch.i64(o) + iv * fv);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                for (int ox = 0; ox < s.outW; ox++) {
                    for (int oc = 0; oc < s.outDepth; oc++) {
                        int o = offset(s.od, b, oy, ox, oc);
                        long acc = scratch.i64(o);
                        if (bias64 != null) acc += bias64.i64(oc);
                        int scaled = QuantizedMath.multiplyByQuantizedMultiplier(acc, rq.multiplier()[oc], rq.shift()[oc]);
                        out.setI16(o, clamp(scaled, act[0], act[1]));
                    }
                }
            }
        }
    }

    /** TFLite's legacy uint8 {@code reference_ops::TransposeConv}: zero points on input and filter, per-tensor multiplier. */
    private static void evalUint8(OpContext ctx, Shape s, View in, View filter, View bias, View out, ConvCommon.Geometry g) {
        Quantization fq = ConvCommon.filterQuant(ctx, filter.tensor());
        if (fq.isPerChannel()) throw ctx.unsupported("uint8 TRANSPOSE_CONV with per-channel weights");
        int[] m = ConvCommon.perTensor(in.scale(), fq.scale(), out.scale());
        int[] act = QuantizedMath.activationRange(g.activation(), out);
        int inputOffset = -in.zeroPoint();
        int filterOffset = -fq.zeroPoint();
        int outputOffset = out.zeroPoint();
        View scratch = ctx.scratch(0);
        for (int i = 0; i < s.outElements; i++) scratch.setI32(i, 0);
        for (int b = 0; b < s.batches; b++) {
            for (int iy = 0; iy < s.inH; iy++) {
                for (int ix = 0; ix < s.inW; ix++) {
                    for (int ic = 0; ic < s.inDepth; ic++) {
                        int outXOrigin = ix * g.strideW() - s.padW;
                        int outYOrigin = iy * g.strideH() - s.padH;
                        for (int fy = 0; fy < s.fH; fy++) {
                            for (int fx = 0; fx < s.fW; fx++) {
                                for (int oc = 0; oc < s.outDepth; oc++) {
                                    int ox = outXOrigin + fx;
                                    int oy = outYOrigin + fy;
                                    if (ox >= 0 && ox < s.outW && oy >= 0 && oy < s.outH) {
                                        int iv = in.u8(offset(s.id, b, iy, ix, ic));
                                        int fv = filter.u8(offset(s.fd, oc, fy, fx, ic));
                                        int o = offset(s.od, b, oy, ox, oc);
                                        scratch.setI32(o, scratch.i32(o) + (iv + inputOffset) * (fv + filterOffset));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                for (int ox = 0; ox < s.outW; ox++) {
                    for (int oc = 0; oc < s.outDepth; oc++) {
                        int o = offset(s.od, b, oy, ox, oc);
                        int acc = scratch.i32(o);
                        if (bias != null) acc += bias.i32(oc);
                        acc = QuantizedMath.multiplyByQuantizedMultiplier(acc, m[0], m[1]);
                        acc += outputOffset;
                        out.setU8(o, clamp(acc, act[0], act[1]));
                    }
                }
            }
        }
    }

    /**
     * TFLite's hybrid path: each batch image quantised asymmetrically, then {@code reference_ops::HybridTransposeConv},
     * which adds {@code (input - zp) * filter * channel_scale * row_scale} into the float output directly.
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
        for (int i = 0; i < s.outElements; i++) out.setF32(i, 0.0f);
        for (int b = 0; b < s.batches; b++) {
            float scalingFactor = scale[b];
            for (int iy = 0; iy < s.inH; iy++) {
                for (int ix = 0; ix < s.inW; ix++) {
                    for (int ic = 0; ic < s.inDepth; ic++) {
                        int outXOrigin = ix * g.strideW() - s.padW;
                        int outYOrigin = iy * g.strideH() - s.padH;
                        for (int fy = 0; fy < s.fH; fy++) {
                            for (int fx = 0; fx < s.fW; fx++) {
                                for (int oc = 0; oc < s.outDepth; oc++) {
                                    int ox = outXOrigin + fx;
                                    int oy = outYOrigin + fy;
                                    if (ox >= 0 && ox < s.outW && oy >= 0 && oy < s.outH) {
                                        int iv = q.i8(offset(s.id, b, iy, ix, ic));
                                        int fv = filter.i8(offset(s.fd, oc, fy, fx, ic));
                                        int acc = (iv - zp[b]) * fv;
                                        int o = offset(s.od, b, oy, ox, oc);
                                        out.setF32(o, out.f32(o) + acc * ConvCommon.channelScale(fq, oc) * scalingFactor);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        for (int b = 0; b < s.batches; b++) {
            for (int oy = 0; oy < s.outH; oy++) {
                for (int ox = 0; ox < s.outW; ox++) {
                    for (int oc = 0; oc < s.outDepth; oc++) {
                        int o = offset(s.od, b, oy, ox, oc);
                        float acc = out.f32(o);
                        if (bias != null) acc += bias.f32(oc);
                        out.setF32(o, clamp(acc, act[0], act[1]));
                    }
                }
            }
        }
    }
}
