package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * AVERAGE_POOL_2D, bit-exact with TFLM's {@code pooling_common.cc}: {@code reference_ops::AveragePool} for
 * float32, {@code reference_integer_ops::AveragePool} for int8/int16, and TFLite's legacy uint8
 * {@code reference_ops::AveragePool}. Loop order batch, out_y, out_x, channel, then the clipped window
 * ({@link Pool2D}).
 */
final class AveragePool2DKernel extends Pool2D {
    @Override Element element(OpContext ctx, View in, View out, int activation) {
        DType t = in.dtype();
        return switch (t) {
            case FLOAT32 -> {
                float[] range = QuantizedMath.activationRangeFloat(activation);
                yield new Element() {
                    @Override void apply(View in, int b, int c, int y0, int y1, int x0, int x1, View out, int o) {
                        float total = 0f;
                        float count = 0f; // the reference counts in float
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                total += in.f32(in.at(b, iy, ix, c));
                                count++;
                            }
                        }
                        if (count == 0f) throw ctx.unsupported("empty pooling window");
                        out.setF32(o, QuantizedMath.clamp(total / count, range[0], range[1]));
                    }
                };
            }
            case INT8, INT16, UINT8 -> {
                int[] range = QuantizedMath.activationRange(activation, t, out.scale(), out.zeroPoint());
                boolean unsigned = t == DType.UINT8;
                yield new Element() {
                    @Override void apply(View in, int b, int c, int y0, int y1, int x0, int x1, View out, int o) {
                        int acc = 0;
                        int count = 0;
                        for (int iy = y0; iy < y1; iy++) {
                            for (int ix = x0; ix < x1; ix++) {
                                acc += in.asInt(in.at(b, iy, ix, c));
                                count++;
                            }
                        }
                        if (count == 0) throw ctx.unsupported("empty pooling window");
                        // Round half away from zero with truncating division; uint8 sums are never negative.
                        if (unsigned || acc > 0) acc = (acc + count / 2) / count;
                        else acc = (acc - count / 2) / count;
                        acc = Math.min(Math.max(acc, range[0]), range[1]);
                        if (t == DType.INT16) out.setI16(o, acc);
                        else out.setI8(o, acc);
                    }
                };
            }
            default -> throw ctx.unsupported("dtype " + t);
        };
    }
}
