package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Options;

/**
 * RESIZE_NEAREST_NEIGHBOR, bit-exact with TFLM's {@code resize_nearest_neighbor.cc} and
 * {@code reference_ops::ResizeNearestNeighbor}: for each batch, output row and column, the source pixel's
 * channels are copied whole (a memcpy of depth elements); float32, int8 and int16 as TFLM.
 */
final class ResizeNearestNeighborKernel implements Kernel {
    @Override
    public void prepare(Preparation p) { ResizeBilinearKernel.prepareResize(p, DType.FLOAT32, DType.INT8, DType.INT16); }


    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View size = ctx.input(1);
        View out = ctx.output(0);
        DType t = in.dtype();
        if (t != DType.FLOAT32 && t != DType.INT8 && t != DType.INT16) throw ctx.unsupported("dtype " + t);
        if (out.dtype() != t) throw ctx.unsupported("input " + t + " with output " + out.dtype());
        if (size.dtype() != DType.INT32 || size.elements() != 2) throw ctx.unsupported("size operand must be int32[2]");
        Options o = ctx.op().options();
        boolean alignCorners = o.getBool("alignCorners");
        boolean halfPixelCenters = o.getBool("halfPixelCenters");

        int batches = in.dim4(0), inH = in.dim4(1), inW = in.dim4(2), depth = in.dim4(3);
        int outH = size.i32(0), outW = size.i32(1);
        int elementBytes = t.bytes();
        int colOffset = depth;
        int rowOffset = inW * colOffset;
        int batchOffset = inH * rowOffset;
        int copyBytes = depth * elementBytes;

        int[] inX = new int[outW];
        for (int x = 0; x < outW; x++) inX[x] = nearest(x, inW, outW, alignCorners, halfPixelCenters);
        int outPtr = 0;
        int inPtr = 0;
        for (int b = 0; b < batches; b++) {
            for (int y = 0; y < outH; y++) {
                int inY = nearest(y, inH, outH, alignCorners, halfPixelCenters);
                int yPtr = inPtr + inY * rowOffset;
                for (int x = 0; x < outW; x++) {
                    out.copyBytes(outPtr * elementBytes, in, (yPtr + inX[x] * colOffset) * elementBytes, copyBytes);
                    outPtr += depth;
                }
            }
            inPtr += batchOffset;
        }
    }

    /** {@code GetNearestNeighbor}: float scale, std::round with align_corners, floor otherwise. */
    static int nearest(int inputValue, int inputSize, int outputSize, boolean alignCorners, boolean halfPixelCenters) {
        float scale = (alignCorners && outputSize > 1)
                ? (inputSize - 1) / (float) (outputSize - 1)
                : inputSize / (float) outputSize;
        float offset = halfPixelCenters ? 0.5f : 0.0f;
        float scaled = (inputValue + offset) * scale;
        int value = Math.min(alignCorners ? (int) QuantizedMath.round(scaled) : (int) (float) Math.floor(scaled), inputSize - 1);
        if (halfPixelCenters) value = Math.max(0, value);
        return value;
    }
}
