package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * QUANTIZE, as TFLM's {@code quantize_common.cc}: float32 to int8/int16 (and uint8, as TFLite's reference
 * {@code AffineQuantize} does it) by {@code round(x / scale) + zero_point}, clamped; and the integer
 * requantisations TFLM lists (int8 to int8/uint8/int16/int32, uint8 to int8, int16 to int8/int16/int32, int32 to
 * int8/int16) through {@code reference_ops::Requantize} with {@code QuantizeMultiplier(s_in/s_out)}, including
 * its int8&lt;-&gt;uint8 same-scale fast path that flips the top bit.
 */
final class QuantizeKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        p.oneToOne();
        Tensor in = p.input(0), out = p.output(0);
        if (p.quantized(out, "output").isPerChannel()) throw p.unsupported("QUANTIZE to a per-channel quantized output");
        if (in.dtype() == DType.FLOAT32) {
            p.dtype(out, "output", DType.INT8, DType.INT16, DType.UINT8);
            return;
        }
        if (!requantizeSupported(in.dtype(), out.dtype())) throw p.unsupported("QUANTIZE from " + in.dtype() + " to " + out.dtype());
        p.multiplier((double) p.quantized(in, "input").scale() / (double) out.quant().scale(), "requantisation");
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0), out = ctx.output(0);
        DType it = in.dtype(), ot = out.dtype();
        if (out.quant().isPerChannel()) throw ctx.unsupported("QUANTIZE to a per-channel quantized output");
        ElementOrder loop = ElementOrder.unary(in, out, ctx.outputRegion());
        if (it == DType.FLOAT32) {
            if (ot != DType.INT8 && ot != DType.INT16 && ot != DType.UINT8) throw ctx.unsupported("QUANTIZE from float32 to " + ot);
            float scale = out.scale();
            int zp = out.zeroPoint();
            int lo = QuantizedMath.qmin(ot), hi = QuantizedMath.qmax(ot);
            loop.forEach((i, unused, o) -> {
                int unclamped = ElementwiseKernels.castToInt32(QuantizedMath.round(in.f32(i) / scale)) + zp;
                ElementwiseKernels.writeInt(out, ot, o, Math.min(Math.max(unclamped, lo), hi));
            });
            return;
        }
        if (!requantizeSupported(it, ot)) throw ctx.unsupported("QUANTIZE from " + it + " to " + ot);
        int[] m = KernelParameters.requantize(in.scale(), out.scale());
        int mul = m[0], shift = m[1];
        int inZp = in.zeroPoint(), outZp = out.zeroPoint();
        boolean sameScale = mul == 1 << 30 && shift == 1;
        int zpDiff = inZp - outZp;
        if (sameScale && ((it == DType.INT8 && ot == DType.UINT8 && zpDiff == -128)
                || (it == DType.UINT8 && ot == DType.INT8 && zpDiff == 128))) {
            loop.forEach((i, unused, o) -> out.setI8(o, in.i8(i) ^ 0x80));
            return;
        }
        int lo = QuantizedMath.qmin(ot), hi = QuantizedMath.qmax(ot);
        loop.forEach((i, unused, o) -> {
            int x = ElementwiseKernels.readInt(in, it, i) - inZp;
            int r = QuantizedMath.multiplyByQuantizedMultiplier(x, mul, shift) + outZp;
            ElementwiseKernels.writeInt(out, ot, o, Math.max(Math.min(r, hi), lo));
        });
    }

    private static boolean requantizeSupported(DType in, DType out) {
        return switch (in) {
            case INT8 -> out == DType.INT8 || out == DType.UINT8 || out == DType.INT16 || out == DType.INT32;
            case UINT8 -> out == DType.INT8;
            case INT16 -> out == DType.INT8 || out == DType.INT16 || out == DType.INT32;
            case INT32 -> out == DType.INT8 || out == DType.INT16;
            default -> false;
        };
    }
}
