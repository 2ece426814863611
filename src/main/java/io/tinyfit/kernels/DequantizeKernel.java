package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Tensor;

/**
 * DEQUANTIZE, as TFLM's {@code dequantize.cc} ({@code reference_ops::Dequantize}): int8, int16 and uint8 to
 * float32 as {@code scale * (float)(q - zero_point)}, one single-precision product per element.
 */
final class DequantizeKernel extends ElementwiseKernel {
    @Override
    public void prepare(Preparation p) {
        p.oneToOne();
        Tensor in = p.input(0), out = p.output(0);
        p.dtype(in, "input", DType.INT8, DType.INT16, DType.UINT8);
        p.dtype(out, "output", DType.FLOAT32);
        if (p.quantized(in, "input").isPerChannel()) throw p.unsupported("DEQUANTIZE of a per-channel quantized input");
    }

    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0), out = ctx.output(0);
        DType it = in.dtype();
        if (out.dtype() != DType.FLOAT32 || (it != DType.INT8 && it != DType.INT16 && it != DType.UINT8)) {
            throw ctx.unsupported("DEQUANTIZE from " + it + " to " + out.dtype());
        }
        if (in.quant().isPerChannel()) throw ctx.unsupported("DEQUANTIZE of a per-channel quantized input");
        float scale = in.scale();
        int zp = in.zeroPoint();
        ElementOrder loop = ElementOrder.unary(in, out, ctx.outputRegion());
        loop.forEach((i, unused, o) -> {
            out.setF32(o, scale * (float) (ElementwiseKernels.readInt(in, it, i) - zp));
        });
    }
}
