package io.tinyfit.kernels;

import io.tinyfit.model.DType;
import io.tinyfit.model.Graph;
import io.tinyfit.model.Op;
import io.tinyfit.model.Options;
import io.tinyfit.model.Region;
import io.tinyfit.model.Tensor;

import java.util.List;

/**
 * RESIZE_BILINEAR, bit-exact with TFLM's {@code resize_bilinear.cc}: float32 through
 * {@code reference_ops::ResizeBilinear} (single-precision weights), int8 through
 * {@code reference_ops::ResizeBilinearInteger} (10-bit fixed-point coordinates, 20-bit products, double-rounding
 * build: round half away from zero by division). Loop order batch, y, x, channel.
 *
 * <p>uint8, which TFLM does not support, follows TFLite's reference kernel ({@code lite/kernels/resize_bilinear.cc}
 * dispatches uint8 to the {@code reference_ops::ResizeBilinear<uint8_t>} template): the float computation of the
 * float32 path on the byte values, converted back by truncation ({@code static_cast<uint8_t>}).
 *
 * <p>Regions: every output dimension splits; output rows and columns read the two source rows and columns they
 * interpolate between, batches and channels pass through.
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
            case FLOAT32 -> resizeFloat(in, size, out, ctx.outputRegion(), alignCorners, halfPixelCenters, FLOAT_LANE);
            case UINT8 -> resizeFloat(in, size, out, ctx.outputRegion(), alignCorners, halfPixelCenters, UINT8_LANE);
            case INT8 -> resizeInteger(in, size, out, ctx.outputRegion(), alignCorners, halfPixelCenters);
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

    private static void resizeFloat(View in, View size, View out, Region r, boolean alignCorners, boolean halfPixelCenters, Lane lane) {
        int inH = in.dim4(1), inW = in.dim4(2);
        int outH = size.i32(0), outW = size.i32(1);
        float heightScale = (float) inH / outH;
        float widthScale = (float) inW / outW;
        if (alignCorners && outH > 1) heightScale = (float) (inH - 1) / (outH - 1);
        if (alignCorners && outW > 1) widthScale = (float) (inW - 1) / (outW - 1);

        for (int b = r.lo(0); b < r.hi(0); b++) {
            for (int y = r.lo(1); y < r.hi(1); y++) {
                float inputY = scaled(y, heightScale, halfPixelCenters);
                int y0 = Math.max((int) (float) Math.floor(inputY), 0);
                int y1 = Math.min((int) (float) Math.ceil(inputY), inH - 1);
                for (int x = r.lo(2); x < r.hi(2); x++) {
                    float inputX = scaled(x, widthScale, halfPixelCenters);
                    int x0 = Math.max((int) (float) Math.floor(inputX), 0);
                    int x1 = Math.min((int) (float) Math.ceil(inputX), inW - 1);
                    float dy = inputY - y0, dx = inputX - x0;
                    for (int c = r.lo(3); c < r.hi(3); c++) {
                        float v = lane.read(in, in.at(b, y0, x0, c)) * (1 - dy) * (1 - dx)
                                + lane.read(in, in.at(b, y1, x0, c)) * dy * (1 - dx)
                                + lane.read(in, in.at(b, y0, x1, c)) * (1 - dy) * dx
                                + lane.read(in, in.at(b, y1, x1, c)) * dy * dx;
                        lane.write(out, out.at(b, y, x, c), v);
                    }
                }
            }
        }
    }

    /** {@code ComputeInterpolationValues}' scaled coordinate, in float. */
    private static float scaled(int value, float scale, boolean halfPixelCenters) {
        return halfPixelCenters ? ((float) value + 0.5f) * scale - 0.5f : (float) value * scale;
    }

    private static void resizeInteger(View in, View size, View out, Region r, boolean alignCorners, boolean halfPixelCenters) {
        int inH = in.dim4(1), inW = in.dim4(2);
        int outH = size.i32(0), outW = size.i32(1);
        int heightScale10 = ((1 << 10) * inH + outH / 2) / outH;
        int widthScale10 = ((1 << 10) * inW + outW / 2) / outW;
        if (alignCorners && outH > 1) heightScale10 = ((1 << 10) * (inH - 1) + (outH - 1) / 2) / (outH - 1);
        if (alignCorners && outW > 1) widthScale10 = ((1 << 10) * (inW - 1) + (outW - 1) / 2) / (outW - 1);

        for (int b = r.lo(0); b < r.hi(0); b++) {
            for (int y = r.lo(1); y < r.hi(1); y++) {
                int inputY = halfPixelCenters ? y * heightScale10 + heightScale10 / 2 - (1 << 9) : y * heightScale10;
                int y0 = Math.max(inputY / (1 << 10), 0);
                int y1 = Math.min((inputY + (1 << 10) - 1) / (1 << 10), inH - 1);
                for (int x = r.lo(2); x < r.hi(2); x++) {
                    int inputX = halfPixelCenters ? x * widthScale10 + widthScale10 / 2 - (1 << 9) : x * widthScale10;
                    int x0 = Math.max(inputX / (1 << 10), 0);
                    int x1 = Math.min((inputX + (1 << 10) - 1) / (1 << 10), inW - 1);
                    int fy = inputY - (1 << 10) * y0;
                    int fx = inputX - (1 << 10) * x0;
                    for (int c = r.lo(3); c < r.hi(3); c++) {
                        long ll = (long) in.i8(in.at(b, y0, x0, c)) * ((1 << 10) - fy) * ((1 << 10) - fx);
                        long lu = (long) in.i8(in.at(b, y1, x0, c)) * fy * ((1 << 10) - fx);
                        long rl = (long) in.i8(in.at(b, y0, x1, c)) * ((1 << 10) - fy) * fx;
                        long ru = (long) in.i8(in.at(b, y1, x1, c)) * fy * fx;
                        long output20 = ll + lu + rl + ru;
                        long round = output20 > 0 ? (1 << 19) : -(1 << 19);
                        out.setI8(out.at(b, y, x, c), (int) ((output20 + round) / (1 << 20)));
                    }
                }
            }
        }
    }

    @Override public boolean[] splittableDims(Graph graph, Op op) { return Kernel.allSplittable(graph, op); }

    /** Rows {@code [min y0, max y1]} and columns {@code [min x0, max x1]} over the region, by the dtype's own arithmetic. */
    @Override public List<Region> inputRegions(Graph graph, Op op, Region output) {
        int[] id = graph.tensor(op.input(0)).shape().toArray(), od = graph.tensor(op.output(0)).shape().toArray();
        boolean align = op.options().getBool("alignCorners"), half = op.options().getBool("halfPixelCenters");
        boolean integer = graph.tensor(op.input(0)).dtype() == DType.INT8; // float32 and uint8 interpolate in float
        return Kernel.firstInputFrom(graph, op, output, r -> {
            int[] ys = sources(r.lo(1), r.hi(1), id[1], od[1], align, half, integer);
            int[] xs = sources(r.lo(2), r.hi(2), id[2], od[2], align, half, integer);
            return Region.of(new int[] {r.lo(0), ys[0], xs[0], r.lo(3)}, new int[] {r.hi(0), ys[1], xs[1], r.hi(3)});
        });
    }

    /** The source positions {@code [lo, hi)} that outputs {@code [from, to)} of one axis interpolate between. */
    private static int[] sources(int from, int to, int in, int out, boolean align, boolean half, boolean integer) {
        int lo = Integer.MAX_VALUE, hi = 0;
        for (int o = from; o < to; o++) {
            int p0, p1;
            if (integer) {
                int scale10 = align && out > 1 ? ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1) : ((1 << 10) * in + out / 2) / out;
                int p = half ? o * scale10 + scale10 / 2 - (1 << 9) : o * scale10;
                p0 = Math.max(p / (1 << 10), 0);
                p1 = Math.min((p + (1 << 10) - 1) / (1 << 10), in - 1);
            } else {
                float scale = align && out > 1 ? (float) (in - 1) / (out - 1) : (float) in / out;
                float p = scaled(o, scale, half);
                p0 = Math.max((int) (float) Math.floor(p), 0);
                p1 = Math.min((int) (float) Math.ceil(p), in - 1);
            }
            lo = Math.min(lo, Math.min(p0, p1));
            hi = Math.max(hi, Math.max(p0, p1) + 1);
        }
        return new int[] {lo, hi};
    }
}
