package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * MUL, as TFLM's {@code mul_common.cc}: float32 and int32 ({@code reference_ops::Mul}/{@code BroadcastMul4DSlow},
 * clamped to the fused activation's range; int32 products wrap), int8 and int16
 * ({@code reference_integer_ops::MulElementwise}/{@code BroadcastMul4DSlow}: one {@code QuantizeMultiplier} of
 * s1*s2/so in double), plus uint8 as TFLite's reference {@code MulElementwise}, which computes like int8.
 */
final class MulKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        DType t = ElementOrder.prepareSameTypes(p, DType.FLOAT32, DType.INT32, DType.INT8, DType.UINT8, DType.INT16);
        if (t == DType.FLOAT32 || t == DType.INT32) return;
        Tensor in1 = p.input(0), in2 = p.input(1), out = p.output(0);
        if (t == DType.INT16) ElementOrder.prepareSymmetric(p);
        p.multiplier((double) p.quantized(in1, "input 1").scale() * (double) p.quantized(in2, "input 2").scale()
                / (double) p.quantized(out, "output").scale(), "output");
    }

    @Override
    public void eval(OpContext ctx) {
        View in1 = ctx.input(0), in2 = ctx.input(1), out = ctx.output(0);
        DType t = out.dtype();
        if (in1.dtype() != t || in2.dtype() != t) {
            throw ctx.unsupported("MUL of " + in1.dtype() + " and " + in2.dtype() + " into " + t);
        }
        ElementOrder loop = ElementOrder.binary(in1, in2, out, ctx.outputRegion());
        int act = ElementwiseKernels.activation(ctx);
        switch (t) {
            case FLOAT32 -> {
                float[] r = QuantizedMath.activationRangeFloat(act);
                float lo = r[0], hi = r[1];
                loop.forEach((i1, i2, o) -> out.setF32(o, QuantizedMath.clamp(in1.f32(i1) * in2.f32(i2), lo, hi)));
            }
            case INT32 -> {
                int[] r = ElementwiseKernels.int32ActivationRange(act);
                int lo = r[0], hi = r[1];
                loop.forEach((i1, i2, o) -> out.setI32(o, QuantizedMath.clamp(in1.i32(i1) * in2.i32(i2), lo, hi)));
            }
            case INT8, UINT8, INT16 -> {
                if (t == DType.INT16 && (in1.zeroPoint() != 0 || in2.zeroPoint() != 0 || out.zeroPoint() != 0)) {
                    throw ctx.unsupported("int16 MUL needs zero points 0");
                }
                int[] m = KernelParameters.mul(in1.scale(), in2.scale(), out.scale());
                final int mul = m[0], shift = m[1];
                final int off1 = -in1.zeroPoint(), off2 = -in2.zeroPoint(), offOut = out.zeroPoint();
                int[] range = QuantizedMath.activationRange(act, out);
                final int lo = range[0], hi = range[1];
                loop.forEach((i1, i2, o) -> {
                    int a = off1 + ElementwiseKernels.readInt(in1, t, i1);
                    int b = off2 + ElementwiseKernels.readInt(in2, t, i2);
                    int raw = offOut + QuantizedMath.multiplyByQuantizedMultiplier(a * b, mul, shift);
                    ElementwiseKernels.writeInt(out, t, o, Math.min(hi, Math.max(lo, raw)));
                });
            }
            default -> throw ctx.unsupported("MUL on " + t);
        }
    }
}
