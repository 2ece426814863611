package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Options;
import io.tinyfit.model.Tensor;

/**
 * RESIZE_BILINEAR, bit-exact with TFLM's {@code resize_bilinear.cc}: float32 through
 * {@code reference_ops::ResizeBilinear} (single-precision weights), int8 through
 * {@code reference_ops::ResizeBilinearInteger} (10-bit fixed-point coordinates, 20-bit products, double-rounding
 * build: round half away from zero by division). Loop order batch, y, x, channel.
 *
 * <p>uint8, which TFLM does not support, follows TFLite's reference kernel ({@code lite/kernels/resize_bilinear.cc}
 * dispatches uint8 to the {@code reference_ops::ResizeBilinear<uint8_t>} template): the float computation of the
 * float32 path on the byte values, converted back by truncation ({@code static_cast<uint8_t>}).
 */
final class ResizeBilinearKernel implements Kernel {
    @Override
    public void prepare(Preparation p) {
        prepareResize(p, DType.FLOAT32, DType.INT8, DType.UINT8);
        if (p.options().getBool("alignCorners") && p.options().getBool("halfPixelCenters")) {
            throw p.unsupported("half_pixel_centers together with align_corners");
        }
    }

    /**
     * resize_*.cc's Prepare: 4-D input and output of one dtype, a constant int32[2] size that is the output's
     * height and width, batch and channels kept, and a non-empty input to sample from.
     */
    static void prepareResize(Preparation p, DType... types) {
        p.inputs(2, 2);
        p.outputs(1, 1);
        p.images(types);
        Tensor in = p.input(0), out = p.output(0);
        p.dtype(p.input(1), "size", DType.INT32);
        int[] size = p.constantInts(p.input(1), "size");
        int[] id = in.shape().toArray(), od = out.shape().toArray();
        p.require(size.length == 2 && size[0] == od[1] && size[1] == od[2], "the size operand " + java.util.Arrays.toString(size) + " is not the output's height and width " + out.shape());
        p.require(od[0] == id[0] && od[3] == id[3], "output " + out.shape() + " does not keep the batch and channels of input " + in.shape());
        p.require(out.shape().numElements() == 0 || (id[1] > 0 && id[2] > 0), "input " + in.shape() + " has no pixel to sample");
    }


    @Override
    public void eval(OpContext ctx) {
        View in = ctx.input(0);
        View size = ctx.input(1);
        View out = ctx.output(0);
        DType t = in.dtype();
        if (out.dtype() != t) throw ctx.unsupported("input " + t + " with output " + out.dtype());
        if (size.dtype() != DType.INT32 || size.elements() != 2) throw ctx.unsupported("size operand must be int32[2]");
        Options o = ctx.op().options();
        boolean alignCorners = o.getBool("alignCorners");
        boolean halfPixelCenters = o.getBool("halfPixelCenters");
        if (alignCorners && halfPixelCenters) throw ctx.unsupported("half_pixel_centers together with align_corners");
        switch (t) {
            case FLOAT32 -> resizeFloat(in, size, out, alignCorners, halfPixelCenters, FLOAT_LANE);
            case UINT8 -> resizeFloat(in, size, out, alignCorners, halfPixelCenters, UINT8_LANE);
            case INT8 -> resizeInteger(in, size, out, alignCorners, halfPixelCenters);
            default -> throw ctx.unsupported("dtype " + t);
        }
    }

    /** How the float computation reads and writes one element of a dtype. */
    private interface Lane {
        float read(View v, int i);

        void write(View v, int i, float x);
    }

    private static final Lane FLOAT_LANE = new Lane() {
        @Override public float read(View v, int i) { return v.f32(i); }

        // + 0.0f as the float32 path has always done it (bit-exact with TFLM on the opsuite); it only maps -0.0 to +0.0
        @Override public void write(View v, int i, float x) { v.setF32(i, x + 0.0f); }
    };

    private static final Lane UINT8_LANE = new Lane() {
        @Override public float read(View v, int i) { return v.u8(i); }

        // static_cast<uint8_t>(float): truncation toward zero (the weighted mean of bytes is within [0, 255])
        @Override public void write(View v, int i, float x) { v.setU8(i, (int) x); }
    };

    private static void resizeFloat(View in, View size, View out, boolean alignCorners, boolean halfPixelCenters, Lane lane) {
        int batches = in.dim4(0), inH = in.dim4(1), inW = in.dim4(2), depth = in.dim4(3);
        int outH = size.i32(0), outW = size.i32(1);
        float heightScale = (float) inH / outH;
        float widthScale = (float) inW / outW;
        if (alignCorners && outH > 1) heightScale = (float) (inH - 1) / (outH - 1);
        if (alignCorners && outW > 1) widthScale = (float) (inW - 1) / (outW - 1);

        for (int b = 0; b < batches; b++) {
            for (int y = 0; y < outH; y++) {
                float inputY = scaled(y, heightScale, halfPixelCenters);
                int y0 = Math.max((int) (float) Math.floor(inputY), 0);
                int y1 = Math.min((int) (float) Math.ceil(inputY), inH - 1);
                for (int x = 0; x < outW; x++) {
                    float inputX = scaled(x, widthScale, halfPixelCenters);
                    int x0 = Math.max((int) (float) Math.floor(inputX), 0);
                    int x1 = Math.min((int) (float) Math.ceil(inputX), inW - 1);
                    float dy = inputY - y0, dx = inputX - x0;
                    for (int c = 0; c < depth; c++) {
                        float v = lane.read(in, ((b * inH + y0) * inW + x0) * depth + c) * (1 - dy) * (1 - dx)
                                + lane.read(in, ((b * inH + y1) * inW + x0) * depth + c) * dy * (1 - dx)
                                + lane.read(in, ((b * inH + y0) * inW + x1) * depth + c) * (1 - dy) * dx
                                + lane.read(in, ((b * inH + y1) * inW + x1) * depth + c) * dy * dx;
                        lane.write(out, ((b * outH + y) * outW + x) * depth + c, v);
                    }
                }
            }
        }
    }

    /** {@code ComputeInterpolationValues}' scaled coordinate, in float. */
    private static float scaled(int value, float scale, boolean halfPixelCenters) {
        return halfPixelCenters ? ((float) value + 0.5f) * scale - 0.5f : (float) value * scale;
    }

    private static void resizeInteger(View in, View size, View out, boolean alignCorners, boolean halfPixelCenters) {
        int batches = in.dim4(0), inH = in.dim4(1), inW = in.dim4(2), depth = in.dim4(3);
        int outH = size.i32(0), outW = size.i32(1);
        int heightScale10 = ((1 << 10) * inH + outH / 2) / outH;
        int widthScale10 = ((1 << 10) * inW + outW / 2) / outW;
        if (alignCorners && outH > 1) heightScale10 = ((1 << 10) * (inH - 1) + (outH - 1) / 2) / (outH - 1);
        if (alignCorners && outW > 1) widthScale10 = ((1 << 10) * (inW - 1) + (outW - 1) / 2) / (outW - 1);

        for (int b = 0; b < batches; b++) {
            for (int y = 0; y < outH; y++) {
                int inputY = halfPixelCenters ? y * heightScale10 + heightScale10 / 2 - (1 << 9) : y * heightScale10;
                int y0 = Math.max(inputY / (1 << 10), 0);
                int y1 = Math.min((inputY + (1 << 10) - 1) / (1 << 10), inH - 1);
                for (int x = 0; x < outW; x++) {
                    int inputX = halfPixelCenters ? x * widthScale10 + widthScale10 / 2 - (1 << 9) : x * widthScale10;
                    int x0 = Math.max(inputX / (1 << 10), 0);
                    int x1 = Math.min((inputX + (1 << 10) - 1) / (1 << 10), inW - 1);
                    int fy = inputY - (1 << 10) * y0;
                    int fx = inputX - (1 << 10) * x0;
                    for (int c = 0; c < depth; c++) {
                        long ll = (long) in.i8(((b * inH + y0) * inW + x0) * depth + c) * ((1 << 10) - fy) * ((1 << 10) - fx);
                        long lu = (long) in.i8(((b * inH + y1) * inW + x0) * depth + c) * fy * ((1 << 10) - fx);
                        long rl = (long) in.i8(((b * inH + y0) * inW + x1) * depth + c) * ((1 << 10) - fy) * fx;
                        long ru = (long) in.i8(((b * inH + y1) * inW + x1) * depth + c) * fy * fx;
                        long output20 = ll + lu + rl + ru;
                        long round = output20 > 0 ? (1 << 19) : -(1 << 19);
                        out.setI8(((b * outH + y) * outW + x) * depth + c, (int) ((output20 + round) / (1 << 20)));
                    }
                }
            }
        }
    }
}
