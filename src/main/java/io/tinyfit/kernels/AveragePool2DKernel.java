package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Options;
import io.tinyfit.model.Tensor;

/**
 * AVERAGE_POOL_2D, bit-exact with TFLM's {@code pooling_common.cc}: {@code reference_ops::AveragePool} for
 * float32, {@code reference_integer_ops::AveragePool} for int8/int16, and TFLite's legacy uint8
 * {@code reference_ops::AveragePool}. Loop order batch, out_y, out_x, channel, then the clipped window.
 */
final class AveragePool2DKernel implements Kernel {
    @Override
    public void prepare(Preparation p) { PoolGeometry.prepare(p, DType.FLOAT32, DType.INT8, DType.INT16, DType.UINT8); }

    /** Window geometry shared by the pooling kernels ({@code CalculateOpDataPooling}). */
    record PoolGeometry(int batches, int inH, int inW, int depth, int outH, int outW,
                        int strideH, int strideW, int filterH, int filterW, int padH, int padW, int activation) {

        static PoolGeometry of(OpContext ctx) {
            View in = ctx.input(0);
            View out = ctx.output(0);
            Options o = ctx.op().options();
            int strideH = o.getInt("strideH"), strideW = o.getInt("strideW");
            int filterH = o.getInt("filterHeight"), filterW = o.getInt("filterWidth");
            int padding = o.getInt("padding");
            if (padding != 0 && padding != 1) throw ctx.unsupported("padding " + padding);
            boolean same = padding == 0;
            int inH = in.dim4(1), inW = in.dim4(2);
            // ComputePaddingHeightWidth with dilation 1: padding from the computed output size.
            int padH = padding(same, strideH, inH, filterH);
            int padW = padding(same, strideW, inW, filterW);
            return new PoolGeometry(in.dim4(0), inH, inW, in.dim4(3), out.dim4(1), out.dim4(2),
                    strideH, strideW, filterH, filterW, padH, padW, o.getInt("fusedActivationFunction"));
        }

        /**
         * pooling_common.cc's Prepare: one 4-D input and output of one dtype, Pool2DOptions present (TFLM would
         * pool with zero strides and windows without them), strides and window at least 1, a known padding, and
         * the output shaped as the window slides (batch and channels kept).
         */
        static void prepare(Preparation p, DType... types) {
            p.inputs(1, 1);
            p.outputs(1, 1);
            p.images(types);
            Tensor in = p.input(0), out = p.output(0);
            p.require(!p.options().isNone(), "has no Pool2DOptions");
            int padding = p.options().getInt("padding");
            if (padding != ConvCommon.PADDING_SAME && padding != ConvCommon.PADDING_VALID) throw p.invalid("padding " + padding + " is neither SAME (0) nor VALID (1)");
            ConvCommon.Geometry g = new ConvCommon.Geometry(padding, p.atLeastOne("strideH", 0), p.atLeastOne("strideW", 0), 1, 1,
                    p.options().getInt("fusedActivationFunction"));
            int[] id = in.shape().toArray(), od = out.shape().toArray();
            p.require(od[0] == id[0] && od[3] == id[3], "output " + out.shape() + " does not keep the batch and channels of input " + in.shape());
            ConvCommon.prepareOutputSize(p, g, id[1], id[2], p.atLeastOne("filterHeight", 0), p.atLeastOne("filterWidth", 0), od[1], od[2]);
            if (in.dtype() != DType.FLOAT32) {
                p.quantized(in, "input");
                p.quantized(out, "output");
            }
        }

        private static int padding(boolean same, int stride, int inSize, int filter) {
            int outSize = same ? (inSize + stride - 1) / stride : (inSize + stride - filter) / stride;
            int total = (outSize - 1) * stride + filter - inSize;
            return total > 0 ? total / 2 : 0;
        }
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        PoolGeometry g = PoolGeometry.of(ctx);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("input " + t + " with output " + out.dtype());
        switch (t) {
            case FLOAT32 -> evalFloat(ctx, g, in, out);
            case INT8, INT16, UINT8 -> evalQuantized(ctx, g, in, out, t);
            default -> throw ctx.unsupported("dtype " + t);
        }
    }

    private static void evalFloat(OpContext ctx, PoolGeometry g, View in, View out) {
        float[] range = QuantizedMath.activationRangeFloat(g.activation());
        for (int b = 0; b < g.batches(); b++) {
            for (int outY = 0; outY < g.outH(); outY++) {
                for (int outX = 0; outX < g.outW(); outX++) {
                    for (int c = 0; c < g.depth(); c++) {
                        int inXOrigin = outX * g.strideW() - g.padW();
                        int inYOrigin = outY * g.strideH() - g.padH();
                        int fxStart = Math.max(0, -inXOrigin);
                        int fxEnd = Math.min(g.filterW(), g.inW() - inXOrigin);
                        int fyStart = Math.max(0, -inYOrigin);
                        int fyEnd = Math.min(g.filterH(), g.inH() - inYOrigin);
                        float total = 0f;
                        float count = 0f; // the reference counts in float
                        for (int fy = fyStart; fy < fyEnd; fy++) {
                            int row = (b * g.inH() + inYOrigin + fy) * g.inW();
                            for (int fx = fxStart; fx < fxEnd; fx++) {
                                total += in.f32((row + inXOrigin + fx) * g.depth() + c);
                                count++;
                            }
                        }
                        if (count == 0f) throw ctx.unsupported("empty pooling window");
                        float average = total / count;
                        out.setF32(((b * g.outH() + outY) * g.outW() + outX) * g.depth() + c,
                                QuantizedMath.clamp(average, range[0], range[1]));
                    }
                }
            }
        }
    }

    private static void evalQuantized(OpContext ctx, PoolGeometry g, View in, View out, DType t) {
        int[] range = QuantizedMath.activationRange(g.activation(), t, out.scale(), out.zeroPoint());
        boolean unsigned = t == DType.UINT8;
        for (int b = 0; b < g.batches(); b++) {
            for (int outY = 0; outY < g.outH(); outY++) {
                for (int outX = 0; outX < g.outW(); outX++) {
                    for (int c = 0; c < g.depth(); c++) {
                        int inXOrigin = outX * g.strideW() - g.padW();
                        int inYOrigin = outY * g.strideH() - g.padH();
                        int fxStart = Math.max(0, -inXOrigin);
                        int fxEnd = Math.min(g.filterW(), g.inW() - inXOrigin);
                        int fyStart = Math.max(0, -inYOrigin);
                        int fyEnd = Math.min(g.filterH(), g.inH() - inYOrigin);
                        int acc = 0;
                        int count = 0;
                        for (int fy = fyStart; fy < fyEnd; fy++) {
                            int row = (b * g.inH() + inYOrigin + fy) * g.inW();
                            for (int fx = fxStart; fx < fxEnd; fx++) {
                                acc += in.asInt((row + inXOrigin + fx) * g.depth() + c);
                                count++;
                            }
                        }
                        if (count == 0) throw ctx.unsupported("empty pooling window");
                        // Round half away from zero with truncating division; uint8 sums are never negative.
                        if (unsigned || acc > 0) acc = (acc + count / 2) / count;
                        else acc = (acc - count / 2) / count;
                        acc = Math.min(Math.max(acc, range[0]), range[1]);
                        int o = ((b * g.outH() + outY) * g.outW() + outX) * g.depth() + c;
                        if (t == DType.INT16) out.setI16(o, acc);
                        else out.setI8(o, acc);
                    }
                }
            }
        }
    }

}
