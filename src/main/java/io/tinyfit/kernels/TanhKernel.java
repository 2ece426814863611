package io.tinyfit.kernels;

import io.tinyfit.model.DType;

/**
 * TANH, as TFLM's {@code tanh.cc}: float32 with glibc's {@code tanhf}; int8 {@code reference_integer_ops::Tanh}
 * (gemmlowp's fixed-point tanh on a Q4.27 input, output scale 1/128, zero point 0); int16 the LUT interpolation
 * on {@code tanh(x) = 2*sigmoid(2x) - 1}, with the power-of-two input scales 2^-12 and 2^-11 or a general scale.
 */
final class TanhKernel implements Kernel {
    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0), out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("TANH from " + t + " to " + out.dtype());
        int n = in.elements();
        switch (t) {
            case FLOAT32 -> {
                for (int i = 0; i < n; i++) out.setF32(i, Libm.tanhf(in.f32(i)));
            }
            case INT8 -> {
                LogisticKernel.Q4Input q = LogisticKernel.Q4Input.prepare(in.scale());
                int zp = in.zeroPoint();
                for (int i = 0; i < n; i++) {
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
                    out.setI8(i, r);
                }
            }
            case INT16 -> {
                int[] p = LogisticKernel.prepareInt16(ctx, in, out, true);
                evalInt16Lut(in, out, n, p[0], p[1]);
            }
            default -> throw ctx.unsupported("TANH on " + t);
        }
    }

    private static void evalInt16Lut(View in, View out, int n, int inputMultiplier, int inputLeftShift) {
        if (inputMultiplier == 0) { // power of two: the 3 of the [-8, 8] -> [-10.7, 10.7] expansion
            inputMultiplier = 3 << inputLeftShift;
            inputLeftShift = 0;
        }
        int round = inputLeftShift > 0 ? 1 << (inputLeftShift - 1) : 0;
        final int[] table = LogisticKernel.SIGMOID_TABLE_UINT16;
        for (int i = 0; i < n; i++) {
            int inputData = (in.i16(i) * inputMultiplier + round) >> inputLeftShift;
            int absInput = Math.abs(inputData); // as uint32; |int16 * multiplier| stays below 2^31
            int uh = absInput >>> 8;
            int result;
            if (uh >= 255) {
                result = 0xFFFF << 8;
            } else {
                int ua = table[uh];
                int ub = table[uh + 1];
                int ut = absInput & 0xFF;
                result = (ua << 8) + ut * (ub - ua);
            }
            result = inputData >= 0
                    ? (result - (1 << (14 + 9)) + (1 << (9 - 2)))
                    : (-result + (1 << (14 + 9)) + (1 << (9 - 2)) - 1);
            result >>= (9 - 1);
            out.setI16(i, result);
        }
    }
}
