package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * MAX_POOL_2D, bit-exact with TFLM's {@code pooling_common.cc}: {@code reference_ops::MaxPool} for float32,
 * {@code reference_integer_ops::MaxPool} for int8/int16, and TFLite's legacy uint8 {@code reference_ops::MaxPool}.
 * Loop order batch, out_y, out_x, channel, then the clipped window.
 */
final class MaxPool2DKernel implements Kernel {
    @Override
    public void prepare(Preparation p) {
        AveragePool2DKernel.PoolGeometry.prepare(p, DType.FLOAT32, DType.INT8, DType.INT16, DType.UINT8);
    }


    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View out = ctx.output(0);
        AveragePool2DKernel.PoolGeometry g = AveragePool2DKernel.PoolGeometry.of(ctx);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("input " + t + " with output " + out.dtype());
        float[] rangeF = null;
        int[] rangeQ = null;
        int initial;
        switch (t) {
            case FLOAT32 -> { rangeF = QuantizedMath.activationRangeFloat(g.activation()); initial = 0; }
            case INT8 -> { rangeQ = QuantizedMath.activationRange(g.activation(), t, out.scale(), out.zeroPoint()); initial = -128; }
            case INT16 -> { rangeQ = QuantizedMath.activationRange(g.activation(), t, out.scale(), out.zeroPoint()); initial = -32768; }
            case UINT8 -> { rangeQ = QuantizedMath.activationRange(g.activation(), t, out.scale(), out.zeroPoint()); initial = 0; }
            default -> throw ctx.unsupported("dtype " + t);
        }
        boolean isFloat = t == DType.FLOAT32;
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
                        int o = ((b * g.outH() + outY) * g.outW() + outX) * g.depth() + c;
                        if (isFloat) {
                            float max = -Float.MAX_VALUE; // std::numeric_limits<float>::lowest()
                            for (int fy = fyStart; fy < fyEnd; fy++) {
                                int row = (b * g.inH() + inYOrigin + fy) * g.inW();
                                for (int fx = fxStart; fx < fxEnd; fx++) {
                                    float v = in.f32((row + inXOrigin + fx) * g.depth() + c);
                                    if (max < v) max = v; // std::max(max, v)
                                }
                            }
                            out.setF32(o, QuantizedMath.clamp(max, rangeF[0], rangeF[1]));
                        } else {
                            int max = initial;
                            for (int fy = fyStart; fy < fyEnd; fy++) {
                                int row = (b * g.inH() + inYOrigin + fy) * g.inW();
                                for (int fx = fxStart; fx < fxEnd; fx++) {
                                    max = Math.max(max, in.asInt((row + inXOrigin + fx) * g.depth() + c));
                                }
                            }
                            max = Math.min(Math.max(max, rangeQ[0]), rangeQ[1]);
                            if (t == DType.INT16) out.setI16(o, max);
                            else out.setI8(o, max);
                        }
                    }
                }
            }
        }
    }
}
