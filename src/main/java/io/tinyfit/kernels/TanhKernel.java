package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * TANH, as TFLM's {@code tanh.cc}: float32 with glibc's {@code tanhf}; int8 {@code reference_integer_ops::Tanh}
 * (gemmlowp's fixed-point tanh on a Q4.27 input, output scale 1/128, zero point 0); int16 the LUT interpolation
 * on {@code tanh(x) = 2*sigmoid(2x) - 1}, with the power-of-two input scales 2^-12 and 2^-11 or a general scale.
 */
final class TanhKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        DType t = ElementwiseKernels.prepareUnary(p, DType.FLOAT32, DType.INT8, DType.INT16);
        if (t == DType.FLOAT32) return;
        Tensor in = p.input(0), out = p.output(0);
        p.quantized(in, "input");
        p.quantized(out, "output");
        if (t == DType.INT16) LogisticKernel.prepareInt16(p, in, out, true);
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0), out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("TANH from " + t + " to " + out.dtype());
        ElementOrder loop = ElementOrder.unary(in, out, ctx.outputRegion());
        switch (t) {
            case FLOAT32 -> {
                loop.forEach((i, unused, o) -> out.setF32(o, Libm.tanhf(in.f32(i))));
            }
            case INT8 -> {
                LogisticKernel.Q4Input q = LogisticKernel.Q4Input.prepare(in.scale());
                int zp = in.zeroPoint();
                loop.forEach((i, unused, o) -> {
                    int x = in.i8(i) - zp;
                    int r;
                    if (x <= -q.radius()) {
                        r = -128;
                    } else if (x >= q.radius()) {
                        r = 127;
                    } else {
                        int inQ4 = QuantizedMath.multiplyByQuantizedMultiplier(x, q.multiplier(), q.shift());
                        int outQ0 = QuantizedMath.fixedPointTanh(inQ4, 4);
                        r = Math.min(Math.max(QuantizedMath.roundingDivideByPOT(outQ0, 31 - 7), -128), 127);
                    }
                    out.setI8(o, r);
                });
            }
            case INT16 -> {
                int[] p = LogisticKernel.prepareInt16(ctx, in.tensor(), out.tensor(), true);
                evalInt16Lut(in, out, loop, p[0], p[1]);
            }
            default -> throw ctx.unsupported("TANH on " + t);
        }
    }

    /** The LUT interpolation of {@code reference_integer_ops::Tanh}, element by element in index order. */
    private static void evalInt16Lut(View in, View out, ElementOrder loop, int inputMultiplier, int inputLeftShift) {
        loop.forEach((i, unused, o) -> out.setI16(o, QuantizedMath.tanhInt16(in.i16(i), inputMultiplier, inputLeftShift)));
    }
}
