package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * MAX_POOL_2D, bit-exact with TFLM's {@code pooling_common.cc}: {@code reference_ops::MaxPool} for float32,
 * {@code reference_integer_ops::MaxPool} for int8/int16, and TFLite's legacy uint8 {@code reference_ops::MaxPool}.
 * Loop order batch, out_y, out_x, channel, then the clipped window ({@link Pool2D}).
 */
final class MaxPool2DKernel extends Pool2D {
    @Override Element element(OpContext ctx, View in, View out, int activation) {
        DType t = in.dtype();
        if (t == DType.FLOAT32) {
            float[] range = QuantizedMath.activationRangeFloat(activation);
            return new Element() {
                @Override void apply(View in, int b, int c, int y0, int y1, int x0, int x1, View out, int o) {
                    float max = -Float.MAX_VALUE; // std::numeric_limits<float>::lowest()
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            float v = in.f32(in.at(b, iy, ix, c));
                            if (max < v) max = v; // std::max(max, v)
                        }
                    }
                    out.setF32(o, QuantizedMath.clamp(max, range[0], range[1]));
                }
            };
        }
        int initial = switch (t) {
            case INT8 -> -128;
            case INT16 -> -32768;
            case UINT8 -> 0;
            default -> throw ctx.unsupported("dtype " + t);
        };
        int[] range = QuantizedMath.activationRange(activation, t, out.scale(), out.zeroPoint());
        return new Element() {
            @Override void apply(View in, int b, int c, int y0, int y1, int x0, int x1, View out, int o) {
                int max = initial;
                for (int iy = y0; iy < y1; iy++) {
                    for (int ix = x0; ix < x1; ix++) max = Math.max(max, in.asInt(in.at(b, iy, ix, c)));
                }
                max = Math.min(Math.max(max, range[0]), range[1]);
                if (t == DType.INT16) out.setI16(o, max);
                else out.setI8(o, max);
            }
        };
    }
}
